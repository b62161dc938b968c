/**
 * What the analysing thread and its helper thread (helper-thread.ts, analysis-worker.ts) say
 * to each other. A job is posted as a message, with its arrays: they are views of
 * SharedArrayBuffers, so posting them shares the memory instead of copying it. Progress and
 * the end of a job go through the job's `control` words with Atomics, because the analysing
 * thread waits for them in `Atomics.wait`, inside a synchronous call, where no message
 * could reach it.
 */
import type { Vector3 } from './measure-mesh.js';

/** The helper's share of the binary scan (scan-on-two-threads.ts): the facets after the split. */
export interface ScanJob {
  kind: 'scan';
  control: Int32Array;
  /**
   * The `lead` facets before its share, then its `facets`, numbered from 0 and laid out as in a
   * binary STL: the analysing thread copies them in chunk by chunk and publishes how many it
   * has copied at `copiedFacetsAt`.
   */
  bytes: Uint8Array;
  lead: number;
  facets: number;
  /** The tetrahedra's origin, the first vertex of the file. */
  origin: Vector3;
  /**
   * The corners of the same facets (those of the lead facets are the analysing thread's), and
   * the shared vertex table, where the helper's own table starts at vertex `base` with ids from
   * 0: the lead's vertices first (the lead corner where each first appears goes to
   * `leadFirstCorner`), then its share's. Once the analysing thread has published its vertex
   * count at `mainVerticesAt`, the helper joins its table to the shared one: its lead vertices
   * become the analysing thread's, the others move down behind them (their count goes to
   * `vertexCountAt`), and its corners and `firstIdOfChunk` are renumbered to match.
   */
  vertexOfCorner: Int32Array;
  leadFirstCorner: Int32Array;
  points: Int32Array;
  hashes: Int32Array;
  base: number;
  /** Its chunks' first vertex ids, and their sums, three per chunk (`scanFacets`). */
  firstIdOfChunk: Int32Array;
  partials: Float64Array;
  /** The box of its vertices (facet-totals.ts). */
  box: Float64Array;
}

/** The helper's half of the closed check (edge-halves.ts). */
export interface EdgesJob {
  kind: 'edges';
  control: Int32Array;
  vertexOfCorner: Int32Array;
  vertexCount: number;
  /** The helper's facets [fromFacet, toFacet) and vertices [lowFrom, lowTo), whose slots it keeps in its own memory. */
  fromFacet: number;
  toFacet: number;
  lowFrom: number;
  lowTo: number;
  /** The edges the helper hands over (count at `helperHandedOverAt`) and those it is handed (`mainHandedOverAt`). */
  fromHelper: Int32Array;
  toHelper: Int32Array;
}

export type HelperJob = ScanJob | EdgesJob;

/** Indexes of the control words of a job. */
export const statusAt = 0;
/** Facets the helper has got through: the analysing thread gives up on a helper whose progress stops. */
export const progressAt = 1;
/**
 * Scan job: the facets copied so far, the helper's vertex count and first non-finite facet (or
 * -1), and the analysing thread's vertex count (-1 until it has scanned its share).
 */
export const copiedFacetsAt = 2, vertexCountAt = 3, failedFacetAt = 11, mainVerticesAt = 12;
/** Set by the analysing thread when it stops early (it threw): the helper drops the job. */
export const abortAt = 4;
/** Edges job: the helper's open, non-manifold edge and collapsed facet counts. */
export const openEdgesAt = 5, nonManifoldEdgesAt = 6, collapsedAt = 7;
/** Edges job: how many edges each thread hands over to the other, -1 until it has counted its facets. */
export const helperHandedOverAt = 8, mainHandedOverAt = 9;
/** Counts the helper's signals (a word set, the end of the job): the analysing thread waits on it. */
export const signalsAt = 10;
const controlWords = 13;

/** Values of the status word. */
export const running = 0, done = 1, failed = 2;

export function newControl(): Int32Array {
  const control = new Int32Array(new SharedArrayBuffer(controlWords * Int32Array.BYTES_PER_ELEMENT));
  control[helperHandedOverAt] = control[mainHandedOverAt] = control[failedFacetAt] = control[mainVerticesAt] = -1;
  return control;
}
