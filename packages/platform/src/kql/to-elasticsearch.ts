import { freeTextField, wildcardSegments, type KqlNode } from './ast.js';

export interface KqlToElasticsearchOptions {
  /** Analysed text fields, searched with `match_phrase` and case-insensitive wildcards (default: `message`). */
  textFields?: readonly string[];
}

const rangeKeys = { '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' } as const;

/**
 * Renders a query as Elasticsearch Query DSL: `bool` must/should/must_not, `term`,
 * `wildcard`, `match_phrase` on text fields, `range`, `exists`, `match_all`.
 * Free text searches the message. Range values that look like numbers are sent as numbers;
 * dates and date math (`now-1h`) are sent as written, for Elasticsearch to parse.
 */
export function kqlToElasticsearch(node: KqlNode, options: KqlToElasticsearchOptions = {}): object {
  const textFields = new Set(options.textFields ?? [freeTextField]);
  const render = (current: KqlNode): object => {
    switch (current.kind) {
      case 'all': return { match_all: {} };
      case 'and': return { bool: { must: current.children.map(render) } };
      case 'or': return { bool: { should: current.children.map(render), minimum_should_match: 1 } };
      case 'not': return { bool: { must_not: [render(current.child)] } };
      case 'exists': return { exists: { field: current.field } };
      case 'range': return { range: { [current.field]: { [rangeKeys[current.op]]: numberOrText(current.value) } } };
      case 'text': return textQuery(freeTextField, current.value, current.wildcard);
      case 'match':
        if (textFields.has(current.field)) return textQuery(current.field, current.value, current.wildcard);
        if (current.wildcard) return { wildcard: { [current.field]: { value: wildcardValue(current.value) } } };
        return { term: { [current.field]: current.value } };
    }
  };
  return render(node);
}

function textQuery(field: string, value: string, wildcard: boolean): object {
  if (wildcard) return { wildcard: { [field]: { value: wildcardValue(value), case_insensitive: true } } };
  return { match_phrase: { [field]: value } };
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
