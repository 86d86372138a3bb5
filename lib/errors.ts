/**
 * The one error type for expected failures. Its message is safe to show to a user;
 * internals ride in `cause` and go to the log only.
 */
export const ERROR_CODES = [
  "BAD_REQUEST",
  "VALIDATION",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "INVALID_STATE",
  "RATE_LIMITED",
  "PAYLOAD_TOO_LARGE",
  "INSUFFICIENT_FUNDS",
  "CHAIN_REJECTED",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  path: string;
  message: string;
  /** For a field inside a text document (an SDL): its 1-based line. */
  line?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[] | undefined;

  constructor(code: ErrorCode, message: string, options?: { fields?: FieldError[]; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.fields = options?.fields;
  }
}

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INSUFFICIENT_FUNDS: 402,
  CHAIN_REJECTED: 502,
};

export function validationError(path: string, message: string): AppError {
  return new AppError("VALIDATION", `${path}: ${message}`, { fields: [{ path, message }] });
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
