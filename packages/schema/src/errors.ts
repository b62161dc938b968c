/**
 * A domain error with a stable code (listed in docs/errors.md) and the HTTP status an
 * API answers it with. HTTP APIs render it as `{ "error": { "code", "message" } }`.
 */
export class LoupeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'LoupeError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}
