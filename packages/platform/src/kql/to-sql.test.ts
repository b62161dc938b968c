import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '@loupe/schema';
import { defaultColumnMap, type ColumnMap } from './columns.js';
import { parseKql } from './parse.js';
import { kqlToSql, type KqlToSqlOptions } from './to-sql.js';
import { openWorkshopLogs, selectIds, workshopLogs } from './workshop-logs.fixture.js';

let logs: DuckDBConnection;
before(async () => {
  logs = await openWorkshopLogs();
});

async function search(query: string, options?: KqlToSqlOptions): Promise<number[]> {
  const { where, params } = kqlToSql(parseKql(query), defaultColumnMap, options);
  return selectIds(logs, where, params);
}

const allIds = workshopLogs.map((row) => row.id);
const except = (...ids: number[]) => allIds.filter((id) => !ids.includes(id));

test('values travel as parameters, fields as the column map says', () => {
  assert.deepEqual(kqlToSql(parseKql('service.name:mes-api and log.level:error and order.id:ORD-1042'), defaultColumnMap), {
    where: '(service = $1 AND lower(level) = lower($2) AND order_id = $3)',
    params: ['mes-api', 'error', 'ORD-1042'],
  });
  assert.deepEqual(kqlToSql(parseKql('http.route:"/orders/:id"'), defaultColumnMap, { firstParam: 3 }), {
    where: '(json_extract_string(attrs, $3) = $4 OR list_contains(TRY_CAST(json_extract(attrs, $3) AS VARCHAR[]), $4))',
    params: ['$."http.route"', '/orders/:id'],
  });
});

test('an order found across fields: service, level and order id', async () => {
  assert.deepEqual(await search('service.name:mes-api and log.level:error and order.id:ORD-1042'), [4, 6]);
  assert.deepEqual(await search('trace.id:4bf92f3577b34da6a3ce929d0e0e4736'), [1, 2, 24, 30]);
  assert.deepEqual(await search('http.response.status_code:404'), [8, 28]);
});

test('keywords match exactly and case-sensitively; log levels ignore case', async () => {
  assert.deepEqual(await search('service.name:MES-API'), []);
  assert.deepEqual(await search('log.level:error'), [4, 6, 8, 10, 14, 23, 26]);
  assert.deepEqual(await search('log.level:ERR*'), [4, 6, 8, 10, 14, 23, 26]);
  assert.deepEqual(await search('order.id:ORD-104'), []);
});

test('wildcards match anywhere they are written', async () => {
  assert.deepEqual(await search('service.name:mes*'), [2, 3, 4, 5, 6, 12, 13, 14, 21, 24, 26, 30]);
  assert.deepEqual(await search('service.name:MES*'), []);
  assert.deepEqual(await search('http.response.status_code:4*'), [8, 18, 19, 28]);
  assert.deepEqual(await search('http.route:/orders*'), [1, 7, 8, 11, 23, 29]);
  assert.deepEqual(await search('message:*timeout*'), [4, 10, 23]);
});

test('free text and message: search the message, ignoring case; side-by-side words must all occur', async () => {
  assert.deepEqual(await search('TIMEOUT'), [4, 10, 23]);
  assert.deepEqual(await search('message:shipped'), [30]);
  assert.deepEqual(await search('price calculation'), [4, 5]);
  assert.deepEqual(await search('"price calculation timeout"'), [4]);
  assert.deepEqual(await search('order shipped'), [30]);
  assert.deepEqual(await search('pay*timeout'), [23]);
  // SQL's LIKE wildcards in a term are plain characters.
  assert.deepEqual(await search('price_calculation'), []);
  assert.deepEqual(await search('"price%calculation"'), []);
  assert.deepEqual(await search('"30000 MS"'), [4]);
});

test('unquoted words on the message occur in any order, as Kibana\'s match query finds them; a quoted phrase keeps its order', async () => {
  assert.deepEqual(await search('message:calculation price'), [4, 5]);
  assert.deepEqual(await search('message:"calculation price"'), []);
  assert.deepEqual(await search('message:price calculation'), [4, 5]);
  assert.deepEqual(await search('message:ms price*'), [4]);
  // Elasticsearch makes no terms of an empty phrase on a text field, so it finds nothing.
  assert.deepEqual(await search('""'), []);
  assert.deepEqual(await search('message:" " or not message:""'), allIds);
});

test('numeric ranges on typed columns', async () => {
  assert.deepEqual(await search('http.response.status_code >= 500'), [10, 23]);
  assert.deepEqual(await search('http.response.status_code >= 400 and http.response.status_code < 500'), [8, 18, 19, 28]);
  assert.deepEqual(await search('event.duration > 1000000000'), [4, 10, 23, 29]);
  assert.deepEqual(await search('event.duration <= 3500000'), [7]);
});

