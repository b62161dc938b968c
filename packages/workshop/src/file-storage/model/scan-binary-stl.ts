import { firstNonFinite, scanFacets, type WeldedFacets } from './binary-facets.js';
import type { EdgeSplit } from './check-edges-on-two-threads.js';
import { binaryPrefixBytes } from './detect-encoding.js';
import { duplicateSuspectsFor, markSuspects, mergeSuspectedDuplicates } from './duplicate-suspects.js';
import { chunkTriangles, foldFacetTotals, newFacetTotals } from './facet-totals.js';
import type { HelperThread } from './helper-thread.js';
import { MeasureSums, type MeshMeasure, type Vector3 } from './measure-mesh.js';
import { mergeDuplicateVertices } from './merge-duplicate-vertices.js';
import { scanOnTwoThreads } from './scan-on-two-threads.js';
import type { ScratchArrays } from './scratch-arrays.js';
import { cornersPurpose, VertexTable } from './vertex-table.js';

export interface BinaryScan {
  measure: MeshMeasure;
  /** Exact-welded vertex of every corner (three per facet). */
  vertexOfCorner: Int32Array;
  vertices: VertexTable;
  /** Whether the helper thread took part: the corners are then in memory it can read. */
  helped: boolean;
  /** Where the closed check on two threads splits the facets (check-edges-on-two-threads.ts). */
  edgeSplit: EdgeSplit;
}

/** Bytes from the start of the file to the first vertex of the first facet, after its normal. */
const firstVertexAt = binaryPrefixBytes + 12;
/**
 * The analysing thread's share of the facets in the closed check on two threads: less than
 * half, as it runs the tolerance pass while the helper starts on its share.
 */
const mainShareOfEdges = 0.4;

/**
 * One pass over a binary STL: measures every facet (as measure-mesh.ts does) and welds its
 * corners exactly, straight from the file's bytes (binary-facets.ts). A corner equal to a
 * corner of the previous facet, as in the strips and fans exporters write, reuses its id
 * without touching the hash table; vertices added twice because they came back after leaving
 * the table's recent window are merged at the end. Calls `onNonFinite(facet, value)`, which
 * throws, for a NaN or infinity.
 *
 * With a `helper` thread, the facets are split between the two threads (scan-on-two-threads.ts),
 * for the same answer to the last bit; should the helper fail, this thread scans them all.
 */
export function scanBinaryStl(
  data: Uint8Array,
  triangles: number,
  scratch: ScratchArrays,
  onNonFinite: (triangle: number, value: number) => never,
  helper?: HelperThread,
): BinaryScan {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const origin: Vector3 = [view.getFloat32(firstVertexAt, true), view.getFloat32(firstVertexAt + 4, true), view.getFloat32(firstVertexAt + 8, true)];
  // Duplicates are marked apart from the weld, in one pass, as between two chunks of the weld
  // the filter would leave the cache: on two threads, those of this thread's share while the
  // helper joins its vertices on.
  let suspects = duplicateSuspectsFor(triangles, triangles * 3, scratch);
  let marked = 0;
  const mark = (hashes: Int32Array, to: number): void => {
    for (let from = marked; from < to; from += chunkTriangles) {
      suspects.count = markSuspects(hashes, from, Math.min(to, from + chunkTriangles), suspects.filter, suspects.ids, suspects.count);
    }
    marked = to;
  };
  const twoThreads = helper && scanOnTwoThreads(data, triangles, origin, scratch, onNonFinite, helper, mark);
  if (helper && !twoThreads) {
    // The helper failed: start the marks again with the scan.
    suspects = duplicateSuspectsFor(triangles, triangles * 3, scratch);
    marked = 0;
  }
  const { vertexOfCorner, vertices, totals, firstIdOfChunk } = twoThreads || scanOnOneThread(view, triangles, origin, scratch, onNonFinite);
  mark(vertices.hashes, vertices.count);
  const sums = new MeasureSums(origin);
  foldFacetTotals(totals, sums);
  const firstCornerUsing = (id: number): number => {
    let chunk = firstIdOfChunk.length - 1;
    while (chunk > 0 && firstIdOfChunk[chunk]! > id) chunk--;
    return chunk * chunkTriangles * 3;
  };
  if (mergeSuspectedDuplicates(vertices, vertexOfCorner, scratch, firstCornerUsing, suspects) < 0) mergeDuplicateVertices(vertices, vertexOfCorner, scratch, firstCornerUsing);
  // At a chunk boundary, where the weld's vertex count is known; duplicates merged since only
  // move ids down, which the other share hands over.
  const chunk = Math.round(firstIdOfChunk.length * mainShareOfEdges);
  const edgeSplit = { facet: Math.min(triangles, chunk * chunkTriangles), vertex: Math.min(vertices.count, firstIdOfChunk[chunk] ?? vertices.count) };
  return { measure: sums.result(), vertexOfCorner, vertices, helped: Boolean(twoThreads), edgeSplit };
}

function scanOnOneThread(
  view: DataView, triangles: number, origin: Vector3, scratch: ScratchArrays, onNonFinite: (triangle: number, value: number) => never,
): WeldedFacets {
  const vertexOfCorner = scratch.int32(cornersPurpose, triangles * 3);
  const vertices = VertexTable.inScratch(scratch, triangles * 3);
  const totals = newFacetTotals(origin);
  const firstIdOfChunk = new Int32Array(Math.ceil(triangles / chunkTriangles));
  const failed = scanFacets(view, 0, triangles, vertices, vertexOfCorner, totals, firstIdOfChunk);
  if (failed >= 0) onNonFinite(failed, firstNonFinite(view, failed));
  return { vertexOfCorner, vertices, totals, firstIdOfChunk };
}
