import { chunk, countEdge, nonManifoldChange, openChange, OverflowEdges, slotShift, type EdgeReport } from './check-edges.js';

/**
 * One thread's half of the closed check on two threads (check-edges-on-two-threads.ts): the
 * facets of one half of the file, and the slots of the vertices [lowFrom, lowTo) that first
 * appeared there. Vertex ids follow the order of first use, so nearly every edge of a half's
 * facets has its lower vertex in that half; the few others (where the halves meet, or where
 * a surface closes on its start) are handed over, as (lower, higher) pairs, to the thread that
 * owns their slots. Each edge is thus counted whole by one thread, and the two reports add up
 * to exactly what one thread counts.
 */
export class EdgeHalf {
  readonly overflow: OverflowEdges;
  readonly report: EdgeReport = { openEdges: 0, nonManifoldEdges: 0, collapsedTriangles: 0 };
  /** How many pairs are in `handedOver`. */
  handedOverCount = 0;

  constructor(
    /**
     * The slots of vertices [lowFrom, lowTo), vertex `lowFrom` first: this thread's own memory,
     * cleared at full speed (`fill` on shared memory is about three times slower) and in its
     * own cache. Overflow keys then number the lower vertex from `lowFrom` too, as unique.
     */
    readonly slots: Int32Array,
    readonly lowFrom: number,
    readonly lowTo: number,
    vertexCount: number,
    /** The edges for the other thread, two words each. */
    readonly handedOver: Int32Array,
  ) {
    this.overflow = new OverflowEdges(vertexCount);
    slots.fill(0, 0, (lowTo - lowFrom) << slotShift);
  }

  /** Counts the edges of facets [from, to) (and their collapsed facets); `onProgress(facets)` hears how far it got. */
  countFacets(vertexOfCorner: Int32Array, from: number, to: number, onProgress: (facets: number) => void = () => {}): void {
    for (let start = from; start < to; start += chunk) {
      const end = Math.min(to, start + chunk);
      this.handedOverCount = countRange(vertexOfCorner, start, end, this, this.handedOverCount);
      onProgress(end);
    }
  }

  /** Counts the `count` edges the other thread handed over. */
  countHandedOver(pairs: Int32Array, count: number): void {
    const { slots, overflow, report, lowFrom } = this;
    for (let i = 0; i < count * 2; i += 2) {
      const uses = countEdge(slots, pairs[i]! - lowFrom, pairs[i + 1]!, overflow);
      report.openEdges += openChange[uses]!;
      report.nonManifoldEdges += nonManifoldChange[uses]!;
    }
  }

  /** The report, once both kinds of edges are counted. */
  finish(): EdgeReport {
    this.overflow.tally(this.report);
    return this.report;
  }
}

/**
 * `countRange` of check-edges.ts for one half: an edge whose lower vertex lies outside
 * [lowFrom, lowTo) is handed over, and counts as 0 uses, which changes no total. Returns the
 * new number of handed-over pairs.
 */
function countRange(vertexOfCorner: Int32Array, from: number, to: number, half: EdgeHalf, handedOverCount: number): number {
  const { slots, overflow, report, lowFrom, handedOver } = half;
  const span = half.lowTo - lowFrom;
  let collapsed = 0, once = 0, more = 0, n = handedOverCount * 2;
  for (let k = from * 3; k < to * 3; k += 3) {
    const a = vertexOfCorner[k]!, b = vertexOfCorner[k + 1]!, c = vertexOfCorner[k + 2]!;
    if (a === b || b === c || a === c) {
      collapsed++;
      continue;
    }
    // (x - lowFrom) >>> 0 < span tests lowFrom <= x < lowFrom + span in one comparison.
    const ab = a < b ? a : b, bc = b < c ? b : c, ca = c < a ? c : a;
    let uses1 = 0, uses2 = 0, uses3 = 0;
    if ((ab - lowFrom) >>> 0 < span) uses1 = countEdge(slots, ab - lowFrom, a ^ b ^ ab, overflow);
    else { handedOver[n++] = ab; handedOver[n++] = a ^ b ^ ab; }
    if ((bc - lowFrom) >>> 0 < span) uses2 = countEdge(slots, bc - lowFrom, b ^ c ^ bc, overflow);
    else { handedOver[n++] = bc; handedOver[n++] = b ^ c ^ bc; }
    if ((ca - lowFrom) >>> 0 < span) uses3 = countEdge(slots, ca - lowFrom, c ^ a ^ ca, overflow);
    else { handedOver[n++] = ca; handedOver[n++] = c ^ a ^ ca; }
    once += openChange[uses1]! + openChange[uses2]! + openChange[uses3]!;
    more += nonManifoldChange[uses1]! + nonManifoldChange[uses2]! + nonManifoldChange[uses3]!;
  }
  report.collapsedTriangles += collapsed;
  report.openEdges += once;
  report.nonManifoldEdges += more;
  return n / 2;
}
