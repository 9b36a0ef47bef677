import type { z } from 'zod';

/** The first message per field of a failed zod parse, keyed by the field's name. */
export function issueErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0])] ??= issue.message;
  return out;
}

/** The first message per field of a refused action's `fieldErrors`. */
export function resultFieldErrors(
  fieldErrors: Record<string, string[]> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fieldErrors ?? {})) if (v[0]) out[k] = v[0];
  return out;
}
