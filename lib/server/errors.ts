import { randomUUID } from 'node:crypto';
import { AppError } from '@/lib/errors';
import type { ResultError } from '@/lib/result';

/**
 * PostgreSQL's answers that mean "other writes held what this one needed": the runtime role's
 * lock_timeout ran out (55P03, lock_not_available) or a deadlock was broken (40P01). The
 * transaction rolled back whole, so nothing was written and trying again is safe.
 */
const BUSY_SQLSTATES = new Set(['55P03', '40P01']);

/** The SQLSTATE of a database error, looking through wrappers (`cause`); null for anything else. */
export function sqlStateOf(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Maps any thrown value to a safe error. AppErrors pass through; a write that waited too long on
 * other writes is a CONFLICT that says to try again; anything else (SQL, bugs) is logged with a
 * request id and shown as a generic message, so nothing internal reaches a user.
 */
export function toResultError(error: unknown, requestId: string = randomUUID()): ResultError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
    };
  }
  const state = sqlStateOf(error);
  if (state !== null && BUSY_SQLSTATES.has(state)) {
    console.warn(`[request ${requestId}] busy (SQLSTATE ${state}): nothing was written`);
    return {
      code: 'CONFLICT',
      message:
        'Other changes were being saved at the same moment, so nothing was saved. Try again.',
    };
  }
  console.error(`[request ${requestId}]`, error);
  return {
    code: 'INTERNAL',
    message: `Something went wrong. Please try again (reference ${requestId.slice(0, 8)}).`,
    requestId,
  };
}
