import type { ErrorCode, FieldErrors } from './errors';

export type ResultError = {
  code: ErrorCode;
  message: string;
  fieldErrors?: FieldErrors;
  requestId?: string;
};

/** What every server action returns: data, or a safe error for the form. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ResultError };

export function ok<T>(data: T): Result<T> {
  return { ok: true, data };
}

export function fail(error: ResultError): Result<never> {
  return { ok: false, error };
}
