import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loupe, platform, post } from './cli.fixture.js';

const at = (ms: number) => new Date(Date.now() - 60_000 + ms).toISOString();

/** Errors of three services, 5 + 3 + 1, and one info line; two carry a price. */
function incident(): Array<Record<string, unknown>> {
  const error = (i: number, service: string) => ({ '@timestamp': at(i), 'log.level': 'error', 'service.name': service, message: `failed ${i}`, 'error.type': 'TimeoutError' });
  return [
    ...[0, 1, 2, 3, 4].map((i) => error(i, 'mes-api')),
    ...[5, 6, 7].map((i) => error(i, 'crm-api')),
    { ...error(8, 'shop-api'), 'pricing.cost': 1250.5 },
    { '@timestamp': at(9), 'log.level': 'info', 'service.name': 'mes-api', message: 'priced', 'pricing.cost': '980' },
  ];
}

test('R28 loupe fields lists the fields of matching events with their share and type', async (t) => {
  const url = await platform(t);
  assert.equal((await post(url, incident())).status, 200);
  const answer = await loupe(['fields', 'log.level:error', '--from', '1h'], { LOUPE_URL: url });
  assert.equal(answer.code, 0, answer.stderr);
  const lines = answer.stdout.trimEnd().split('\n');
  assert.equal(lines[0], '8 fields in the 9 events matching in the last 1h (* in a column of its own: fastest to search)');
  assert.match(lines[1]!, /^FIELD +EVENTS +TYPE$/);
  const row = (field: string) => lines.find((line) => line.startsWith(`${field} `))?.replace(/ +/g, ' ');
  assert.equal(row('@timestamp'), '@timestamp * 100% 9 date');
  assert.equal(row('service.name'), 'service.name * 100% 9 keyword');
  assert.equal(row('message'), 'message * 100% 9 text');
  assert.equal(row('pricing.cost'), 'pricing.cost 11% 1 number');

  const all = await loupe(['fields', '--from', '1h', '--json'], { LOUPE_URL: url });
  const list = JSON.parse(all.stdout) as { sampled: number; fields: Array<{ field: string; type: string; types?: string[] }> };
  assert.equal(list.sampled, 10);
  assert.deepEqual(list.fields.find((field) => field.field === 'pricing.cost'), { field: 'pricing.cost', type: 'mixed', types: ['number', 'string'], events: 2, column: false });

  const none = await loupe(['fields', 'odrer.id:ORD-1', '--from', '1h'], { LOUPE_URL: url });
  assert.equal(none.stdout, '');
  assert.equal(none.stderr, 'loupe fields: no events match in the last 1h\nloupe fields: no event in that range has the field odrer.id; did you mean order.id?\n');
  const unquoted = await loupe(['fields', 'log.level:error', 'and', 'x:y'], { LOUPE_URL: url });
  assert.equal(unquoted.code, 2);
  assert.match(unquoted.stderr, /quote the query as one argument/);
});

test('R28 loupe top shows a field\'s most frequent values among matching events, with counts and bars', async (t) => {
  const url = await platform(t);
  assert.equal((await post(url, incident())).status, 200);
  const answer = await loupe(['top', 'service.name', 'log.level:error', '--from', '1h'], { LOUPE_URL: url });
  assert.equal(answer.code, 0, answer.stderr);
  assert.equal(answer.stdout, [
    'service.name  EVENTS',
    `mes-api            5  ${'█'.repeat(30)}`,
    `crm-api            3  ${'█'.repeat(18)}`,
    `shop-api           1  ${'█'.repeat(6)}`,
    '',
  ].join('\n'));
  const two = await loupe(['top', 'service.name', '--limit', '2', '--from', '1h', '--json'], { LOUPE_URL: url });
  assert.deepEqual(JSON.parse(two.stdout), { field: 'service.name', values: [{ value: 'mes-api', count: 6 }, { value: 'crm-api', count: 3 }] });

  const misspelt = await loupe(['top', 'servce.name', '--from', '1h'], { LOUPE_URL: url });
  assert.equal(misspelt.code, 0);
  assert.equal(misspelt.stderr, 'loupe top: no event matching in the last 1h has a value for servce.name\nloupe top: no event in that range has the field servce.name; did you mean service.name?\n');
  const noField = await loupe(['top'], { LOUPE_URL: url });
  assert.equal(noField.code, 2);
  assert.match(noField.stderr, /^loupe top: name the field, e\.g\. loupe top service\.name 'log\.level:error'\nUsage: /);
  const badLimit = await loupe(['top', 'service.name', '--limit', '0'], { LOUPE_URL: url });
  assert.equal(badLimit.code, 1);
  assert.match(badLimit.stderr, /limit must be a whole number from 1 to 1000/);
});

