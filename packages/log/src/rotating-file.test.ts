import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createLogger } from './create-logger.js';
import { RotatingFile } from './rotating-file.js';

const MB = 1024 * 1024;

function readAllLines(dir: string): { files: { name: string; size: number }[]; lines: string[] } {
  const names = readdirSync(dir).sort();
  return {
    files: names.map((name) => ({ name, size: statSync(join(dir, name)).size })),
    lines: names.flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean)),
  };
}

test('R20 writing 35 MB through the logger gives files of at most 10 MB and loses no line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-rotation-'));
  const log = createLogger({ service: 'mes-api', stdout: false, file: { dir } });
  const padding = 'x'.repeat(300);
  const total = 110_000;
  for (let i = 0; i < total; i++) log.info(`line ${i} ${padding}`);
  await log.close();

  const { files, lines } = readAllLines(dir);
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  assert.ok(bytes > 35 * MB, `wrote ${bytes} bytes`);
  assert.ok(files.length >= 4, `only ${files.length} files`);
  for (const file of files) assert.ok(file.size <= 10 * MB, `${file.name} is ${file.size} bytes`);
  assert.equal(lines.length, total);
  const seen = new Set(lines.map((line) => (JSON.parse(line) as { message: string }).message.split(' ')[1]));
  assert.equal(seen.size, total);
  assert.deepEqual(files.map((f) => f.name), ['mes-api.log', ...files.slice(1).map((_, i) => `mes-api.log.${i + 1}`)]);
});

test('rotation keeps the configured number of files and never splits a line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-rotation-'));
  const file = new RotatingFile({ path: join(dir, 'a.log'), maxSizeBytes: 100, maxFiles: 2 });
  // Chunks that straddle line ends, as a transport delivers them.
  const text = Array.from({ length: 40 }, (_, i) => `line-${String(i).padStart(3, '0')}-abcdefghij\n`).join('');
  for (let i = 0; i < text.length; i += 37) file.append(Buffer.from(text.slice(i, i + 37)));
  file.close();
  const names = readdirSync(dir).sort();
  assert.deepEqual(names, ['a.log', 'a.log.1', 'a.log.2']);
  for (const name of names) {
    const content = readFileSync(join(dir, name), 'utf8');
    assert.ok(content.length <= 100);
    assert.ok(content.endsWith('\n'));
    for (const line of content.split('\n').filter(Boolean)) assert.match(line, /^line-\d{3}-abcdefghij$/);
  }
  assert.match(readFileSync(join(dir, 'a.log'), 'utf8'), /line-039/);
});

test('a single line longer than the limit is kept whole in a file of its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-rotation-'));
  const file = new RotatingFile({ path: join(dir, 'b.log'), maxSizeBytes: 50 });
  file.append(Buffer.from('short\n'));
  file.append(Buffer.from(`${'y'.repeat(120)}\n`));
  file.append(Buffer.from('after\n'));
  file.close();
  assert.equal(readFileSync(join(dir, 'b.log'), 'utf8'), 'after\n');
  assert.equal(readFileSync(join(dir, 'b.log.1'), 'utf8'), `${'y'.repeat(120)}\n`);
  assert.equal(readFileSync(join(dir, 'b.log.2'), 'utf8'), 'short\n');
});

test('lines still buffered when the process exits are written, not lost', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-exit-'));
  const entry = new URL('./index.js', import.meta.url).href;
  const script = `
    import { createLogger } from ${JSON.stringify(entry)};
    const log = createLogger({ service: 'shop-api', stdout: false, file: { dir: ${JSON.stringify(dir)} } });
    for (let i = 0; i < 20000; i++) log.orderCreated({ orderId: 'ORD-' + i, customerId: 'CUS-1', status: 'NEW' });
    process.exit(0);
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const { lines } = readAllLines(dir);
  assert.equal(lines.length, 20_000);
  assert.equal((JSON.parse(lines.at(-1)!) as Record<string, unknown>)['order.id'], 'ORD-19999');
});

test('R22 lines written to files are masked in the writer thread before they reach disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-masked-'));
  const log = createLogger({ service: 'crm-api', stdout: false, file: { dir } });
  log.info('Operator called +7 (912) 345-67-89 about ORD-1042', { note: 'write to anna.petrova@mail.ru' });
  log.userLoginFailed({ login: 'anna.petrova@mail.ru', clientIp: '10.1.2.3', outcome: 'failure', failuresInWindow: 3, level: 'warn' });
  await log.close();
  const text = readFileSync(join(dir, 'crm-api.log'), 'utf8');
  assert.ok(!text.includes('anna.petrova') && !text.includes('345-67-89'), text);
  const [first, second] = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(first?.message, 'Operator called [PHONE] about ORD-1042');
  assert.equal(first?.note, 'write to [EMAIL]');
  assert.equal(second?.['user.name'], '[EMAIL]');
  assert.equal(second?.['client.ip'], '10.1.2.3');
});
