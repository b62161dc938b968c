import { LINE_FIELDS } from './event-line.js';

/** The options every command that queries a time range takes: `--from`, `--to`, `--indices`. */
export const rangeOptions = {
  from: { type: 'string', default: '24h' },
  to: { type: 'string' },
  indices: { type: 'string' },
} as const;

export interface RangeValues {
  from: string;
  to?: string;
  indices?: string;
}

/** A platform query's parameters: the KQL query and the range options given. */
export function queryParams(q: string, values: RangeValues): URLSearchParams {
  const params = new URLSearchParams({ q, from: values.from });
  if (values.to) params.set('to', values.to);
  if (values.indices) params.set('indices', values.indices);
  return params;
}

/**
 * Asks for only the `--fields` given, as the platform's `fields=` parameter; for `--text`
 * lines also the fields a line shows, the others then printed after it. Tells the caller
 * whether to print the others.
 */
export function askForFields(params: URLSearchParams, fields: string | undefined, text: boolean): boolean {
  if (fields === undefined) return false;
  params.set('fields', text ? `${LINE_FIELDS.join(',')},${fields}` : fields);
  return text;
}

/** The range in words: "the last 24h", "2026-11-21 to 2026-11-22". */
export function rangeWords(values: RangeValues): string {
  return values.to ? `${values.from} to ${values.to}` : `the last ${values.from}`;
}

export interface AbsentField {
  field: string;
  similar: string[];
}

/** On stderr, the fields the platform says no event of the range holds: most often a misspelling. */
export function reportAbsentFields(command: string, absent: AbsentField[] | undefined): void {
  for (const { field, similar } of absent ?? []) {
    console.error(`loupe ${command}: no event in that range has the field ${field}${similar.length > 0 ? `; did you mean ${similar.join(' or ')}?` : ' (loupe fields lists the fields events have)'}`);
  }
}

/**
 * True, after showing how to quote it, when a query came as several arguments (`extra` holds
 * those past it); `example` is what follows `loupe COMMAND` in the example shown.
 */
export function unquotedQuery(command: string, extra: string[], example: string): boolean {
  if (extra.length === 0) return false;
  console.error(`loupe ${command}: quote the query as one argument, e.g. loupe ${command} ${example}`);
  return true;
}
