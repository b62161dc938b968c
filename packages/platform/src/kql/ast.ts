/**
 * The KQL syntax tree. `parseKql` builds it once; `kqlToSql`, `kqlToElasticsearch`,
 * `explainKql` and `kqlFields` render it. Plain data, so it can be cached or sent as JSON.
 */
export type KqlNode =
  | KqlAll
  | KqlAnd
  | KqlOr
  | KqlNot
  | KqlMatch
  | KqlExists
  | KqlRange
  | KqlText;

/** The empty query or `*`: every line. */
export interface KqlAll { kind: 'all' }
export interface KqlAnd { kind: 'and'; children: KqlNode[] }
export interface KqlOr { kind: 'or'; children: KqlNode[] }
export interface KqlNot { kind: 'not'; child: KqlNode }

/**
 * `field:value` or `field:"phrase"`. When `wildcard` is true, `value` is a pattern in which
 * `*` matches any run of characters and `\*`, `\\` stand for a literal `*` and `\`
 * (use `wildcardSegments`); otherwise `value` is the literal text.
 */
export interface KqlMatch { kind: 'match'; field: string; value: string; wildcard: boolean; phrase: boolean }

/** `field:*`: the field has a value. */
export interface KqlExists { kind: 'exists'; field: string }

export type KqlRangeOperator = '>' | '>=' | '<' | '<=';

/** `field > value`; the value is kept as written and typed by each renderer. */
export interface KqlRange { kind: 'range'; field: string; op: KqlRangeOperator; value: string }

/** Free text: a word or quoted phrase with no field, searched for in the message. Same `value` rules as `KqlMatch`. */
export interface KqlText { kind: 'text'; value: string; wildcard: boolean; phrase: boolean }

/** The field free text searches. */
export const freeTextField = 'message';

/**
 * The literal pieces of a wildcard pattern, in order: `a*b\*c` gives `['a', 'b*c']`, so a
 * renderer joins them with its own "any characters" syntax after escaping each piece.
 */
export function wildcardSegments(pattern: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\' && i + 1 < pattern.length) current += pattern[++i];
    else if (char === '*') {
      segments.push(current);
      current = '';
    } else current += char;
  }
  segments.push(current);
  return segments;
}

/** Escapes a literal string for use as (part of) a wildcard `value`. */
export function escapeWildcardLiteral(text: string): string {
  return text.replace(/[\\*]/g, '\\$&');
}
