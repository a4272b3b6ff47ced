import type { ErrorCode, FieldErrorCode } from '@sabor/contracts';

export interface FieldProblem {
  code: FieldErrorCode;
  params?: Record<string, string | number>;
}

/** An error the client may see: HTTP status, a stable code, optional per-field problems. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    readonly fields?: Record<string, FieldProblem>,
    readonly headers?: Record<string, string>,
    /** When a limit that refused the request lifts: sent as `retryAt` and said in the message. */
    readonly retryAt?: Date,
  ) {
    super(code);
    this.name = 'ApiError';
  }
}

/**
 * 429 with the moment the limit lifts, as `retryAt` in the body and as a Retry-After header (whole
 * seconds from `now`, at least one).
 */
export function retryLater(code: ErrorCode, retryAt: Date, now = Date.now()): ApiError {
  const seconds = Math.max(1, Math.ceil((retryAt.getTime() - now) / 1000));
  return new ApiError(429, code, undefined, { 'retry-after': String(seconds) }, retryAt);
}

export const unauthorized = () => new ApiError(401, 'unauthorized');
export const forbidden = () => new ApiError(403, 'forbidden');
export const notFound = () => new ApiError(404, 'not_found');

/** 400 with one field problem, e.g. `fieldError('email', 'email_taken', 409)`. */
export function fieldError(
  field: string,
  code: FieldErrorCode,
  status = 400,
  errorCode: ErrorCode = 'validation_failed',
): ApiError {
  return new ApiError(status, errorCode, { [field]: { code } });
}
