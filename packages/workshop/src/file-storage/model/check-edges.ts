import type { ScratchArrays } from './scratch-arrays.js';

export interface EdgeReport {
  /** Edges used by exactly one facet: holes in the surface. */
  openEdges: number;
  /** Edges shared by three or more facets. */
  nonManifoldEdges: number;
  /** Facets that lost a corner to welding (two corners became one vertex); they have no edges. */
  collapsedTriangles: number;
}

/**
 * Each vertex has this many slots for the edges to its higher-numbered neighbours: a vertex of
 * a mesh has about six neighbours, half of them higher. Edges of busier vertices overflow.
 */
export const slotsPerVertex = 8;
export const slotShift = 3;
/** A slot holds (higher vertex << 2) | facets using the edge, counting 1, 2, then 3 for "three or more". */
const countBits = 2;
const countMask = 3;
/**
 * How an edge's count of uses changes the totals, indexed by the new count: 1 adds an open edge,
 * 2 closes it, 3 makes it non-manifold; 0 (counted apart, see `OverflowEdges`) and 4+ change
 * nothing. Tables rather than branches: which case comes next is not predictable.
 */
export const openChange = Int8Array.of(0, 1, -1, 0, 0);
export const nonManifoldChange = Int8Array.of(0, 0, 0, 1, 0);
/** Hot loops run in chunks so V8 optimises a function that is called often, not a single long loop. */
export const chunk = 16_384;
/** Overflow keys are lower · vertexCount + higher, exact below 2^53. */
export const maxCheckedVertices = Math.floor(Math.sqrt(Number.MAX_SAFE_INTEGER));

/**
 * Counts how many facets share each undirected edge, without a hash table: every edge is
 * counted in a slot of its lower vertex, found by a short linear search. Vertex ids follow
 * the order in which facets use them, so the slots a run of facets touches are close together.
 * The open and non-manifold totals are kept up to date as counts change, so no pass over the
 * slots is needed. Edges beyond a vertex's slots (a fan around one vertex) are sorted and
 * counted apart. A closed surface uses every edge exactly twice.
 */
export function checkEdges(vertexOfCorner: Int32Array, vertexCount: number, scratch: ScratchArrays): EdgeReport {
  const slots = edgeSlotsFor(vertexCount, scratch, true);
  const triangles = Math.floor(vertexOfCorner.length / 3);
  const overflow = new OverflowEdges(vertexCount);
  const report: EdgeReport = { openEdges: 0, nonManifoldEdges: 0, collapsedTriangles: 0 };
  for (let from = 0; from < triangles; from += chunk) countRange(vertexOfCorner, from, Math.min(triangles, from + chunk), slots, overflow, report);
  overflow.tally(report);
  return report;
}

/** The slots for `vertexCount` vertices, with stale contents unless `zeroed`. */
export function edgeSlotsFor(vertexCount: number, scratch: ScratchArrays, zeroed: boolean): Int32Array {
  if (vertexCount > maxCheckedVertices) throw new RangeError(`checkEdges handles at most ${maxCheckedVertices} vertices, not ${vertexCount}.`);
  return scratch.int32('edge-slots', vertexCount * slotsPerVertex, zeroed);
}

/** Counts the edges of facets [from, to) into `report`. */
function countRange(vertexOfCorner: Int32Array, from: number, to: number, slots: Int32Array, overflow: OverflowEdges, report: EdgeReport): void {
  let collapsed = 0;
  // Edges used once, and edges used three times or more, so far.
  let once = 0, more = 0;
  for (let k = from * 3; k < to * 3; k += 3) {
    const a = vertexOfCorner[k]!, b = vertexOfCorner[k + 1]!, c = vertexOfCorner[k + 2]!;
    if (a === b || b === c || a === c) {
      collapsed++;
      continue;
    }
    // Lower and higher end of each edge; three call sites keep countEdge inlined.
    const ab = a < b ? a : b, bc = b < c ? b : c, ca = c < a ? c : a;
    const uses1 = countEdge(slots, ab, a ^ b ^ ab, overflow);
    const uses2 = countEdge(slots, bc, b ^ c ^ bc, overflow);
    const uses3 = countEdge(slots, ca, c ^ a ^ ca, overflow);
    once += openChange[uses1]! + openChange[uses2]! + openChange[uses3]!;
    more += nonManifoldChange[uses1]! + nonManifoldChange[uses2]! + nonManifoldChange[uses3]!;
  }
  report.collapsedTriangles += collapsed;
  report.openEdges += once;
  report.nonManifoldEdges += more;
}

/**
 * Counts one use of the edge in its lower vertex's slots and returns how many uses it now has:
 * 1, 2, 3, or 4 for a fourth use or more; 0 when the slots were full and the edge overflowed.
 */
export function countEdge(slots: Int32Array, lower: number, higher: number, overflow: OverflowEdges): number {
  const key = higher << countBits;
  const end = (lower + 1) << slotShift;
  for (let s = lower << slotShift; s < end; s++) {
    const entry = slots[s]!;
    if (entry === 0) {
      slots[s] = key | 1;
      return 1;
    }
    if ((entry & ~countMask) === key) {
      const uses = entry & countMask;
      if (uses === countMask) return 4;
      slots[s] = entry + 1;
      return uses + 1;
    }
  }
  overflow.add(lower, higher);
  return 0;
}

/** Edges that found their lower vertex's slots full: kept as sortable keys and counted at the end. */
export class OverflowEdges {
  private keys = new Float64Array(0);
  private count = 0;

  constructor(private readonly vertexCount: number) {}

  add(lower: number, higher: number): void {
    if (this.count === this.keys.length) {
      const grown = new Float64Array(Math.max(1024, this.keys.length * 2));
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[this.count++] = lower * this.vertexCount + higher;
  }

  tally(report: EdgeReport): void {
    const keys = this.keys.subarray(0, this.count).sort();
    let run = 1;
    for (let i = 1; i <= keys.length; i++) {
      if (i < keys.length && keys[i] === keys[i - 1]) {
        run++;
        continue;
      }
      if (run === 1) report.openEdges++;
      else if (run > 2) report.nonManifoldEdges++;
      run = 1;
    }
  }
}
