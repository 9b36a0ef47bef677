// POST /api/v1/checkins: record one check-in, or a batch of up to 1,000 written all or nothing; Idempotency-Key honoured.
import { runIdempotent } from '@/lib/dal/api-keys/idempotency';
import {
  checkCheckinsBatch,
  recordCheckinsBatch,
  UNKNOWN_KPI_MESSAGE,
  type CheckinBatchItem,
} from '@/lib/dal/checkins/batch';
import { resolveKpiRefs } from '@/lib/dal/kpis/refs';
import { AppError } from '@/lib/errors';
import {
  apiRoute,
  idempotencyKeyOf,
  jsonBody,
  otherMethods,
  parseOrThrow,
  requestFingerprint,
} from '@/lib/server/api-route';
import {
  apiCheckinEnvelopeSchema,
  apiCheckinItemSchema,
  type ApiCheckinItem,
} from '@/lib/validation/api';

export const dynamic = 'force-dynamic';

/** Stands in for an unknown KPI key: no KPI has the nil id, so the batch reports it as not found. */
const NO_KPI = '00000000-0000-0000-0000-000000000000';

export const { GET, PUT, PATCH, DELETE } = otherMethods('POST');

/**
 * A batch refused because an item names no KPI the key can see answers 404 (as the document
 * says), with every refused item still named in `details`; other refusals stay 422.
 */
function unknownKpiAsNotFound(error: AppError): AppError {
  const unknown = Object.values(error.fieldErrors ?? {}).some((m) =>
    m.includes(UNKNOWN_KPI_MESSAGE),
  );
  if (error.code !== 'VALIDATION' || !unknown) return error;
  return new AppError(
    'NOT_FOUND',
    `${error.message} An item names no KPI of this organization (another organization's KPI looks the same).`,
    error.fieldErrors,
  );
}

export const POST = apiRoute('write', async (api, request) => {
  const idempotencyKey = idempotencyKeyOf(request);
  const body = await jsonBody(request);
  const isBatch = typeof body === 'object' && body !== null && 'items' in body;
  const raw: unknown[] = isBatch ? parseOrThrow(apiCheckinEnvelopeSchema, body).items : [body];
  const fieldKey = (index: number, path: string) =>
    isBatch ? `items.${index}${path ? `.${path}` : ''}` : path || '_form';

  // Every item is parsed on its own, so one answer names every bad item with its reason.
  const problems: Record<string, string[]> = {};
  const parsed: { index: number; item: ApiCheckinItem }[] = [];
  raw.forEach((value, index) => {
    const result = apiCheckinItemSchema.safeParse(value);
    if (result.success) parsed.push({ index, item: result.data });
    else
      for (const issue of result.error.issues)
        (problems[fieldKey(index, issue.path.join('.'))] ??= []).push(issue.message);
  });
  const ids = await resolveKpiRefs(
    api.ctx,
    parsed.map((p) => p.item.kpi),
  );
  const batch: CheckinBatchItem[] = parsed.map(({ item }) => ({
    kpiId: ids.get(item.kpi) ?? NO_KPI,
    observedOn: item.observedOn,
    value: item.value,
    note: item.note,
    source: 'api',
  }));
  const names = {
    prefix: isBatch ? 'items' : null,
    kpi: 'kpi',
    indices: parsed.map((p) => p.index),
  };
  if (Object.keys(problems).length > 0) {
    try {
      await checkCheckinsBatch(api.ctx, batch, names);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'VALIDATION') throw error;
      for (const [path, messages] of Object.entries(error.fieldErrors ?? {}))
        (problems[path] ??= []).push(...messages);
    }
    const bad = isBatch ? new Set(Object.keys(problems).map((k) => k.split('.')[1])).size : 1;
    throw unknownKpiAsNotFound(
      new AppError(
        'VALIDATION',
        `Nothing was saved: ${bad} ${bad === 1 ? 'item needs' : 'items need'} fixing.`,
        problems,
      ),
    );
  }

  const fingerprint = requestFingerprint('POST', '/api/v1/checkins', body);
  const result = await runIdempotent(api, idempotencyKey, fingerprint, async (tx) => {
    try {
      // Values far from their KPI's recent readings are recorded and flagged, never refused here.
      const { count, ids, warnings } = await recordCheckinsBatch(api.ctx, tx, batch, names);
      return {
        status: 201,
        body: {
          data: { count, ids },
          warnings: warnings.map((w) => ({ path: w.path, message: w.message })),
        },
      };
    } catch (error) {
      throw error instanceof AppError ? unknownKpiAsNotFound(error) : error;
    }
  });
  const headers: Record<string, string> = result.replayed ? { 'idempotent-replayed': 'true' } : {};
  return { status: result.status, body: result.body, headers };
});
