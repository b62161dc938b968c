import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StagingFile } from './staging-file.js';

test('R24 a staging file keeps every line whole, short or longer than its buffer, in order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-staging-'));
  try {
    const lines = [
      JSON.stringify({ id: 'a', message: 'Заказ ORD-1 оплачен' }),
      JSON.stringify({ id: 'b', attrs: { payload: 'x'.repeat(700_000) } }),
      ...Array.from({ length: 3_000 }, (_, i) => JSON.stringify({ id: `c${i}`, message: 'y'.repeat(i % 500) })),
      JSON.stringify({ id: 'd', attrs: { payload: 'ё'.repeat(400_000) } }),
    ];
    const file = new StagingFile(join(dir, 'staging-1.ndjson'));
    for (const line of lines) file.append(line);
    file.close();
    assert.deepEqual(readFileSync(join(dir, 'staging-1.ndjson'), 'utf8').split('\n'), [...lines, '']);

    const dropped = new StagingFile(join(dir, 'staging-2.ndjson'));
    dropped.append(lines[0]!);
    dropped.discard();
    assert.equal(existsSync(join(dir, 'staging-2.ndjson')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
