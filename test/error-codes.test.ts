import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orderStatuses } from '@loupe/workshop';

const root = fileURLToPath(new URL('../..', import.meta.url));
const documented = new Set([...readFileSync(join(root, 'docs/errors.md'), 'utf8').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));
const prefixes = new Set([...documented].map((code) => code.split('_')[0]!));

function sourceFiles(): string[] {
  return readdirSync(join(root, 'packages'), { recursive: true })
    .map(String)
    .filter((file) => file.includes(`${'src'}/`) && file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.fixture.ts') && !file.includes('dist/'))
    .map((file) => join(root, 'packages', file));
}

const sources = sourceFiles().map((file) => readFileSync(file, 'utf8')).join('\n');
// A code is what an error is built with, or any literal with a documented code's prefix.
const thrown = [...sources.matchAll(/(?:LoupeError|KqlSyntaxError|errorBody)\(\s*'([A-Z][A-Z0-9_]+)'|\bcode: '([A-Z][A-Z0-9_]+)'/g)].map((m) => (m[1] ?? m[2])!);
// Order statuses (MODEL_UPLOADED, MODEL_REJECTED) share the MODEL_ prefix but are not error codes.
const notCodes: ReadonlySet<string> = new Set(orderStatuses);
const prefixed = [...sources.matchAll(/'([A-Z]+_[A-Z0-9_]+)'/g)].map((m) => m[1]!)
  .filter((code) => prefixes.has(code.split('_')[0]!) && !code.startsWith('LOUPE_') && !notCodes.has(code));

test('every error code in the code is listed in docs/errors.md', () => {
  const missing = [...new Set([...thrown, ...prefixed])].filter((code) => !documented.has(code)).sort();
  assert.deepEqual(missing, [], `add these to docs/errors.md: ${missing.join(', ')}`);
});

test('every code listed in docs/errors.md is still used by the code', () => {
  const unused = [...documented].filter((code) => !sources.includes(`'${code}'`)).sort();
  assert.deepEqual(unused, [], `no code uses: ${unused.join(', ')}`);
});
