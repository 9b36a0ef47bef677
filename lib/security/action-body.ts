/**
 * Server-action bodies checked before Next parses them: Next answers an oversized body ("Body
 * exceeded 1 MB limit") and a malformed one (not JSON, a broken multipart form) with a 500; here
 * they get a 413 or a 400 first. Only requests Next would treat as an action are looked at.
 */

/** Keep equal to `serverActions.bodySizeLimit` in next.config.mjs. */
export const SERVER_ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

/** Would Next route this request to a server action (a fetch action or a multipart form post)? */
export function isServerActionRequest(method: string, headers: Headers): boolean {
  if (method !== 'POST') return false;
  return (
    headers.has('next-action') ||
    (headers.get('content-type') ?? '').startsWith('multipart/form-data')
  );
}

/** What is wrong with an action body: `413` too large, `400` unreadable, null fine. */
export async function actionBodyProblem(request: Request): Promise<413 | 400 | null> {
  const declared = Number(request.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > SERVER_ACTION_BODY_LIMIT_BYTES) return 413;
  const bytes = new Uint8Array(await request.clone().arrayBuffer());
  if (bytes.byteLength > SERVER_ACTION_BODY_LIMIT_BYTES) return 413;
  const type = request.headers.get('content-type') ?? '';
  try {
    if (type.startsWith('multipart/form-data')) {
      await new Response(bytes, { headers: { 'content-type': type } }).formData();
    } else {
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    }
  } catch {
    return 400;
  }
  return null;
}
