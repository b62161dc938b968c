import { checkEdges, edgeSlotsFor, type EdgeReport } from './check-edges.js';
import { EdgeHalf } from './edge-halves.js';
import type { EdgeCount, HelperThread } from './helper-thread.js';
import type { ScratchArrays } from './scratch-arrays.js';

/** Where the facets split between the threads: the helper takes facets from `facet` on, and vertices from `vertex` on. */
export interface EdgeSplit {
  facet: number;
  /** The vertices the facets before `facet` use: the weld's vertex count there, ids following first use. */
  vertex: number;
}

const handedToHelper = 'edges-to-helper', handedToMain = 'edges-to-main';

/**
 * `checkEdges` on two threads: this thread counts the facets before the split into the slots
 * of the vertices they brought, the helper the facets after it into the others', and each
 * counts the few edges the other hands over (edge-halves.ts). Each thread reads and counts
 * only its share of the facets. Same report as `checkEdges`, to the edge.
 *
 * The helper starts as soon as the vertices are numbered, while this thread still runs the
 * tolerance pass (merge-near-vertices.ts), which almost never merges anything; if it does, the
 * helper's count is thrown away and `finish` counts on one thread. So the split gives the
 * helper the larger share.
 */
export class EdgesOnTwoThreads {
  private readonly facets: number;
  private readonly slots: Int32Array;
  private readonly toHelper: Int32Array;
  private readonly fromHelper: Int32Array;
  private readonly helped: EdgeCount;

  constructor(
    private readonly vertexOfCorner: Int32Array,
    private readonly vertexCount: number,
    private readonly scratch: ScratchArrays,
    helper: HelperThread,
    private readonly split: EdgeSplit,
  ) {
    this.facets = Math.floor(vertexOfCorner.length / 3);
    // This thread's slots only, in its own memory: the helper keeps its own.
    this.slots = edgeSlotsFor(split.vertex, scratch, false);
    // Two words per edge, three edges per facet: room for every edge of either share.
    this.toHelper = scratch.int32(handedToHelper, split.facet * 6, false, true);
    this.fromHelper = scratch.int32(handedToMain, (this.facets - split.facet) * 6, false, true);
    this.helped = helper.countEdges({
      vertexOfCorner, vertexCount, fromFacet: split.facet, toFacet: this.facets, lowFrom: split.vertex, lowTo: vertexCount, fromHelper: this.fromHelper, toHelper: this.toHelper,
    });
  }

  /** Counts this thread's share and adds the helper's; `renumbered` when the corners changed since the start. */
  finish(renumbered: boolean): EdgeReport {
    const { vertexOfCorner, vertexCount, scratch, split } = this;
    if (renumbered) {
      this.abandon();
      return checkEdges(vertexOfCorner, vertexCount, scratch);
    }
    let own: EdgeReport;
    try {
      const half = new EdgeHalf(this.slots, 0, split.vertex, vertexCount, this.toHelper);
      half.countFacets(vertexOfCorner, 0, split.facet);
      this.helped.handOver(half.handedOverCount);
      const handed = this.helped.handedOver();
      if (handed !== undefined) half.countHandedOver(this.fromHelper, handed);
      own = half.finish();
    } catch (error) {
      this.helped.abort();
      throw error;
    }
    const other = this.helped.finish();
    if (!other) {
      // The helper failed or stopped responding: count everything here, in memory it cannot touch.
      for (const purpose of [handedToHelper, handedToMain]) scratch.forget(purpose);
      return checkEdges(vertexOfCorner, vertexCount, scratch);
    }
    return {
      openEdges: own.openEdges + other.openEdges,
      nonManifoldEdges: own.nonManifoldEdges + other.nonManifoldEdges,
      collapsedTriangles: own.collapsedTriangles + other.collapsedTriangles,
    };
  }

  /** Drops the count (the analysis is failing) once the helper is done with the shared memory. */
  abandon(): void {
    this.helped.abort();
  }
}
