import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { analyseModelFile, analyseStl, type ModelAnalysis } from './analyse-stl.js';

/** packages/workshop/testdata/stl, from dist/file-storage/model where the compiled test runs. */
const fixtures = new URL('../../../testdata/stl/', import.meta.url);

// Published by numpy-stl's tests ("checked against meshlab"); see testdata/stl/README.md.
const published = [
  { file: 'HalfDonut-ascii.stl', encoding: 'ascii', volume: 2.343149, warnings: [] },
  { file: 'HalfDonut-binary.stl', encoding: 'binary', volume: 2.343149, warnings: ['1 trailing byte(s) after the last facet were ignored.'] },
  { file: 'Moon-ascii.stl', encoding: 'ascii', volume: 0.888723, warnings: [] },
  { file: 'Star-binary.stl', encoding: 'binary', volume: 1.416599, warnings: [] },
] as const;

for (const model of published) {
  test(`${model.file} has its published volume ${model.volume} and is closed`, async () => {
    const analysis = await analyseModelFile(new URL(model.file, fixtures).pathname);
    assert.equal(analysis.encoding, model.encoding);
    assert.ok(Math.abs(analysis.volume - model.volume) <= 1e-6 * model.volume, `volume ${analysis.volume}`);
    assert.equal(analysis.closed, true);
    assert.deepEqual(analysis.warnings, model.warnings);
  });
}

test('the ASCII and binary HalfDonut agree on facets, box and area', async () => {
  const [ascii, binary] = await Promise.all(['HalfDonut-ascii.stl', 'HalfDonut-binary.stl'].map((file) => analyseModelFile(new URL(file, fixtures).pathname)));
  assert.equal(ascii!.triangles, binary!.triangles);
  assert.deepEqual(ascii!.boundingBox, binary!.boundingBox);
  assert.ok(Math.abs(ascii!.surfaceArea - binary!.surfaceArea) < 1e-5);
});

/** Compares numbers within 1e-9 (the fixture's vertices are 1e-12 off) and everything else exactly. */
function assertMatchesGolden(actual: unknown, expected: unknown, path = 'analysis'): void {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', path);
    assert.ok(Math.abs((actual as number) - expected) <= 1e-9, `${path}: ${actual} ≠ ${expected}`);
  } else if (expected !== null && typeof expected === 'object') {
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(expected).sort(), path);
    for (const [key, value] of Object.entries(expected)) assertMatchesGolden((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    assert.deepEqual(actual, expected, path);
  }
}

test('an upper-case, CRLF, two-solid ASCII cube whose twin vertices differ by 1e-12 matches its golden analysis', async () => {
  const analysis = await analyseModelFile(new URL('unit-cube-two-solids-crlf.stl', fixtures).pathname);
  const expected = JSON.parse(await readFile(new URL('unit-cube-two-solids-crlf.expected.json', fixtures), 'utf8')) as ModelAnalysis;
  assertMatchesGolden(analysis, expected);
});

test('the same cube welded exactly (tolerance 0) is not closed: the 1e-12 differences are what the tolerance welds', async () => {
  const data = await readFile(new URL('unit-cube-two-solids-crlf.stl', fixtures));
  assert.equal(analyseStl(data, { weldTolerance: 0 }).closed, false);
});