test('R28 loupe search --fields prints only the named fields; with --text they follow the line as name=value', async (t) => {
  const url = await platform(t);
  assert.equal((await post(url, incident())).status, 200);
  const json = await loupe(['search', 'service.name:shop-api', '--fields', 'error.*,pricing.cost', '--from', '1h'], { LOUPE_URL: url });
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), { 'error.type': 'TimeoutError', 'pricing.cost': 1250.5 });
  const text = await loupe(['search', 'service.name:shop-api', '--fields', 'error.*,pricing.cost', '--text', '--from', '1h'], { LOUPE_URL: url });
  assert.match(text.stdout, /^\S+Z {2}shop-api {6}error failed 8 {2}error\.type=TimeoutError pricing\.cost=1250\.5\n$/);
  const bad = await loupe(['search', '*', '--fields', 'a,,b', '--from', '1h'], { LOUPE_URL: url });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /fields="a,,b" must be field names separated by commas/);
});

test('R29 loupe histogram draws a row per interval, empty ones too, split by a field', async (t) => {
  const url = await platform(t);
  const hour = Date.parse('2026-12-07T10:00:00Z');
  const error = (minute: number, service: string) => ({ '@timestamp': new Date(hour + minute * 60_000).toISOString(), 'log.level': 'error', 'service.name': service, message: 'failed' });
  assert.equal((await post(url, [error(1, 'mes-api'), error(2, 'mes-api'), error(3, 'crm-api'), error(12, 'mes-api')])).status, 200);
  const range = ['--from', '2026-12-07T10:00:00Z', '--to', '2026-12-07T10:20:00Z'];
  const answer = await loupe(['histogram', 'log.level:error', ...range, '--interval', '5m', '--split', 'service.name'], { LOUPE_URL: url });
  assert.equal(answer.code, 0, answer.stderr);
  assert.equal(answer.stdout, [
    'Events per 5m in 2026-12-07T10:00:00Z to 2026-12-07T10:20:00Z (UTC), by service.name',
    'TIME              TOTAL  mes-api  crm-api',
    `2026-12-07 10:00      3        2        1  ${'█'.repeat(40)}`,
    '2026-12-07 10:05      0        0        0  ',
    `2026-12-07 10:10      1        1        0  ${'█'.repeat(13)}`,
    '2026-12-07 10:15      0        0        0  ',
    '',
  ].join('\n'));
  // A value named "other" keeps its own column, apart from the values past the fifth.
  const tagged = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ ...error(1, 'shop-api'), message: `${tag} ${i}`, tag }));
  await post(url, [...tagged('other', 7), ...['a', 'b', 'c', 'd', 'e', 'f'].flatMap((tag, i) => tagged(tag, 6 - i))]);
  const split = await loupe(['histogram', 'tag:*', ...range, '--interval', '20m', '--split', 'tag'], { LOUPE_URL: url });
  assert.equal(split.stdout.split('\n')[1], 'TIME              TOTAL  other      a      b      c      d  (other)');
  assert.match(split.stdout.split('\n')[2]!, /^2026-12-07 10:00 +28 +7 +6 +5 +4 +3 +3 /);
  const tooMany = await loupe(['histogram', '--from', '30d', '--interval', '1s'], { LOUPE_URL: url });
  assert.equal(tooMany.code, 1);
  assert.match(tooMany.stderr, /more than 65,536: use a longer interval/);
  const none = await loupe(['histogram', 'service.name:nothing', ...range], { LOUPE_URL: url });
  assert.equal(none.stderr, 'loupe histogram: no events match in 2026-12-07T10:00:00Z to 2026-12-07T10:20:00Z\n');
});
