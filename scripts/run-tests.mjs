// Runs every compiled test file (`dist/**/*.test.js` in each package, bench excluded)
// with Node's built-in test runner. Extra arguments filter files by substring.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = [...readdirSync('packages').map((name) => join('packages', name, 'dist')), join('test', 'dist')];
const filters = process.argv.slice(2);
const files = roots
  .filter((dir) => existsSync(dir))
  .flatMap((dir) => readdirSync(dir, { recursive: true }).map((file) => join(dir, String(file))))
  .filter((file) => file.endsWith('.test.js'))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

if (files.length === 0) {
  console.error('No test files found: run `npm run build` first.');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
