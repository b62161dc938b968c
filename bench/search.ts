// `npm run bench -- search [millions]`: with 10M workshop events in the store (an index per
// service per day over 30 days), the latency of an order journey, a free-text term over 24 h
// and a histogram by service and level; baseline: the same queries on one unpartitioned table.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbStore, orderJourney, orderKeySql, parseKql, tableColumnsSql } from '@loupe/platform';
import { machineLine } from './baseline.js';

const millions = Number(process.argv[2] ?? 10);
const total = Math.round(millions * 1_000_000);
const days = 30;
const services = ['shop-api', 'crm-api', 'mes-api', 'file-storage', 'loupe-platform'];
const firstDay = Date.UTC(2026, 9, 23);
const dayStamp = (day: number) => new Date(firstDay + day * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '.');

// An order lives about three days: its id comes from the day's three-day window and the row.
const orderSql = (day: number) => `'ORD-' || lpad((${Math.floor(day / 3) * 100_000} + (i * 7919) % 100000)::VARCHAR, 7, '0')`;

// Rows are generated inside DuckDB: loading 10M events through HTTP would measure ingest, not search.
const rowsSql = (service: number, day: number, perIndex: number) => `
  SELECT 'e' || '${service}-${day}-' || i AS id,
    make_timestamp(${(firstDay + day * 86_400_000) * 1000}::BIGINT + (i * ${Math.floor(86_400_000_000 / perIndex)})::BIGINT) AS ts,
    CASE WHEN i % 50 = 0 THEN 'error' WHEN i % 7 = 0 THEN 'debug' ELSE 'info' END AS level,
    '${services[service]}' AS service,
    CASE i % 5 WHEN 0 THEN 'Order ' || ${orderSql(day)} || ' status changed from PRICE_CALCULATING to PRICE_QUOTED'
      WHEN 1 THEN 'GET /orders/ORD-' || lpad((i % 200000)::VARCHAR, 6, '0') || ' 200'
      WHEN 2 THEN 'SELECT orders success'
      WHEN 3 THEN CASE WHEN i % 1000 = 3 THEN 'http POST http://file-storage/analyse failed: connect ETIMEDOUT' ELSE 'Message MSG-' || i || ' published to order.to-manufacturing' END
      ELSE 'Heartbeat' END AS message,
    CASE i % 5 WHEN 0 THEN 'order-status-changed' WHEN 1 THEN 'http-request' WHEN 2 THEN 'db-query' WHEN 3 THEN 'message-published' ELSE 'heartbeat' END AS action,
    md5(((i // 6) + ${(service * 1000 + day) * 1_000_000})::VARCHAR) AS trace_id,
    substr(md5(i::VARCHAR), 1, 16) AS span_id,
    CASE WHEN i % 5 IN (0, 2, 3) THEN ${orderSql(day)} END AS order_id,
    'CUS-' || (i % 9000) AS customer_id, NULL AS user_id,
    CASE WHEN i % 5 = 1 THEN (CASE WHEN i % 97 = 0 THEN 500 ELSE 200 END) END AS http_status,
    (i % 5000) * 1000 AS duration_ns, '10.0.' || (i % 200) || '.' || (i % 250) AS client_ip, NULL AS error_type, NULL AS url_path,
    '{"event.dataset":"${services[service]}"}'::JSON AS attrs
  FROM range(${perIndex}) t(i)`;

