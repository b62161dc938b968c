import type { ScratchArrays } from './scratch-arrays.js';

export interface EdgeReport {
  /** Edges used by exactly one facet: holes in the surface. */
  openEdges: number;
  /** Edges shared by three or more facets. */
  nonManifoldEdges: number;
  /** Facets that lost a corner to welding (two corners became one vertex); they have no edges. */
  collapsedTriangles: number;
}

/** Edges filed under their lower vertex: `start[v + 1]` counts those of vertex v (a counting sort's first pass). */
export interface EdgeCounts {
  start: Int32Array;
  /** `start` is valid (zeroed or counted) for vertices below this. */
  zeroedUpTo: number;
  collapsedTriangles: number;
}

/** Hot loops run in chunks so V8 optimises a function that is called often, not a single long loop. */
const chunk = 16_384;
/** Above this many neighbours (a hostile fan around one vertex) insertion sort would be quadratic. */
const insertionSortLimit = 32;

/**
 * Counts how many facets share each undirected edge, without a hash table: every edge is
 * filed under its lower vertex (a counting sort into one Int32Array), then each vertex's
 * short list of higher neighbours is sorted in place and its runs counted. A closed surface
 * has every run exactly two long.
 */
export function checkEdges(vertexOfCorner: Int32Array, vertexCount: number, scratch: ScratchArrays, counted?: EdgeCounts): EdgeReport {
  const triangles = Math.floor(vertexOfCorner.length / 3);
  const { start, collapsedTriangles } = counted ?? countEdges(vertexOfCorner, vertexCount, scratch);
  start[0] = 0;
  for (let v = 0; v < vertexCount; v++) start[v + 1]! += start[v]!;
  const higher = scratch.int32('edge-higher', start[vertexCount]!);
  const next = scratch.int32('edge-next', vertexCount);
  next.set(start.subarray(0, vertexCount));
  for (let from = 0; from < triangles; from += chunk) fileEdges(vertexOfCorner, from, Math.min(triangles, from + chunk), next, higher);
  const report: EdgeReport = { openEdges: 0, nonManifoldEdges: 0, collapsedTriangles };
  for (let from = 0; from < vertexCount; from += chunk) countRuns(start, higher, from, Math.min(vertexCount, from + chunk), report);
  return report;
}

function countEdges(vertexOfCorner: Int32Array, vertexCount: number, scratch: ScratchArrays): EdgeCounts {
  const triangles = Math.floor(vertexOfCorner.length / 3);
  const counts: EdgeCounts = { start: scratch.int32('edge-start', vertexCount + 1, true), zeroedUpTo: vertexCount, collapsedTriangles: 0 };
  for (let from = 0; from < triangles; from += chunk) counts.collapsedTriangles += countRange(vertexOfCorner, from, Math.min(triangles, from + chunk), counts.start);
  return counts;
}

/** Adds one to `start[lower + 1]` for each edge of facets [from, to); returns how many facets collapsed. */
function countRange(vertexOfCorner: Int32Array, from: number, to: number, start: Int32Array): number {
  let collapsed = 0;
  for (let k = from * 3; k < to * 3; k += 3) {
    const a = vertexOfCorner[k]!, b = vertexOfCorner[k + 1]!, c = vertexOfCorner[k + 2]!;
    if (a === b || b === c || a === c) {
      collapsed++;
      continue;
    }
    start[(a < b ? a : b) + 1]!++;
    start[(b < c ? b : c) + 1]!++;
    start[(c < a ? c : a) + 1]!++;
  }
  return collapsed;
}

function fileEdges(vertexOfCorner: Int32Array, from: number, to: number, next: Int32Array, higher: Int32Array): void {
  for (let k = from * 3; k < to * 3; k += 3) {
    const a = vertexOfCorner[k]!, b = vertexOfCorner[k + 1]!, c = vertexOfCorner[k + 2]!;
    if (a === b || b === c || a === c) continue;
    if (a < b) higher[next[a]!++] = b; else higher[next[b]!++] = a;
    if (b < c) higher[next[b]!++] = c; else higher[next[c]!++] = b;
    if (c < a) higher[next[c]!++] = a; else higher[next[a]!++] = c;
  }
}

function countRuns(start: Int32Array, higher: Int32Array, from: number, to: number, report: EdgeReport): void {
  let open = 0;
  let nonManifold = 0;
  for (let v = from; v < to; v++) {
    const first = start[v]!, end = start[v + 1]!;
    sortRange(higher, first, end);
    let run = 1;
    for (let i = first + 1; i <= end; i++) {
      if (i < end && higher[i] === higher[i - 1]) {
        run++;
        continue;
      }
      if (run === 1) open++;
      else if (run > 2) nonManifold++;
      run = 1;
    }
  }
  report.openEdges += open;
  report.nonManifoldEdges += nonManifold;
}

/** Insertion sort: a vertex has a handful of higher neighbours, and this allocates nothing. */
function sortRange(values: Int32Array, from: number, to: number): void {
  if (to - from > insertionSortLimit) {
    values.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const value = values[i]!;
    let j = i - 1;
    while (j >= from && values[j]! > value) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = value;
  }
}
