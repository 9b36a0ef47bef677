import type { Result } from '@/lib/result';

/** The first message per field of a zod parse's issues (the form's client-side check). */
export function issueFieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) out[String(issue.path[0])] ??= issue.message;
  return out;
}

/** The first message per field of a refused action's result ({} when it succeeded). */
export function resultFieldErrors(result: Result<unknown>): Record<string, string> {
  if (result.ok) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.error.fieldErrors ?? {})) if (v[0]) out[k] = v[0];
  return out;
}
