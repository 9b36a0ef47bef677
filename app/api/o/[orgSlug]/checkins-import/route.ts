// POST /api/o/<slug>/checkins-import?mode=preview|import[&accept=valid]: a check-in CSV streamed in as the request
// body (up to the size the form advertises, past the server actions' body limit), then previewed or
// imported by the same actions the form used to call: same session, authorization and pipeline.
import { NextResponse } from 'next/server';
import { importCheckinsAction, previewCheckinImportAction } from '@/lib/actions/imports';
import { MAX_IMPORT_BYTES } from '@/lib/domain/import-limits';
import type { Result } from '@/lib/result';
import { readBodyCapped } from '@/lib/server/request-body';
import { isSameOriginRequest } from '@/lib/security/headers';
import { statusOfError } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'cache-control': 'private, no-store' };

function refused(status: number, message: string, code: 'FORBIDDEN' | 'VALIDATION') {
  const body: Result<never> = {
    ok: false,
    error: { code, message, ...(code === 'VALIDATION' ? { fieldErrors: { csv: [message] } } : {}) },
  };
  return NextResponse.json(body, { status, headers: NO_STORE });
}

export async function POST(request: Request, { params }: { params: Promise<{ orgSlug: string }> }) {
  // Cookies authenticate this route, so it takes the same-origin rule pages apply to actions.
  if (!isSameOriginRequest(request.headers)) {
    return refused(403, 'Cross-origin request refused.', 'FORBIDDEN');
  }
  const search = new URL(request.url).searchParams;
  const mode = search.get('mode');
  // `accept=valid`: record the valid rows, list the refused ones (chosen after the preview).
  const acceptValid = mode === 'import' && search.get('accept') === 'valid';
  if (mode !== 'preview' && mode !== 'import') {
    return refused(
      400,
      'Say whether to preview or import (mode=preview or mode=import).',
      'VALIDATION',
    );
  }
  const bytes = await readBodyCapped(request, MAX_IMPORT_BYTES);
  if (bytes === null) {
    return refused(
      413,
      `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into smaller files. Nothing was imported.`,
      'VALIDATION',
    );
  }
  let csv: string;
  try {
    csv = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refused(
      400,
      'The file is not UTF-8 text: save it as "CSV UTF-8" and try again.',
      'VALIDATION',
    );
  }
  const { orgSlug } = await params;
  const action = mode === 'import' ? importCheckinsAction : previewCheckinImportAction;
  const result: Result<unknown> = await action(orgSlug, {
    csv,
    ...(acceptValid ? { acceptValid: true } : {}),
  });
  return NextResponse.json(result, {
    status: result.ok ? 200 : statusOfError(result.error.code),
    headers: NO_STORE,
  });
}
