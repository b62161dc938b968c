import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimestamp } from './parse-timestamp.js';

const at = (iso: string) => Date.parse(iso);

test('R25 timestamps in the formats shippers send are read to epoch milliseconds', () => {
  const cases: Array<[unknown, string]> = [
    ['2026-11-21T10:00:00.123Z', '2026-11-21T10:00:00.123Z'],
    ['2026-11-21 10:00:00,123', '2026-11-21T10:00:00.123Z'],
    ['2026-11-21T13:00:00.123456+03:00', '2026-11-21T10:00:00.123Z'],
    ['2026-11-21 10:00:00 UTC', '2026-11-21T10:00:00.000Z'],
    ['21/Nov/2026:13:00:00 +0300', '2026-11-21T10:00:00.000Z'],
    ['Sat, 21 Nov 2026 10:00:00 GMT', '2026-11-21T10:00:00.000Z'],
    [1_795_255_200, '2026-11-21T10:00:00.000Z'],
    [1_795_255_200_123, '2026-11-21T10:00:00.123Z'],
    [1_795_255_200_123_000, '2026-11-21T10:00:00.123Z'],
    [1_795_255_200_123_000_000, '2026-11-21T10:00:00.123Z'],
    ['1795255200', '2026-11-21T10:00:00.000Z'],
    ['0026-11-21T10:00:00Z', '0026-11-21T10:00:00.000Z'],
  ];
  for (const [value, iso] of cases) assert.equal(parseTimestamp(value), at(iso), String(value));
});

test('R25 a timestamp with parts out of range, or outside years 1 to 9999, is unreadable rather than rolled over', () => {
  for (const value of ['2026-13-45T99:99:99Z', '2026-02-31 10:00:00', '2026-11-21 25:00:00', '32/Nov/2026:10:00:00 +0000', 1.2345678901234568e29, '+275760-09-13T00:00:00Z', -5, 0, Number.NaN, '', 'yesterday', 'x'.repeat(100)]) {
    assert.equal(parseTimestamp(value), undefined, String(value));
  }
});
