import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileGlob, expandGlob, globToRegExp } from './glob.js';

test('glob: * and ? stay within a path segment, ** spans any number of them, classes and alternatives work', () => {
  const re = globToRegExp('/data/logs/**/*.log');
  assert.ok(re.test('/data/logs/mes-api/mes-api.log'));
  assert.ok(re.test('/data/logs/a.log'));
  assert.ok(re.test('/data/logs/a/b/c/d.log'));
  assert.ok(!re.test('/data/logs/mes-api/mes-api.log.1'));
  assert.ok(!re.test('/data/other/a.log'));
  assert.ok(!globToRegExp('/var/log/*.log').test('/var/log/nested/a.log'));
  assert.ok(globToRegExp('/var/log/app-?.log').test('/var/log/app-1.log'));
  assert.ok(globToRegExp('/var/log/{postgresql,rabbitmq}/*.log').test('/var/log/rabbitmq/rabbit@localhost.log'));
  assert.ok(globToRegExp('/var/log/[ab]*.log').test('/var/log/b1.log'));
  assert.ok(!globToRegExp('/var/log/[!ab]*.log').test('/var/log/b1.log'));
  assert.ok(globToRegExp('/var/log/a+b (1).log').test('/var/log/a+b (1).log'));
});

test('glob: expansion finds the files a pattern names and, marked as rotated, their rotated copies (x.log.1, x.log-20261121)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-glob-'));
  try {
    mkdirSync(join(dir, 'mes-api', 'deeper'), { recursive: true });
    for (const name of ['mes-api/mes-api.log', 'mes-api/mes-api.log.1', 'mes-api/mes-api.log.12', 'mes-api/mes-api.log-20261121', 'mes-api/mes-api.log.gz', 'mes-api/deeper/x.log', 'notes.txt']) {
      writeFileSync(join(dir, name), '');
    }
    const found = expandGlob(compileGlob(join(dir, '**', '*.log'))).map((match) => [match.path.slice(dir.length + 1), match.rotated]);
    assert.deepEqual(found, [
      ['mes-api/deeper/x.log', false],
      ['mes-api/mes-api.log', false],
      ['mes-api/mes-api.log-20261121', true],
      ['mes-api/mes-api.log.1', true],
      ['mes-api/mes-api.log.12', true],
    ]);
    assert.deepEqual(expandGlob(compileGlob(join(dir, 'missing', '*.log'))), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
