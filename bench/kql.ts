// `npm run bench -- kql`: nanoseconds to parse a typical four-clause KQL query and render it
// to DuckDB SQL, against JSON.parse of the same syntax tree written as JSON (the floor for
// "turning a query string into a tree").
import { machineLine, nsPerCall } from './baseline.js';

type Kql = typeof import('../packages/platform/dist/kql/index.js');
// @loupe/platform does not export kql yet; once its index does, import from '@loupe/platform' instead.
const { defaultColumnMap, kqlToElasticsearch, kqlToSql, parseKql } = (await import(
  new URL('../../packages/platform/dist/kql/index.js', import.meta.url).href
)) as Kql;

const ITERATIONS = 100_000;
const RUNS = 5;
const query = 'service.name:mes-api and log.level:error and order.id:ORD-1042 and @timestamp >= "2026-11-21T10:00:00Z"';
const json = JSON.stringify(parseKql(query));
const now = new Date('2026-11-21T12:00:00Z');
let sink = 0;

// The median of a few runs, so one burst of load on a shared machine does not set the figure.
function medianNsPerCall(fn: () => void): number {
  const runs = Array.from({ length: RUNS }, () => nsPerCall(fn, ITERATIONS)).sort((a, b) => a - b);
  return runs[Math.floor(RUNS / 2)]!;
}

const rows: Array<[string, number]> = [
  ['JSON.parse of the same tree (baseline)', medianNsPerCall(() => { sink += (JSON.parse(json) as { kind: string }).kind.length; })],
  ['parseKql', medianNsPerCall(() => { sink += parseKql(query).kind.length; })],
  ['parseKql + kqlToSql', medianNsPerCall(() => { sink += kqlToSql(parseKql(query), defaultColumnMap, { now }).params.length; })],
  ['parseKql + kqlToElasticsearch', medianNsPerCall(() => { sink += Object.keys(kqlToElasticsearch(parseKql(query))).length; })],
];

console.log(`kql benchmark — ${await machineLine()}`);
console.log(`query (${query.length} chars): ${query}`);
const baseline = rows[0]![1];
for (const [label, ns] of rows) {
  console.log(`${label.padEnd(40)} ${ns.toFixed(0).padStart(6)} ns/query   ${(ns / baseline).toFixed(2)}× JSON.parse`);
}
if (sink === 0) throw new Error('the benchmark computed nothing');
