import { randomUUID } from 'node:crypto';
import { AppError } from '@/lib/errors';
import type { ResultError } from '@/lib/result';

/**
 * Maps any thrown value to a safe error. AppErrors pass through; anything else (SQL, bugs) is
 * logged with a request id and shown as a generic message, so nothing internal reaches a user.
 */
export function toResultError(error: unknown, requestId: string = randomUUID()): ResultError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
    };
  }
  console.error(`[request ${requestId}]`, error);
  return {
    code: 'INTERNAL',
    message: `Something went wrong. Please try again (reference ${requestId.slice(0, 8)}).`,
    requestId,
  };
}
