import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '@loupe/schema';
import { defaultColumnMap } from './columns.js';
import { KqlSyntaxError } from './kql-error.js';
import { parseKql } from './parse.js';
import { kqlToSql } from './to-sql.js';
import { openWorkshopLogs, selectIds } from './workshop-logs.fixture.js';

let logs: DuckDBConnection;
before(async () => {
  logs = await openWorkshopLogs();
});
after(async () => {
  const reader = await logs.runAndReadAll('SELECT count(*) AS lines FROM logs');
  assert.equal(Number(reader.getRowObjects()[0]!.lines), 30, 'the logs table survives every hostile query');
});

/** The ids a query finds, or the LoupeError it was refused with (any other exception fails the test). */
async function attempt(query: string): Promise<number[] | LoupeError> {
  let fragment;
  try {
    fragment = kqlToSql(parseKql(query), defaultColumnMap, { now: new Date('2026-11-21T12:00:00Z') });
  } catch (error) {
    assert.ok(error instanceof LoupeError, `${JSON.stringify(query.slice(0, 80))} threw ${String(error)}`);
    if (error instanceof KqlSyntaxError) assert.match(error.message, new RegExp(`column ${error.column}\\b`));
    return error;
  }
  return selectIds(logs, fragment.where, fragment.params);
}

async function refused(query: string, code: string, column?: number): Promise<void> {
  const outcome = await attempt(query);
  assert.ok(outcome instanceof LoupeError, `${JSON.stringify(query.slice(0, 80))} found ${String(outcome)}`);
  assert.equal(outcome.code, code);
  if (column !== undefined) assert.equal((outcome as KqlSyntaxError).column, column);
}

test('SQL in a value is only ever a value', async () => {
  assert.deepEqual(await attempt(`order.id:"x' OR 1=1 --"`), [28]);
  assert.deepEqual(await attempt(`message:"'); DROP TABLE logs; --"`), []);
  assert.deepEqual(await attempt(`order.id:x' OR 1=1`), []);
  assert.deepEqual(await attempt(`http.route:"'; SELECT * FROM logs; --" or url.path > "z'; DROP TABLE logs"`), []);
  await refused(`'); DROP TABLE logs; --`, 'KQL_SYNTAX', 2);
});

test('SQL in a field name is refused before it reaches SQL', async () => {
  await refused(`"a') OR 1=1 --":x`, 'KQL_BAD_FIELD', 1);
  await refused(`"attrs, '$') OR (1=1":x`, 'KQL_BAD_FIELD', 1);
  await refused(`"":x`, 'KQL_BAD_FIELD', 1);
});

test('% and _ in values match themselves', async () => {
  assert.deepEqual(await attempt('message:"100%"'), [15]);
  assert.deepEqual(await attempt('message:%'), [15]);
  assert.deepEqual(await attempt('message:*_*'), [14, 16, 24]);
  assert.deepEqual(await attempt('SUMMER_2026'), [16]);
  assert.deepEqual(await attempt('pricing.discount_code:SUMMER_2026'), [16]);
  assert.deepEqual(await attempt('pricing.discount_code:SUMMER_*'), [16]);
});

test('quotes and backslashes in values match themselves', async () => {
  assert.deepEqual(await attempt('"C:\\\\models\\\\ring.stl"'), [26]);
  assert.deepEqual(await attempt('C\\:\\\\models\\\\ring*'), [26]);
  assert.deepEqual(await attempt('message:\\\\'), [26]);
  assert.deepEqual(await attempt('"\\"rings\\""'), [25]);
  assert.deepEqual(await attempt('message:\\"rings\\"'), [25]);
  assert.deepEqual(await attempt('message:"💍 \u0000 \ud800"'), []);
});

test('unbalanced quotes and parentheses and lone operators are refused with a column', async () => {
  const broken: [string, number][] = [
    ['"', 1], ['\\', 1], [':', 1], [')(', 1], ['a:(', 4], ['a:)', 3], ['((a:1)', 7], ['not not', 8], ['and or', 1],
    ['a >= ', 6], ['>=', 1], ['a:"', 3], ['a:1 and', 8], ['a:(b or)', 8], ['(', 2], ['"a" "b"', 5],
  ];
  for (const [query, column] of broken) await refused(query, 'KQL_SYNTAX', column);
});

test('a 10 KB query runs; overlong and overdeep ones are refused', async () => {
  const longOr = Array.from({ length: 600 }, (_, i) => (i === 599 ? 'service.name:crm-api' : `order.id:ORD-${i}`)).join(' or ');
  assert.ok(longOr.length > 10_000);
  assert.deepEqual(await attempt(longOr), [9, 10, 18, 19, 20, 27]);
  assert.deepEqual(await attempt('x'.repeat(10_000)), []);
  await refused(`${'('.repeat(1000)}a:1${')'.repeat(1000)}`, 'KQL_TOO_DEEP', 101);
  await refused(`a:${'('.repeat(1000)}`, 'KQL_TOO_DEEP', 103);
  await refused('('.repeat(10_000), 'KQL_TOO_DEEP', 101);
  await refused(`${'not '.repeat(1000)}a:1`, 'KQL_TOO_DEEP', 401);
  await refused('a'.repeat(20_001), 'KQL_TOO_LONG', 20_001);
});

test('a value a typed column cannot hold is refused, not sent to DuckDB', async () => {
  await refused('http.response.status_code:1; DROP TABLE logs', 'KQL_BAD_VALUE');
});

test('numbers beyond what a BIGINT or a double holds still compare', async () => {
  assert.deepEqual(await attempt('event.duration > 99999999999999999999999999999999999999999999'), []);
  assert.deepEqual(await attempt('event.duration < 1e44 and event.duration > 9223372036854775806'), []);
  assert.deepEqual(await attempt('event.duration >= -9223372036854775808 and http.response.status_code > 503'), [23]);
  assert.deepEqual(await attempt('model.polygon_count > 123456789012345678901234567890 or model.polygon_count:1e400'), []);
});

test('random junk made of KQL syntax never throws anything but a LoupeError, and what renders runs', async () => {
  const alphabet = ['a', 'b.c', '@timestamp', 'http.response.status_code', 'message', ' ', ' ', ':', '(', ')', '"', '\\', '*', '<', '>=', ' and ', ' or ', 'not ', "'", '%', '_', '1', 'now-1h', '2026-11-21', '{', '-'];
  let seed = 42;
  const random = (below: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % below;
  };
  for (let i = 0; i < 600; i++) {
    const query = Array.from({ length: 1 + random(12) }, () => alphabet[random(alphabet.length)]).join('');
    const outcome = await attempt(query);
    if (!(outcome instanceof LoupeError)) assert.ok(Array.isArray(outcome));
  }
});
