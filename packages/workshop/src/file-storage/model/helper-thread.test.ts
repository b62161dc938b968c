import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEdges } from './check-edges.js';
import { contentionGuard, ContentionGuard } from './contention-guard.js';
import { EdgesOnTwoThreads } from './check-edges-on-two-threads.js';
import { torusMesh } from './generate-mesh.js';
import { helperThreadReady, readyHelperThread, type HelperThread } from './helper-thread.js';
import { scanBinaryStl } from './scan-binary-stl.js';
import { ScratchArrays } from './scratch-arrays.js';
import { toBinaryStl } from './write-stl.js';

const notFinite = (facet: number, value: number): never => {
  throw new Error(`facet ${facet}: ${value}`);
};

/** A helper whose every job fails, as a worker that threw or stopped responding would. */
const failingHelper = {
  scan: () => ({ copied: () => {}, scanned: () => {}, finish: () => undefined, abort: () => {} }),
  countEdges: () => ({ handOver: () => {}, handedOver: () => undefined, finish: () => undefined, abort: () => {} }),
} as unknown as HelperThread;

test('a contended two-thread phase keeps the helper out of large models for a while', () => {
  const guard = new ContentionGuard();
  assert.equal(guard.allows(0), true);
  // Both threads had a core: about two cores' worth of CPU time.
  guard.record(95, 50, 1000);
  assert.equal(guard.allows(1000), true);
  // Too short a phase to tell.
  guard.record(5, 5, 1000);
  assert.equal(guard.allows(1000), true);
  // One core between the two threads.
  guard.record(50, 50, 2000);
  assert.equal(guard.allows(2001), false);
  assert.equal(guard.allows(4000), true);
  guard.record(50, 50, 5000);
  guard.enabled = false;
  assert.equal(guard.allows(5001), true);
});

describe('when the helper thread fails, the analysing thread does its share', { timeout: 60_000 }, () => {
  contentionGuard.enabled = false;

  const stl = toBinaryStl(torusMesh({ majorRadius: 10, minorRadius: 2, segments: 200, sides: 100 }));
  const facets = 2 * 200 * 100;

  test('a job that throws in the worker is reported as failed, not as done', async () => {
    assert.equal(await helperThreadReady(), true);
    const helper = readyHelperThread()!;
    // Arrays the worker cannot use: the job throws there at once.
    const scanning = helper.scan({
      bytes: null as unknown as Uint8Array, lead: 0, facets: 1, origin: [0, 0, 0], vertexOfCorner: new Int32Array(3), leadFirstCorner: new Int32Array(1),
      points: new Int32Array(9), hashes: new Int32Array(3), base: 0,
      firstIdOfChunk: new Int32Array(1), partials: new Float64Array(3), box: new Float64Array(6),
    });
    assert.equal(scanning.finish(), undefined);
    const counting = helper.countEdges({
      vertexOfCorner: null as unknown as Int32Array, vertexCount: 3, fromFacet: 0, toFacet: 1, lowFrom: 0, lowTo: 3,
      fromHelper: new Int32Array(6), toHelper: new Int32Array(6),
    });
    assert.equal(counting.handedOver(), undefined);
    assert.equal(counting.finish(), undefined);
    assert.equal(readyHelperThread(), helper, 'a failed job leaves the helper running');
  });

  test('the scan scans here what the helper did not', () => {
    const expected = scanBinaryStl(stl, facets, new ScratchArrays(), notFinite);
    const actual = scanBinaryStl(stl, facets, new ScratchArrays(), notFinite, failingHelper);
    assert.equal(actual.helped, false);
    assert.deepEqual(actual.measure, expected.measure);
    assert.deepEqual(actual.vertexOfCorner, expected.vertexOfCorner);
  });

  test('the closed check counts here the edges the helper did not', () => {
    const scan = scanBinaryStl(stl, facets, new ScratchArrays(), notFinite);
    const expected = checkEdges(scan.vertexOfCorner, scan.vertices.count, new ScratchArrays());
    const edges = new EdgesOnTwoThreads(scan.vertexOfCorner, scan.vertices.count, new ScratchArrays(), failingHelper, scan.edgeSplit);
    assert.deepEqual(edges.finish(false), expected);
  });

  test('a stopped helper is replaced by a new one on the next large model', async () => {
    assert.equal(await helperThreadReady(), true);
    const stopped = readyHelperThread()!;
    stopped.stop();
    assert.equal(readyHelperThread(), undefined, 'a new helper is still loading');
    assert.equal(await helperThreadReady(), true);
    assert.notEqual(readyHelperThread(), stopped);
  });
});
