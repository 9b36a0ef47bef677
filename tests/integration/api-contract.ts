/**
 * The contract check of the REST API's tests: a real response must be one the OpenAPI document
 * promises (its status listed for the operation, its JSON body valid against that response's
 * schema), and a 405 must carry the error body and an `Allow` header. The validator is built from
 * the document's own JSON Schemas (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses).
 */
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import { expect } from 'vitest';
import { openApiDocument } from '@/lib/server/openapi';

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};

const DOC_ID = 'openapi.json';
const doc = openApiDocument() as unknown as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addSchema(openApiDocument() as object, DOC_ID);

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

const validators = new Map<string, ValidateFunction>();
function validatorFor(path: string, method: string, status: string): ValidateFunction {
  const ref = `${DOC_ID}#/${pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')}`;
  let validate = validators.get(ref);
  if (!validate) validators.set(ref, (validate = ajv.compile({ $ref: ref })));
  return validate;
}

/** The document's path template a request path (under /api/v1) matches, or undefined. */
export function templateOf(pathname: string): string | undefined {
  const rel = pathname.replace(/^\/api\/v1/, '');
  return Object.keys(doc.paths).find((template) =>
    new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(rel),
  );
}

/**
 * Asserts that a real answer is one the document promises for `method` on `pathname`: a listed
 * status with a body valid against its schema; for a method the path does not take, a 405 with
 * the Error body and an Allow header naming the methods the document lists for the path.
 */
export function expectDocumented(
  method: string,
  pathname: string,
  answer: { status: number; body: unknown; headers: Headers },
): void {
  const template = templateOf(pathname);
  expect(template, `${pathname} is in the OpenAPI document`).toBeDefined();
  const operations = doc.paths[template!]!;
  const operation = operations[method.toLowerCase()];
  if (!operation) {
    expect(answer.status, `${method} ${template} is not documented: 405`).toBe(405);
    const allow = (answer.headers.get('allow') ?? '').split(/,\s*/);
    for (const m of Object.keys(operations)) expect(allow).toContain(m.toUpperCase());
    const validate = validatorFor('/kpis/{kpi}', 'get', '401');
    expect(validate(answer.body), JSON.stringify(validate.errors)).toBe(true);
    return;
  }
  const status = String(answer.status);
  expect(Object.keys(operation.responses), `${method} ${template} documents ${status}`).toContain(
    status,
  );
  const validate = validatorFor(template!, method.toLowerCase(), status);
  expect(
    validate(answer.body),
    `${method} ${template} ${status}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(answer.body).slice(0, 500)}`,
  ).toBe(true);
}

const BASE = 'http://localhost/api/v1';

export function call(
  handler: (request: Request, segment: { params: Promise<never> }) => Promise<Response>,
  path: string,
  opts: {
    secret?: string;
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
    params?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.secret) headers.authorization = `Bearer ${opts.secret}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const request = new Request(`${BASE}${path}`, {
    method: opts.method ?? 'GET',
    headers,
    body:
      opts.body === undefined
        ? undefined
        : typeof opts.body === 'string'
          ? opts.body
          : JSON.stringify(opts.body),
  });
  return handler(request, { params: Promise.resolve((opts.params ?? {}) as never) }).then(
    async (response) => {
      // Every answer a test sees is first checked against the OpenAPI document.
      const copy = response.clone();
      expectDocumented(request.method, new URL(request.url).pathname, {
        status: copy.status,
        body: await copy.json(),
        headers: copy.headers,
      });
      return response;
    },
  );
}

/** A JSON answer; bodies are checked field by field, so they are typed loosely on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer = { status: number; body: any; headers: Headers };

export async function json(response: Response): Promise<Answer> {
  return { status: response.status, body: await response.json(), headers: response.headers };
}
