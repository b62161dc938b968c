import { LoupeError } from '@loupe/schema';

/**
 * A query the user must fix: `code` is KQL_SYNTAX, KQL_TOO_LONG, KQL_TOO_DEEP or
 * KQL_BAD_FIELD, and `column` is the 1-based character offset the message names.
 */
export class KqlSyntaxError extends LoupeError {
  constructor(
    code: string,
    message: string,
    readonly column: number,
  ) {
    super(code, message, 400);
    this.name = 'KqlSyntaxError';
  }
}
