import { parseTimeParam } from '@loupe/platform';
import { count } from '../count.js';
import { commandArgs, type Command } from '../command.js';
import { getJson } from '../platform-client.js';
import { queryParams, rangeOptions, rangeWords, reportAbsentFields, unquotedQuery, type AbsentField } from '../query-options.js';

interface HistogramAnswer {
  intervalMs: number;
  buckets: Array<{ ts: number; count: number; key?: string | null; other?: true }>;
  absentFields?: AbsentField[];
}

/** The longest bar, in characters; the split values with columns of their own (the rest are summed as "other"); the most rows drawn. */
const BAR = 40;
const SPLIT_COLUMNS = 5;
const OTHER = 'other';
const NONE = 'none';
const MAX_ROWS = 1000;


/** An interval as people write it: 30s, 5m, 1h, 1d. */
function intervalWords(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms / 1000}s`;
}

/** The bucket starts of the range, on the platform's grid (found from one bucket it returned), empty ones included. */
function bucketStarts(anyBucket: number, intervalMs: number, from: number, to: number): number[] {
  const starts: number[] = [];
  for (let at = anyBucket - Math.ceil((anyBucket - from) / intervalMs) * intervalMs; at < to && starts.length <= MAX_ROWS; at += intervalMs) starts.push(at);
  return starts;
}

export const histogramCommand: Command = {
  name: 'histogram',
  summary: 'Chart the events matching a KQL query over time, a row per interval, optionally split by a field (R29)',
  usage: "loupe histogram ['log.level:error'] [--from 24h] [--to now] [--interval auto|30s|5m|1h|1d] [--split service.name] [--indices logs-*] [--json]",
  async run(argv) {
    const parsed = commandArgs(histogramCommand, {
      args: argv,
      allowPositionals: true,
      options: { ...rangeOptions, interval: { type: 'string', default: 'auto' }, split: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    if (unquotedQuery('histogram', positionals.slice(1), "'log.level:error and service.name:mes-api'")) return 2;
    // The range is fixed here, so the empty intervals at its ends can be drawn too.
    const now = Date.now();
    const from = parseTimeParam(values.from, 'from', now)!;
    const to = parseTimeParam(values.to, 'to', now) ?? now;
    const params = queryParams(positionals[0] ?? '*', { ...values, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    params.set('interval', values.interval);
    if (values.split) {
      params.set('split', values.split);
      params.set('splitSize', String(SPLIT_COLUMNS));
    }
    const answer = await getJson<HistogramAnswer>(`/api/histogram?${params}`, 'buckets');
    if (values.json) {
      console.log(JSON.stringify(answer));
      return 0;
    }
    reportAbsentFields('histogram', answer.absentFields);
    if (answer.buckets.length === 0) {
      console.error(`loupe histogram: no events match in ${rangeWords(values)}`);
      return 0;
    }
    const starts = bucketStarts(answer.buckets[0]!.ts, answer.intervalMs, from, to);
    if (starts.length > MAX_ROWS) {
      console.error(`loupe histogram: ${intervalWords(answer.intervalMs)} intervals make more than ${count(MAX_ROWS)} rows over ${rangeWords(values)}; give a longer --interval`);
      return 2;
    }
    // A column per split value, the most events first; the platform sums the values past five as "other", drawn last.
    // Columns are keyed apart from any value ("other" or "(none)" may be one), and named when drawn.
    const columnOf = (bucket: HistogramAnswer['buckets'][number]) => (!values.split ? '' : bucket.other ? OTHER : bucket.key === null || bucket.key === undefined ? NONE : `=${bucket.key}`);
    const title = (column: string) => (column === OTHER ? '(other)' : column === NONE ? '(none)' : column.slice(1));
    const totals = new Map<string, number>();
    for (const bucket of answer.buckets) if (values.split) totals.set(columnOf(bucket), (totals.get(columnOf(bucket)) ?? 0) + bucket.count);
    const columns = [...totals].sort((a, b) => Number(a[0] === OTHER) - Number(b[0] === OTHER) || b[1] - a[1]).map(([column]) => column);
    const rows = new Map<number, Map<string, number>>(starts.map((start) => [start, new Map()]));
    for (const bucket of answer.buckets) {
      const row = rows.get(bucket.ts);
      if (row) row.set(columnOf(bucket), (row.get(columnOf(bucket)) ?? 0) + bucket.count);
    }
    const sums = starts.map((start) => [...rows.get(start)!.values()].reduce((a, b) => a + b, 0));
    const most = Math.max(...sums);
    const label = (ms: number) => new Date(ms).toISOString().slice(0, answer.intervalMs < 60_000 ? 19 : 16).replace('T', ' ');
    const widths = columns.map((column) => Math.max(title(column).length, 5));
    const totalWidth = Math.max(5, count(most).length);
    console.log(`Events per ${intervalWords(answer.intervalMs)} in ${rangeWords(values)} (UTC)${values.split ? `, by ${values.split}` : ''}`);
    console.log(`${'TIME'.padEnd(label(from).length)}  ${'TOTAL'.padStart(totalWidth)}${columns.map((column, i) => `  ${title(column).padStart(widths[i]!)}`).join('')}`);
    starts.forEach((start, i) => {
      const row = rows.get(start)!;
      const bar = sums[i]! === 0 ? '' : '█'.repeat(Math.max(1, Math.round((sums[i]! / most) * BAR)));
      console.log(`${label(start)}  ${count(sums[i]!).padStart(totalWidth)}${columns.map((column, c) => `  ${count(row.get(column) ?? 0).padStart(widths[c]!)}`).join('')}  ${bar}`);
    });
    return 0;
  },
};
