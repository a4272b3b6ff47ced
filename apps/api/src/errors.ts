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
  ) {
    super(code);
    this.name = 'ApiError';
  }
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
