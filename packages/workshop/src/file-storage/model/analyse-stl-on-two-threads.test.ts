import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoupeError } from '@loupe/schema';
import { createModelAnalyser, type ModelAnalysis } from './analyse-stl.js';
import { contentionGuard } from './contention-guard.js';
import { cubeMesh, torusMesh } from './generate-mesh.js';
import { helperThreadReady } from './helper-thread.js';
import { toBinaryStl } from './write-stl.js';

// The same analyser settings but for the thread count: every model here goes to the helper.
const oneThread = createModelAnalyser({ parallelFromTriangles: Infinity });
const twoThreads = createModelAnalyser({ parallelFromTriangles: 0 });

/** Analyses `stl` on one thread and on two, and checks that the answers are identical. */
function assertSameOnTwoThreads(stl: Uint8Array): ModelAnalysis {
  const expected = oneThread.analyse(stl);
  const actual = twoThreads.analyse(stl);
  assert.equal(twoThreads.lastThreadCount, 2);
  assert.equal(oneThread.lastThreadCount, 1);
  assert.deepEqual(actual, expected);
  return actual;
}

function refusal(analyse: () => unknown): { code: string; message: string } {
  try {
    analyse();
  } catch (error) {
    assert.ok(error instanceof LoupeError, `expected a LoupeError, got ${String(error)}`);
    return { code: error.code, message: error.message };
  }
  assert.fail('the model was not refused');
}

function shuffledFacets(facets: Float64Array, seed: number): Float64Array {
  const count = facets.length / 9;
  const order = Array.from({ length: count }, (_, t) => t);
  for (let i = count - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const shuffled = new Float64Array(facets.length);
  order.forEach((from, to) => shuffled.set(facets.subarray(from * 9, from * 9 + 9), to * 9));
  return shuffled;
}

describe('a model analysed on two threads gets the same answer as on one, to the last bit', { timeout: 60_000 }, () => {
  before(async () => {
    contentionGuard.enabled = false;
    assert.equal(await helperThreadReady(), true, 'the helper thread should start');
  });

  test('a torus that closes on its first vertices, with edges handed between the threads', () => {
    const analysis = assertSameOnTwoThreads(toBinaryStl(torusMesh({ majorRadius: 10, minorRadius: 2, segments: 400, sides: 200 })));
    assert.equal(analysis.closed, true);
  });

  test('small models, down to a single facet', () => {
    assertSameOnTwoThreads(toBinaryStl(cubeMesh(3)));
    assertSameOnTwoThreads(toBinaryStl(cubeMesh(1).subarray(0, 9)));
  });

  test('facets in random order, where most vertices come back after leaving the weld window', () => {
    assertSameOnTwoThreads(toBinaryStl(shuffledFacets(torusMesh({ majorRadius: 5, minorRadius: 1, segments: 200, sides: 100 }), 11)));
  });

  test('a cube with a crowd of facets that the tolerance pass welds into one point', () => {
    const crowd = new Float64Array(1000 * 9);
    for (let t = 0; t < 1000; t++) crowd.set([0, 0, 0, 1e-13 * t, 1e-10, 0, 0, 1e-13 * t, 1e-10], t * 9);
    const analysis = assertSameOnTwoThreads(toBinaryStl(Float64Array.of(...cubeMesh(100), ...crowd)));
    assert.match(analysis.warnings.join('\n'), /1000 facet\(s\) collapse/);
  });

  test('a soup of unconnected facets and two cubes sharing an edge far apart in the file', () => {
    const soup = new Float64Array(20_000 * 9);
    for (let t = 0; t < 20_000; t++) soup.set([t, 0, 0, t + 0.5, 1, 0, t, 0, 1], t * 9);
    assertSameOnTwoThreads(toBinaryStl(soup));
    const second = cubeMesh(1).map((value, index) => (index % 3 === 2 ? value : value + 1));
    const analysis = assertSameOnTwoThreads(toBinaryStl(Float64Array.of(...cubeMesh(1), ...torusMesh({ majorRadius: 10, minorRadius: 2, segments: 100, sides: 50 }), ...second)));
    assert.match(analysis.warnings.join('\n'), /1 edge\(s\) are shared by more than two facets/);
  });

  test('a non-finite coordinate in either thread\'s share of the facets is the same model error', () => {
    // 100,000 facets: this thread scans the first 49,152 (three chunks), the helper the rest.
    const torus = toBinaryStl(torusMesh({ majorRadius: 10, minorRadius: 2, segments: 500, sides: 100 }));
    const withNonFinite = (...facets: number[]): Uint8Array => {
      const stl = torus.slice();
      // The second coordinate of the third vertex.
      for (const facet of facets) new DataView(stl.buffer).setFloat32(84 + facet * 50 + 12 + 28, facet % 2 ? Infinity : Number.NaN, true);
      return stl;
    };
    for (const stl of [withNonFinite(12_345), withNonFinite(77_777), withNonFinite(60_001, 12_346)]) {
      const expected = refusal(() => oneThread.analyse(stl));
      assert.equal(expected.code, 'MODEL_INVALID_NUMBER');
      assert.deepEqual(refusal(() => twoThreads.analyse(stl)), expected);
    }
    assert.match(refusal(() => twoThreads.analyse(withNonFinite(77_777))).message, /Facet index 77777 has a non-finite coordinate \(Infinity\)/);
  });

  test('a model of only degenerate facets is the same model error', () => {
    const flat = new Float64Array(5000 * 9);
    for (let t = 0; t < 5000; t++) flat.set([t, 0, 0, t + 1, 0, 0, t + 2, 0, 0], t * 9);
    const stl = toBinaryStl(flat);
    assert.deepEqual(refusal(() => twoThreads.analyse(stl)), refusal(() => oneThread.analyse(stl)));
  });

  test('the analyser keeps working memory between models of different sizes', () => {
    const large = toBinaryStl(torusMesh({ majorRadius: 5, minorRadius: 1, segments: 300, sides: 100 }));
    const small = toBinaryStl(torusMesh({ majorRadius: 5, minorRadius: 1, segments: 30, sides: 10 }));
    const first = twoThreads.analyse(large);
    assertSameOnTwoThreads(small);
    assert.deepEqual(twoThreads.analyse(large), first);
  });
});

test('the helper thread does not keep the process alive', { timeout: 60_000 }, () => {
  const script = `
    import { createModelAnalyser, helperThreadReady, torusMesh, toBinaryStl } from ${JSON.stringify(new URL('./index.js', import.meta.url).href)};
    import { contentionGuard } from ${JSON.stringify(new URL('./contention-guard.js', import.meta.url).href)};
    contentionGuard.enabled = false;
    await helperThreadReady();
    const analyser = createModelAnalyser({ parallelFromTriangles: 0 });
    analyser.analyse(toBinaryStl(torusMesh({ majorRadius: 5, minorRadius: 1, segments: 50, sides: 20 })));
    console.log(analyser.lastThreadCount);
  `;
  const dir = mkdtempSync(join(tmpdir(), 'loupe-helper-'));
  const file = join(dir, 'analyse.mjs');
  writeFileSync(file, script);
  const child = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(child.error, undefined, 'the process did not exit by itself');
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), '2');
});
