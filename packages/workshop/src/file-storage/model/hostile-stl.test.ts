import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LoupeError } from '@loupe/schema';
import { analyseStl, type AnalyseStlOptions } from './analyse-stl.js';
import { cubeMesh, torusMesh } from './generate-mesh.js';
import { toBinaryStl } from './write-stl.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const cubeFacet = (vertex2 = '1 1 0', vertex1 = '0 1 0') => `facet normal 0 0 -1\n outer loop\n  vertex 0 0 0\n  vertex ${vertex1}\n  vertex ${vertex2}\n endloop\nendfacet\n`;

function assertRefused(data: Uint8Array, code: string, message: RegExp, options?: AnalyseStlOptions): void {
  assert.throws(() => analyseStl(data, options), (error: unknown) => {
    assert.ok(error instanceof LoupeError, `expected a LoupeError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.status, 422);
    assert.match(error.message, message);
    return true;
  });
}

function binaryWithCount(facets: Float64Array, declaredCount: number): Uint8Array {
  const stl = toBinaryStl(facets);
  new DataView(stl.buffer).setUint32(80, declaredCount, true);
  return stl;
}

/** Deterministic noise (a linear congruential generator), so a failure can be reproduced. */
function randomBytes(length: number, seed: number): Uint8Array {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 24;
  return data;
}

// A hang would fail the test by its timeout rather than stall the suite.
describe('broken and hostile files are refused with a 422 and a stable code', { timeout: 10_000 }, () => {
  test('an empty file, or one of only whitespace, is MODEL_EMPTY', () => {
    assertRefused(new Uint8Array(0), 'MODEL_EMPTY', /empty \(0 bytes\)/);
    assertRefused(bytes(' \r\n\t '), 'MODEL_EMPTY', /only whitespace/);
  });

  test('a binary file declaring 0 facets, or an ASCII solid without facets, is MODEL_EMPTY', () => {
    assertRefused(toBinaryStl(new Float64Array(0)), 'MODEL_EMPTY', /declares 0 facets/);
    assertRefused(bytes('solid nothing\nendsolid nothing\n'), 'MODEL_EMPTY', /no facets/);
  });

  test('a binary file cut short is MODEL_TRUNCATED and says how much is missing', () => {
    const stl = toBinaryStl(cubeMesh(1));
    assertRefused(stl.subarray(0, stl.length - 20), 'MODEL_TRUNCATED', /declares 12 facets \(684 bytes\) but the file has only 664 bytes/);
  });

  test('a binary header claiming 2^32-1 facets over one real facet is MODEL_TRUNCATED, without allocating for the claim', () => {
    const oneFacet = binaryWithCount(cubeMesh(1).subarray(0, 9), 2 ** 32 - 1);
    assertRefused(oneFacet, 'MODEL_TRUNCATED', /declares 4294967295 facets/);
    assertRefused(oneFacet.subarray(0, 84), 'MODEL_TRUNCATED', /declares 4294967295 facets/);
  });

  test('an ASCII file that ends inside a facet is MODEL_TRUNCATED with the line', () => {
    assertRefused(bytes('solid x\nfacet normal 0 0 1\n outer loop\n  vertex 0 0'), 'MODEL_TRUNCATED', /inside facet index 0 \(line 4\)/);
  });

  test('NaN or infinite binary coordinates are MODEL_INVALID_NUMBER with the facet index', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const cube = cubeMesh(1);
      cube[5 * 9 + 4] = bad;
      assertRefused(toBinaryStl(cube), 'MODEL_INVALID_NUMBER', new RegExp(`Facet index 5 has a non-finite coordinate \\(${bad}\\)`));
    }
  });

  test('a NaN far into a large binary file is reported with its own facet index', () => {
    // 40,000 facets: past the first chunks the scan measures at a time.
    const torus = torusMesh({ majorRadius: 10, minorRadius: 2, segments: 200, sides: 100 });
    torus[35_000 * 9 + 7] = NaN;
    assertRefused(toBinaryStl(torus), 'MODEL_INVALID_NUMBER', /Facet index 35000 has a non-finite coordinate \(NaN\)/);
  });

  test('the largest finite float32 coordinates are measured, not taken for invalid numbers', () => {
    const cube = cubeMesh(1).map((value) => value * 3e38);
    const analysis = analyseStl(toBinaryStl(cube));
    assert.equal(analysis.closed, true);
    assert.ok(Math.abs(analysis.surfaceArea / (6 * Math.fround(3e38) ** 2) - 1) < 1e-12, `area ${analysis.surfaceArea}`);
  });

  test('a word, NaN or an overflow where an ASCII coordinate belongs is MODEL_INVALID_NUMBER with the line', () => {
    assertRefused(bytes(`solid x\n${cubeFacet('1 one 0')}endsolid x\n`), 'MODEL_INVALID_NUMBER', /"one" at line 6 \(facet index 0\) is not a number/);
    assertRefused(bytes(`solid x\n${cubeFacet('1 nan 0')}endsolid x\n`), 'MODEL_INVALID_NUMBER', /"nan" at line 6 .* is not a finite number/);
    assertRefused(bytes(`solid x\n${cubeFacet('1 1e999 0')}endsolid x\n`), 'MODEL_INVALID_NUMBER', /"1e999" at line 6 .* is not a finite number/);
    assertRefused(bytes(`solid x\n${cubeFacet('1 1.2.3 0')}endsolid x\n`), 'MODEL_INVALID_NUMBER', /"1.2.3" at line 6/);
  });

  test('a megabyte-long token is refused without building a string of it', () => {
    assertRefused(bytes(`solid x\n${cubeFacet(`1 ${'7'.repeat(2 ** 20)}x 0`)}endsolid x\n`), 'MODEL_INVALID_NUMBER', /"7{40}" at line 6/);
  });

  test('a facet missing a vertex, a vertex missing a coordinate, or a fourth vertex is MODEL_PARSE with the line', () => {
    assertRefused(bytes('solid x\nfacet normal 0 0 1\n outer loop\n  vertex 0 0 0\n  vertex 1 0 0\n endloop\nendfacet\nendsolid x\n'), 'MODEL_PARSE', /Facet index 0 has 2 vertices; expected "vertex" but found "endloop" at line 6/);
    assertRefused(bytes(`solid x\n${cubeFacet('1 1')}endsolid x\n`), 'MODEL_PARSE', /The vertex at line 6 \(facet index 0\) has fewer than 3 coordinates/);
    assertRefused(bytes(`solid x\n${cubeFacet('1 1 0\n  vertex 2 2 0')}endsolid x\n`), 'MODEL_PARSE', /Facet index 0 has a fourth vertex at line 7/);
    assertRefused(bytes('solid x\nfacet 0 0 1\n'), 'MODEL_PARSE', /Expected "normal" after "facet" but found "0" at line 2/);
    assertRefused(bytes('solid x\nfacet normal 0 1\n outer loop\n'), 'MODEL_PARSE', /The normal at line 2 \(facet index 0\) has fewer than 3 components/);
    assertRefused(bytes(`solid x\n${cubeFacet()}endsolid x\ngarbage\n`), 'MODEL_PARSE', /Expected "solid" or the end of the file but found "garbage" at line 10/);
  });

  test('facets that all have zero area are MODEL_DEGENERATE', () => {
    const collinear = Float64Array.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 5, 5, 5, 5, 5, 5, 5, 5, 5);
    assertRefused(toBinaryStl(collinear), 'MODEL_DEGENERATE', /All 2 facets have zero area/);
    assertRefused(bytes(`solid x\n${cubeFacet('0 0 0', '0 0 0')}endsolid x\n`), 'MODEL_DEGENERATE', /All 1 facets/);
  });

  test('random bytes are MODEL_UNRECOGNISED', () => {
    for (const seed of [1, 2, 3]) assertRefused(randomBytes(4096, seed), 'MODEL_UNRECOGNISED', /neither a binary STL .* nor an ASCII STL/);
    assertRefused(randomBytes(40, 4), 'MODEL_UNRECOGNISED', /neither/);
  });

  test('text that is not an STL is MODEL_UNRECOGNISED and quotes how it starts', () => {
    assertRefused(bytes('v 1 2 3\nv 4 5 6\nf 1 2 3\n'), 'MODEL_UNRECOGNISED', /starts with "v" instead of "solid"/);
  });

  test('more facets than maxTriangles, or more bytes than maxBytes, is MODEL_TOO_LARGE before reading them', () => {
    assertRefused(toBinaryStl(cubeMesh(1)), 'MODEL_TOO_LARGE', /12 facets, more than the limit of 10/, { maxTriangles: 10 });
    assertRefused(bytes(`solid x\n${cubeFacet().repeat(3)}endsolid x\n`), 'MODEL_TOO_LARGE', /more than 2 facets \(line 16\)/, { maxTriangles: 2 });
    assertRefused(toBinaryStl(cubeMesh(1)), 'MODEL_TOO_LARGE', /684 bytes, more than the limit of 600/, { maxBytes: 600 });
  });

  test('a fan of 20,000 facets around one vertex is analysed without quadratic work', () => {
    const facets = 20_000;
    const fan = new Float64Array(facets * 9);
    for (let t = 0; t < facets; t++) {
      const [a, b] = [(2 * Math.PI * t) / facets, (2 * Math.PI * (t + 1)) / facets];
      fan.set([0, 0, 0, Math.cos(a), Math.sin(a), 0, Math.cos(b), Math.sin(b), 0], t * 9);
    }
    const analysis = analyseStl(toBinaryStl(fan));
    assert.equal(analysis.closed, false);
    assert.ok(Math.abs(analysis.surfaceArea - Math.PI) < 1e-3);
  });
});
