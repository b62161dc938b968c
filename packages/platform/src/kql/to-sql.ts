import { LoupeError } from '@loupe/schema';
import { freeTextField, wildcardSegments, type KqlMatch, type KqlNode, type KqlRange } from './ast.js';
import type { ColumnMap, ColumnType } from './columns.js';
import { parseTimeSpan, type TimeSpan } from './time-value.js';

export interface KqlToSqlOptions {
  /** Number of the first placeholder (default 1), so a caller can put its own parameters (the time range) first. */
  firstParam?: number;
  /** The instant `now` stands for in date math such as `now-1h` (default: the time of the call). */
  now?: Date;
}

/** What a placeholder carries: text, a number, or a bigint for integers beyond 2^53. */
export type SqlParam = string | number | bigint;

/** A DuckDB boolean expression, safe to put after `WHERE … AND`, and the values of its `$n` placeholders in order. */
export interface SqlFragment {
  where: string;
  params: SqlParam[];
}

/** A field's SQL; for a field kept in the JSON column, `json` is its raw JSON value (an array stays an array). */
type Target = { sql: string; type: ColumnType | 'json'; json?: string };

const fieldPattern = /^[A-Za-z_@][A-Za-z0-9_.@-]*$/;
const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
// Backslash is the escape character of every LIKE pattern built here.
const escapeClause = ` ESCAPE '\\'`;

/**
 * Renders a query as a parameterised DuckDB WHERE fragment. Values only ever travel as
 * parameters and fields only resolve through `columns`, so no query text reaches the SQL.
 * Throws LoupeError KQL_BAD_VALUE (a value the field's type cannot hold), KQL_UNKNOWN_FIELD
 * or KQL_BAD_FIELD. Like Kibana, `not` also matches lines that lack the field.
 */
export function kqlToSql(node: KqlNode, columns: ColumnMap, options: KqlToSqlOptions = {}): SqlFragment {
  const renderer = new SqlRenderer(columns, options.firstParam ?? 1, options.now ?? new Date());
  return { where: renderer.render(node), params: renderer.params };
}

class SqlRenderer {
  readonly params: SqlParam[] = [];
  private readonly jsonPaths = new Map<string, string>();

  constructor(
    private readonly columns: ColumnMap,
    private readonly firstParam: number,
    private readonly now: Date,
  ) {}

  render(node: KqlNode): string {
    switch (node.kind) {
      case 'all': return 'TRUE';
      case 'and': return node.children.length === 0 ? 'TRUE' : `(${node.children.map((child) => this.render(child)).join(' AND ')})`;
      case 'or': return node.children.length === 0 ? 'FALSE' : `(${node.children.map((child) => this.render(child)).join(' OR ')})`;
      case 'not': return `((${this.render(node.child)}) IS NOT TRUE)`;
      case 'exists': return `${this.resolve(node.field).sql} IS NOT NULL`;
      case 'text': return this.words(this.resolve(freeTextField), node.value, node.wildcard, node.phrase);
      case 'match': return this.match(node);
      case 'range': return this.range(node);
    }
  }

  private param(value: SqlParam): string {
    this.params.push(value);
    return `$${this.firstParam + this.params.length - 1}`;
  }