async function load(dir: string): Promise<void> {
  // The store creates its own bookkeeping tables; the rows are then generated beside them.
  await (await DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp') })).close();
  const instance = await DuckDBInstance.create(join(dir, 'loupe.duckdb'));
  const connection = await instance.connect();
  const perIndex = Math.floor(total / (days * services.length));
  // The store's own table layout, so the figures are those of a store filled by ingest.
  const columns = tableColumnsSql(true);
  await connection.run(`CREATE TABLE single_table (${columns})`);
  for (let day = 0; day < days; day++) {
    for (let service = 0; service < services.length; service++) {
      const table = `"logs-${services[service]}-${dayStamp(day)}"`;
      await connection.run(`CREATE TABLE ${table} (${columns})`);
      // No arrival stamp: generated, not loaded, so no live tail follows these rows.
      await connection.run(`INSERT INTO ${table} SELECT *, ${orderKeySql('order_id')}, NULL FROM (${rowsSql(service, day, perIndex)}) ORDER BY ts`);
      await connection.run(`INSERT INTO single_table SELECT * FROM ${table}`);
    }
    const dayTables = services.map((service) => `SELECT order_id FROM "logs-${service}-${dayStamp(day)}"`).join(' UNION ALL ');
    await connection.run(`INSERT INTO _order_days SELECT DISTINCT order_id, 'logs-*-${dayStamp(day)}' FROM (${dayTables}) WHERE order_id IS NOT NULL`);
    if (process.stderr.isTTY) process.stderr.write(`\r  loading: day ${day + 1}/${days}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  await connection.run('CHECKPOINT');
  connection.closeSync();
  instance.closeSync();
}

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `median ${at(0.5).toFixed(0).padStart(4)} ms, p99 ${at(0.99).toFixed(0).padStart(4)} ms`;
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

// LOUPE_BENCH_SEARCH_DIR keeps the generated data there and reuses it on the next run.
const keptDir = process.env.LOUPE_BENCH_SEARCH_DIR;
const dir = keptDir ?? mkdtempSync(join(tmpdir(), 'loupe-bench-search-'));
console.log(`search benchmark — ${await machineLine()}`);
console.log(`  ${total.toLocaleString('en')} events, ${days} days × ${services.length} services = ${days * services.length} indices`);
if (keptDir && existsSync(join(keptDir, 'loupe.duckdb'))) console.log(`  reusing the data in ${keptDir}`);
else {
  mkdirSync(dir, { recursive: true });
  await load(dir);
}
const store = await DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp') });
const lastDay = firstDay + (days - 1) * 86_400_000;
const dayRange = { from: lastDay, to: lastDay + 86_400_000 };
const runs = 20;

const journeyOrder = String((await store.search({ query: parseKql('order.id:*'), ...dayRange, limit: 1 })).events[0]?.['order.id']);
const found = await orderJourney(store, { orderId: journeyOrder });
console.log(`  journey of ${journeyOrder}: ${found.events.length} events over ${found.services.length} services`);
const journey = await time(runs, () => orderJourney(store, { orderId: journeyOrder }));
const journeyTrace = String(found.events[0]?.['trace.id']);
const traceJourney = await time(runs, () => orderJourney(store, { traceId: journeyTrace }));
const freeText = await time(runs, () => store.search({ query: parseKql('ETIMEDOUT'), ...dayRange, limit: 100 }));
const histogram = await time(runs, () => store.histogram({ query: parseKql('*'), ...dayRange, intervalMs: 3_600_000, splitBy: 'log.level', indices: 'logs-*' }));
const byService = await time(runs, () => store.topValues({ query: parseKql('log.level:error'), ...dayRange, field: 'service.name' }));
const fieldList = await time(runs, () => store.fields({ query: parseKql('*'), ...dayRange }));

// Baseline: the same questions on one table with every event, as a store without indices per day would ask them.
const instance = await DuckDBInstance.create(join(dir, 'loupe.duckdb'));
const baseline = await instance.connect();
const from = new Date(dayRange.from).toISOString();
const to = new Date(dayRange.to).toISOString();
const baseJourney = await time(runs, () => baseline.runAndReadAll(`SELECT * FROM single_table WHERE order_id = '${journeyOrder}' OR trace_id IN (SELECT trace_id FROM single_table WHERE order_id = '${journeyOrder}') ORDER BY ts LIMIT 5000`));
const baseTrace = await time(runs, () => baseline.runAndReadAll(`SELECT * FROM single_table WHERE trace_id = '${journeyTrace}' ORDER BY ts LIMIT 5000`));
const baseText = await time(runs, () => baseline.runAndReadAll(`SELECT * FROM single_table WHERE ts >= '${from}' AND ts < '${to}' AND message ILIKE '%ETIMEDOUT%' ORDER BY ts DESC LIMIT 100`));
const baseHistogram = await time(runs, () => baseline.runAndReadAll(`SELECT time_bucket(INTERVAL 1 HOUR, ts) b, level, count(*) FROM single_table WHERE ts >= '${from}' AND ts < '${to}' GROUP BY ALL`));
const baseFields = await time(runs, () => baseline.runAndReadAll(`SELECT DISTINCT unnest(json_keys(attrs)) FROM (SELECT attrs FROM single_table WHERE ts >= '${from}' AND ts < '${to}' ORDER BY ts DESC LIMIT 5000)`));
const median = (s: number[]) => [...s].sort((a, b) => a - b)[Math.floor(s.length / 2)]!;
for (const [label, loupe, base] of [
  ['order journey (all 30 days)', journey, baseJourney],
  ['trace journey (all 30 days)', traceJourney, baseTrace],
  ['free-text term over 24 h', freeText, baseText],
  ['histogram by hour and level, 24 h', histogram, baseHistogram],
  ['errors by service (top values), 24 h', byService, undefined],
  ['field list, newest 5,000 of 24 h', fieldList, baseFields],
] as const) {
  console.log(`  ${label.padEnd(38)} ${stats(loupe)}${base ? `   one-table baseline ${stats(base)} → Loupe ${(median(base) / median(loupe)).toFixed(1)}× its speed` : ''}`);
}
baseline.closeSync();
instance.closeSync();
await store.close();
if (!keptDir) rmSync(dir, { recursive: true, force: true });
