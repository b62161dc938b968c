import { firstNonFinite, scanFacets, type WeldedFacets } from './binary-facets.js';
import { contentionGuard } from './contention-guard.js';
import { binaryFacetBytes, binaryPrefixBytes } from './detect-encoding.js';
import { chunkTriangles, degenerateAt, doubledAreaAt, newFacetTotals, sixfoldVolumeAt, widenBox } from './facet-totals.js';
import type { HelperThread } from './helper-thread.js';
import type { Vector3 } from './measure-mesh.js';
import type { ScratchArrays } from './scratch-arrays.js';
import { cornersPurpose, hashesPurpose, pointsPurpose, recentTableLength, VertexTable } from './vertex-table.js';

/**
 * This thread's share of the facets: a little more than half, though it also copies the
 * helper's share over (at about a fifth of the cost of scanning it). Measured: the helper scans
 * more slowly, reading memory this thread has just written, from the other core's cache.
 */
const mainShareOfScan = 0.55;
const bytesPurpose = 'helper-facets';

/**
 * The binary scan on two threads. The helper cannot read the caller's buffer, which is not
 * shared memory, so this thread copies the second share of the facets into a shared buffer,
 * chunk by chunk, the helper measuring and welding each as it arrives (into its own vertex
 * table, numbered from 0, after room for this thread's); then this thread scans the first
 * share. The helper's chunk sums are folded after this thread's, in file order, and its box
 * widens this thread's: the totals are those of one thread, to the last bit.
 *
 * The helper first welds the last chunk of this thread's share (the lead), so that a corner
 * where the shares meet finds its vertex as on one thread; those vertices then take this
 * thread's ids, found through the lead corner where each first appears. The helper's own
 * vertices move down behind this thread's and its corners are renumbered to match (the helper
 * does that, see analysis-worker.ts). A vertex that comes back from further before the split
 * is in the table twice, as on one thread when it comes back after leaving the weld window,
 * and merged as any duplicate is (duplicate-suspects.ts), after which the ids follow first
 * use, as on one thread.
 *
 * Returns undefined, having touched nothing but its own memory, if the helper failed.
 */
export function scanOnTwoThreads(
  data: Uint8Array,
  triangles: number,
  origin: Vector3,
  scratch: ScratchArrays,
  onNonFinite: (triangle: number, value: number) => never,
  helper: HelperThread,
  /** Runs once this thread has scanned its share (its vertices' hashes are the first), while the helper joins its vertices on. */
  meanwhile: (hashes: Int32Array, ownVertices: number) => void,
): WeldedFacets | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const chunks = Math.ceil(triangles / chunkTriangles);
  const mainChunks = Math.round(chunks * mainShareOfScan);
  const split = Math.min(triangles, mainChunks * chunkTriangles);
  const helperFacets = triangles - split;
  const helperChunks = chunks - mainChunks;
  const vertexOfCorner = scratch.int32(cornersPurpose, triangles * 3, false, true);
  const lead = Math.min(split, chunkTriangles), leadStart = split - lead;
  // This thread's facets have at most 3 · split vertices: the helper's table starts there, with
  // room for 3 per facet of its share and of the lead.
  const base = split * 3;
  const points = scratch.int32(pointsPurpose, (triangles + lead) * 9, false, true);
  const hashes = scratch.int32(hashesPurpose, (triangles + lead) * 3, false, true);
  const vertices = new VertexTable(points, hashes, scratch.int32('vertex-recent', recentTableLength, true));
  const bytes = sharedBytes(scratch, binaryPrefixBytes + (lead + helperFacets) * binaryFacetBytes);
  const leadFirstCorner = new Int32Array(new SharedArrayBuffer(Math.max(1, lead * 3) * Int32Array.BYTES_PER_ELEMENT));
  const helperFirstIds = new Int32Array(new SharedArrayBuffer(Math.max(1, helperChunks) * Int32Array.BYTES_PER_ELEMENT));
  const partials = new Float64Array(new SharedArrayBuffer(Math.max(1, helperChunks) * 3 * Float64Array.BYTES_PER_ELEMENT));
  const box = new Float64Array(new SharedArrayBuffer(6 * Float64Array.BYTES_PER_ELEMENT));
  const startedMs = performance.now(), startedCpu = process.cpuUsage();
  const share = helper.scan({
    bytes, lead, facets: helperFacets, origin, vertexOfCorner: vertexOfCorner.subarray(leadStart * 3), leadFirstCorner, points, hashes, base,
    firstIdOfChunk: helperFirstIds, partials, box,
  });
  const totals = newFacetTotals(origin);
  const firstIdOfChunk = new Int32Array(chunks);
  let failed: number;
  try {
    // The lead first: it is one chunk.
    const source = data.subarray(binaryPrefixBytes + leadStart * binaryFacetBytes);
    for (let from = 0; from < lead + helperFacets; from += chunkTriangles) {
      const to = Math.min(lead + helperFacets, from + chunkTriangles);
      bytes.set(source.subarray(from * binaryFacetBytes, to * binaryFacetBytes), binaryPrefixBytes + from * binaryFacetBytes);
      share.copied(to);
    }
    failed = scanFacets(view, 0, split, vertices, vertexOfCorner, totals, firstIdOfChunk);
  } catch (error) {
    share.abort();
    throw error;
  }
  if (failed >= 0) {
    share.abort();
    onNonFinite(failed, firstNonFinite(view, failed));
  }
  const own = vertices.count;
  share.scanned(own);
  try {
    meanwhile(hashes, own);
  } catch (error) {
    share.abort();
    throw error;
  }
  const helped = share.finish();
  const endedMs = performance.now(), cpu = process.cpuUsage(startedCpu);
  contentionGuard.record((cpu.user + cpu.system) / 1000, endedMs - startedMs, endedMs);
  if (!helped) {
    // A helper that stopped responding may still write to these.
    for (const purpose of [cornersPurpose, pointsPurpose, hashesPurpose, bytesPurpose]) scratch.forget(purpose);
    return undefined;
  }
  if (helped.failedFacet >= 0) onNonFinite(split + helped.failedFacet, firstNonFinite(view, split + helped.failedFacet));
  for (let k = 0; k < helperChunks; k++) {
    totals[sixfoldVolumeAt]! += partials[k * 3]!;
    totals[doubledAreaAt]! += partials[k * 3 + 1]!;
    totals[degenerateAt]! += partials[k * 3 + 2]!;
  }
  widenBox(totals, box);
  vertices.count = own + helped.vertexCount;
  firstIdOfChunk.set(helperFirstIds.subarray(0, helperChunks), mainChunks);
  return { vertexOfCorner, vertices, totals, firstIdOfChunk };
}

/** Shared bytes, from Int32 scratch memory: its length rounded up to whole Int32. */
function sharedBytes(scratch: ScratchArrays, length: number): Uint8Array {
  return new Uint8Array(scratch.int32(bytesPurpose, Math.ceil(length / 4), false, true).buffer, 0, length);
}