  // DuckDB's client binds every integral JS number as an integer type, so one beyond 64 bits travels as text.
  private number(value: number | bigint): string {
    if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 2 ** 63) return `CAST(${this.param(String(value))} AS DOUBLE)`;
    return this.param(value);
  }

  private resolve(field: string): Target {
    const column = this.columns.columns.get(field);
    if (column) return column;
    if (!fieldPattern.test(field)) throw new LoupeError('KQL_BAD_FIELD', `"${field}" is not a field name; use letters, digits, "_", "@", "-" and dots`);
    if (this.columns.otherFields === undefined) {
      const known = [...this.columns.columns.keys()].join(', ');
      throw new LoupeError('KQL_UNKNOWN_FIELD', `Unknown field "${field}"; search one of ${known}`);
    }
    let path = this.jsonPaths.get(field);
    if (path === undefined) {
      path = this.param(`$."${field}"`);
      this.jsonPaths.set(field, path);
    }
    return { sql: `json_extract_string(${this.columns.otherFields}, ${path})`, type: 'json', json: `json_extract(${this.columns.otherFields}, ${path})` };
  }

  /**
   * Unquoted words on a text field must all occur, in any order: Kibana's match query finds
   * them in any order too (and ORs them; Loupe wants all, as for free text). A quoted phrase stays one.
   */
  private words(target: Target, value: string, wildcard: boolean, phrase: boolean): string {
    // As in Elasticsearch, whose analyser makes no terms of an empty phrase: it matches nothing, not every line.
    if (value.trim() === '') return 'FALSE';
    const words = phrase ? [value] : value.split(/\s+/).filter((word) => word !== '');
    if (words.length === 1) return this.contains(target, words[0]!, wildcard);
    return `(${words.map((word) => this.contains(target, word, wildcard)).join(' AND ')})`;
  }

  /**
   * Case-insensitive "contains"; a wildcard at either end of the value is already "anything".
   * A plain term is `contains(lower(…), lower(…))`: DuckDB runs a generic matcher for
   * `ILIKE … ESCAPE`, about five times slower over a day of messages.
   */
  private contains(target: Target, value: string, wildcard: boolean): string {
    const segments = wildcard ? wildcardSegments(value) : [value];
    const inner = segments.filter((segment) => segment !== '');
    if (inner.length === 1 && (segments.length === 1 || segments.every((segment, i) => segment !== '' || i === 0 || i === segments.length - 1))) {
      return `contains(lower(${target.sql}), lower(${this.param(inner[0]!)}))`;
    }
    const open = segments.length > 1 && segments[0] === '' ? '' : '%';
    const close = segments.length > 1 && segments[segments.length - 1] === '' ? '' : '%';
    return `${target.sql} ILIKE ${this.param(open + segments.map(escapeLike).join('%') + close)}${escapeClause}`;
  }

  private match(node: KqlMatch): string {
    const target = this.resolve(node.field);
    const { sql, type } = target;
    if (type === 'text') return this.words(target, node.value, node.wildcard, node.phrase);
    if (node.wildcard) {
      if (type === 'timestamp') throw badValue(node.field, node.value, 'a date without wildcards');
      const like = type === 'keyword-lowercase' ? 'ILIKE' : 'LIKE';
      const text = type === 'number' ? `CAST(${sql} AS VARCHAR)` : sql;
      return `${text} ${like} ${this.param(likePattern(node.value))}${escapeClause}`;
    }
    switch (type) {
      case 'keyword': return `${sql} = ${this.param(node.value)}`;
      case 'keyword-lowercase': return `lower(${sql}) = lower(${this.param(node.value)})`;
      case 'number': return `${sql} = ${this.number(toNumber(node.field, node.value))}`;
      case 'timestamp': return this.compareTime(sql, ':', this.toTime(node.field, node.value));
      case 'json': {
        // As in Elasticsearch, a value matches a field holding it or an array holding it (`tags:_parse_failure`).
        const value = this.param(node.value);
        const inArray = `list_contains(TRY_CAST(${target.json} AS VARCHAR[]), ${value})`;
        const number = parseNumber(node.value);
        if (number === undefined) return `(${sql} = ${value} OR ${inArray})`;
        return `(${sql} = ${value} OR TRY_CAST(${sql} AS DOUBLE) = ${this.number(number)} OR ${inArray})`;
      }
    }
  }

  private range(node: KqlRange): string {
    const { sql, type } = this.resolve(node.field);
    switch (type) {
      case 'number': return `${sql} ${node.op} ${this.number(toNumber(node.field, node.value))}`;
      case 'timestamp': return this.compareTime(sql, node.op, this.toTime(node.field, node.value));
      case 'keyword-lowercase': return `lower(${sql}) ${node.op} lower(${this.param(node.value)})`;
      case 'keyword':
      case 'text': return `${sql} ${node.op} ${this.param(node.value)}`;
      case 'json': {
        const number = parseNumber(node.value);
        if (number !== undefined) return `TRY_CAST(${sql} AS DOUBLE) ${node.op} ${this.number(number)}`;
        const time = parseTimeSpan(node.value, this.now);
        if (time) return this.compareTime(`TRY_CAST(${sql} AS TIMESTAMP)`, node.op, time);
        return `${sql} ${node.op} ${this.param(node.value)}`;
      }
    }
  }

  private toTime(field: string, value: string): TimeSpan {
    const time = parseTimeSpan(value, this.now);
    if (time) return time;
    throw badValue(field, value, 'a date such as 2026-11-21, 2026-11, 2026-11-21T10:00:00Z, epoch milliseconds, now-1h or 2026-11-21||+1d');
  }

  /** A span that covers a period (a day, `now/d`) compares as a whole: `<= 2026-11-21` includes all of that day. */
  private compareTime(sql: string, op: KqlRange['op'] | ':', time: TimeSpan): string {
    const at = (instant: string) => `CAST(${this.param(instant)} AS TIMESTAMP)`;
    const period = time.start !== time.end;
    switch (op) {
      case '>=': return `${sql} >= ${at(time.start)}`;
      case '<': return `${sql} < ${at(time.start)}`;
      case '>': return period ? `${sql} >= ${at(time.end)}` : `${sql} > ${at(time.start)}`;
      case '<=': return period ? `${sql} < ${at(time.end)}` : `${sql} <= ${at(time.start)}`;
      case ':': return period ? `(${sql} >= ${at(time.start)} AND ${sql} < ${at(time.end)})` : `${sql} = ${at(time.start)}`;
    }
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** A wildcard value as a LIKE pattern: `*` becomes `%`, and `%`, `_`, `\` match themselves. */
function likePattern(pattern: string): string {
  return wildcardSegments(pattern).map(escapeLike).join('%');
}

/** A number, or a bigint for integers between 2^53 and 2^63 so a BIGINT column compares exactly. */
function parseNumber(text: string): number | bigint | undefined {
  if (!numberPattern.test(text)) return undefined;
  const number = Number(text);
  if (!Number.isFinite(number)) return undefined;
  if (Number.isSafeInteger(number) || !/^[+-]?\d+$/.test(text)) return number;
  const integer = BigInt(text);
  return integer < 2n ** 63n && integer >= -(2n ** 63n) ? integer : number;
}

function toNumber(field: string, value: string): number | bigint {
  const number = parseNumber(value);
  if (number === undefined) throw badValue(field, value, 'a number');
  return number;
}

function badValue(field: string, value: string, expected: string): LoupeError {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return new LoupeError('KQL_BAD_VALUE', `${field} needs ${expected}, not "${shown}"`);
}
