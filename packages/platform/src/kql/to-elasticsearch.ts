import { freeTextField, wildcardSegments, type KqlMatch, type KqlNode } from './ast.js';
import { defaultColumnMap, type ColumnMap } from './columns.js';

export interface KqlToElasticsearchOptions {
  /**
   * How fields compare, as for `kqlToSql` (default: the log store's columns): `text` fields
   * get `match_phrase` and case-insensitive wildcards, `keyword-lowercase` fields
   * case-insensitive terms, `timestamp` fields a range for `field:date`; any other field a term.
   */
  columns?: ColumnMap;
}

const rangeKeys = { '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' } as const;

/**
 * Renders a query as Elasticsearch Query DSL: `bool` must/should/must_not, `term`,
 * `wildcard`, `match_phrase` on text fields, `range`, `exists`, `match_all`.
 * Free text searches the message. Range values that look like numbers are sent as numbers;
 * dates and date math (`now-1h`) are sent as written, for Elasticsearch to parse.
 */
export function kqlToElasticsearch(node: KqlNode, options: KqlToElasticsearchOptions = {}): object {
  const columns = (options.columns ?? defaultColumnMap).columns;
  const render = (current: KqlNode): object => {
    switch (current.kind) {
      case 'all': return { match_all: {} };
      case 'and': return { bool: { must: current.children.map(render) } };
      case 'or': return { bool: { should: current.children.map(render), minimum_should_match: 1 } };
      case 'not': return { bool: { must_not: [render(current.child)] } };
      case 'exists': return { exists: { field: current.field } };
      case 'range': return { range: { [current.field]: { [rangeKeys[current.op]]: numberOrText(current.value) } } };
      case 'text': return textQuery(freeTextField, current.value, current.wildcard, current.phrase);
      case 'match': return matchQuery(current, columns.get(current.field)?.type);
    }
  };
  return render(node);
}

function matchQuery(node: KqlMatch, type: string | undefined): object {
  const { field, value, wildcard } = node;
  if (type === 'text') return textQuery(field, value, wildcard, node.phrase);
  const caseInsensitive = type === 'keyword-lowercase' ? { case_insensitive: true } : {};
  if (wildcard) return { wildcard: { [field]: { value: wildcardValue(value), ...caseInsensitive } } };
  // As Kibana does: match and match_phrase take no time zone, and `@timestamp:2026-11-21` means the whole day.
  if (type === 'timestamp') return { range: { [field]: { gte: value, lte: value } } };
  return { term: { [field]: type === 'keyword-lowercase' ? { value, ...caseInsensitive } : value } };
}

/** Unquoted words on a text field must all occur, in any order, as in `kqlToSql`; a quoted phrase stays one. */
function textQuery(field: string, value: string, wildcard: boolean, phrase: boolean): object {
  const words = phrase ? [value] : value.split(/\s+/).filter((word) => word !== '');
  if (words.length > 1) return { bool: { must: words.map((word) => textQuery(field, word, wildcard, true)) } };
  const segments = wildcard ? wildcardSegments(value) : [value];
  if (segments.length > 1) return { wildcard: { [field]: { value: wildcardValue(value), case_insensitive: true } } };
  return { match_phrase: { [field]: segments[0]! } };
}

/** Elasticsearch wildcards are `*` and `?`, escaped with a backslash; a literal `?` must not become one. */
function wildcardValue(pattern: string): string {
  return wildcardSegments(pattern).map((segment) => segment.replace(/[\\*?]/g, '\\$&')).join('*');
}

/** Numbers a double holds exactly go as numbers; anything else as written, for Elasticsearch to parse. */
function numberOrText(value: string): number | string {
  const number = Number(value);
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(value) && Math.abs(number) <= Number.MAX_SAFE_INTEGER ? number : value;
}
