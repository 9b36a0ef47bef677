/** The closed set of error codes a user or API client can ever see. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL';

export type FieldErrors = Record<string, string[]>;

/** An expected failure whose message is safe to show. Anything else is logged and hidden. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: FieldErrors | undefined;

  constructor(code: ErrorCode, message: string, fieldErrors?: FieldErrors) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

/** Another organization's id and a missing id get exactly this. */
export function notFoundError(): AppError {
  return new AppError('NOT_FOUND', 'Not found.');
}

export function forbiddenError(message = 'You do not have permission to do that.'): AppError {
  return new AppError('FORBIDDEN', message);
}

export function validationError(message: string, fieldErrors?: FieldErrors): AppError {
  return new AppError('VALIDATION', message, fieldErrors);
}

export function conflictError(
  message = 'Someone else changed this in the meantime. Reload and try again.',
): AppError {
  return new AppError('CONFLICT', message);
}