test('timestamp ranges: instants, offsets, whole days and date math', async () => {
  assert.deepEqual(await search('@timestamp >= "2026-11-21T10:00:00Z"'), [21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
  assert.deepEqual(await search('@timestamp > "2026-11-21T10:00:00Z"'), [22, 23, 24, 25, 26, 27, 28, 29, 30]);
  assert.deepEqual(await search('@timestamp < "2026-11-21T11:02:00+02:00"'), [1, 2, 3]);
  assert.deepEqual(await search('@timestamp:"2026-11-21T10:00:00.5Z"'), [22]);
  assert.deepEqual(await search('@timestamp:2026-11-21'), allIds);
  assert.deepEqual(await search('@timestamp <= 2026-11-21 and @timestamp > 2026-11-20'), allIds);
  assert.deepEqual(await search('@timestamp > 2026-11-21'), []);
  const now = new Date('2026-11-21T11:20:00Z');
  assert.deepEqual(await search('@timestamp >= now-1h', { now }), [25, 26, 27, 28, 29, 30]);
  assert.deepEqual(await search('@timestamp <= now-2h/h', { now }), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
});

test('timestamp ranges as Elasticsearch reads them too: years, months, epoch milliseconds and date math from a date', async () => {
  assert.deepEqual(await search('@timestamp:2026-11'), allIds);
  assert.deepEqual(await search('@timestamp:2026'), allIds);
  assert.deepEqual(await search('@timestamp < 2026-11 or @timestamp >= 2026-12'), []);
  assert.deepEqual(await search('@timestamp >= 2027'), []);
  assert.deepEqual(await search(`@timestamp >= ${Date.parse('2026-11-21T10:00:00Z')}`), [21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
  assert.deepEqual(await search('@timestamp >= "2026-11-21T09:00:00Z||+1h"'), [21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
  assert.deepEqual(await search('@timestamp >= "2026-11-20||+1d" and @timestamp < 2026-11-21||+1d'), allIds);
  await assert.rejects(search('@timestamp >= 2026-13'), { code: 'KQL_BAD_VALUE' });
});

test('not also keeps lines without the field, as Kibana does', async () => {
  assert.deepEqual(await search('not service.name:mes-api'), [1, 7, 8, 9, 10, 11, 15, 16, 17, 18, 19, 20, 22, 23, 25, 27, 28, 29]);
  assert.deepEqual(await search('not order.id:ORD-1042'), except(1, 2, 3, 4, 5, 6, 24, 30));
  assert.deepEqual(await search('user.id:* and not user.id:U-2'), [9, 20, 27]);
});

test('grouping and precedence decide which lines match', async () => {
  assert.deepEqual(await search('(service.name:crm-api or service.name:shop-api) and log.level:(error or warn)'), [8, 10, 18, 19, 23, 28, 29]);
  assert.deepEqual(await search('service.name:crm-api or service.name:shop-api and log.level:error'), [8, 9, 10, 18, 19, 20, 23, 27]);
  assert.deepEqual(await search('http.response.status_code:(401 or 404) and not client.ip:203.0.113.7'), [8, 28]);
});

test('field:* finds lines that have the field, typed or in attrs', async () => {
  assert.deepEqual(await search('customer.id:*'), [1, 9, 10, 11]);
  assert.deepEqual(await search('order.status:*'), [14, 24, 30]);
  assert.deepEqual(await search('*'), allIds);
  assert.deepEqual(await search(''), allIds);
});

test('fields outside the typed columns are read from attrs, numbers compared as numbers', async () => {
  assert.deepEqual(await search('http.route:"/orders/:id"'), [7, 8]);
  assert.deepEqual(await search('model.polygon_count > 1000'), [3, 26]);
  assert.deepEqual(await search('model.polygon_count:1200'), [3]);
  assert.deepEqual(await search('process.cpu.pct >= 50'), [22]);
  assert.deepEqual(await search('slow:true'), [29]);
  assert.deepEqual(await search('order.previous_status:PRICE_CALCULATING'), [24]);
  assert.deepEqual(await search('call.target:pricing-engine'), [4, 6]);
});

test('a caller can put its own parameters first', async () => {
  const { where, params } = kqlToSql(parseKql('log.level:error'), defaultColumnMap, { firstParam: 2 });
  assert.deepEqual(await selectIds(logs, `ts >= CAST($1 AS TIMESTAMP) AND ${where}`, ['2026-11-21 10:00:00', ...params]), [23, 26]);
});

test('a value the field cannot hold is a KQL_BAD_VALUE, an unknown field KQL_UNKNOWN_FIELD', () => {
  const render = (query: string, columns: ColumnMap = defaultColumnMap) => () => kqlToSql(parseKql(query), columns);
  assert.throws(render('http.response.status_code:abc'), { code: 'KQL_BAD_VALUE', message: 'http.response.status_code needs a number, not "abc"' });
  assert.throws(render('@timestamp > yesterday'), { code: 'KQL_BAD_VALUE' });
  assert.throws(render('@timestamp:2026-02-30'), { code: 'KQL_BAD_VALUE' });
  assert.throws(render('@timestamp:2026-11-*'), { code: 'KQL_BAD_VALUE' });
  assert.throws(render('@timestamp < now+99999999y'), { code: 'KQL_BAD_VALUE' });
  const typedOnly: ColumnMap = { columns: defaultColumnMap.columns };
  assert.throws(render('http.route:x', typedOnly), (error: unknown) => error instanceof LoupeError && error.code === 'KQL_UNKNOWN_FIELD');
  assert.throws(render('constructor:x', typedOnly), { code: 'KQL_UNKNOWN_FIELD' });
});

test('years before 100 stay where they were written', async () => {
  assert.deepEqual(kqlToSql(parseKql('@timestamp < 0050-01-01'), defaultColumnMap).params, ['0050-01-01 00:00:00.000000']);
  assert.deepEqual(await search('@timestamp > "0050-01-01T00:00:00Z"'), allIds);
});
