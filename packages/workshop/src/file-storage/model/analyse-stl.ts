import { readFile, stat } from 'node:fs/promises';
import { checkEdges, maxCheckedVertices, type EdgeReport } from './check-edges.js';
import { EdgesOnTwoThreads } from './check-edges-on-two-threads.js';
import { detectStlLayout } from './detect-encoding.js';
import { readyHelperThread } from './helper-thread.js';
import { measureMesh, type MeshMeasure, type Vector3 } from './measure-mesh.js';
import { mergeNearVertices } from './merge-near-vertices.js';
import { modelError, modelErrorCodes } from './model-errors.js';
import { readAsciiStl } from './read-ascii-stl.js';
import { scanBinaryStl } from './scan-binary-stl.js';
import { ScratchArrays } from './scratch-arrays.js';
import { weldGridFor, weldPoints } from './weld-vertices.js';

export interface ModelAnalysis {
  encoding: 'binary' | 'ascii';
  triangles: number;
  /** Enclosed volume in model units³: the absolute value of the signed-tetrahedra sum. */
  volume: number;
  /** Sum of the facet areas, in model units². */
  surfaceArea: number;
  boundingBox: { min: Vector3; max: Vector3; size: Vector3 };
  /** Every edge is shared by exactly two facets once vertices are welded: the volume is meaningful. */
  closed: boolean;
  /** Number of `solid … endsolid` blocks (ASCII only). */
  solids?: number;
  /** Things that did not stop the analysis but a person pricing the model should know. */
  warnings: string[];
}

export interface AnalyseStlOptions {
  /**
   * Refuse models with more facets (MODEL_TOO_LARGE) before allocating for them. Default
   * 5,000,000: a 250 MB binary file, 25 times the ~200k facets of a finely detailed ring.
   * At most 31,635,421: the closed check numbers edges exactly up to 3 × that many vertices.
   */
  maxTriangles?: number;
  /** Refuse larger files (MODEL_TOO_LARGE). Default 512 MiB: 5M binary facets, or ~2M ASCII ones. */
  maxBytes?: number;
  /**
   * Vertices weld for the closed check when they differ by at most this fraction of the
   * bounding-box diagonal on every axis. Default 1e-9: a million times below the edge length
   * of a 1M-facet model, a million times above double-precision noise, so exporter round-off
   * such as 0.5 vs 0.500000000001 welds and distinct vertices never do.
   */
  weldTolerance?: number;
  /**
   * Binary models with at least this many facets are analysed on two threads: a helper thread
   * (a worker, started by the first such model and kept) scans the second half of the facets
   * while the calling thread scans the first, then counts about half of the edges. Default
   * 200,000: below that a model takes ~20 ms on one thread and handing work over gains little.
   * While the machine's other core is busy, such models run on one thread for a while
   * (contention-guard.ts). Infinity keeps every analysis on the calling thread. The answer is
   * the same to the last bit either way.
   */
  parallelFromTriangles?: number;
}

export const defaultAnalyseStlOptions: Readonly<Required<AnalyseStlOptions>> = {
  maxTriangles: 5_000_000,
  maxBytes: 512 * 2 ** 20,
  weldTolerance: 1e-9,
  parallelFromTriangles: 200_000,
};

/** Analyses STL files with fixed options, reusing its working memory from one model to the next. */
export interface ModelAnalyser {
  analyse(data: Uint8Array): ModelAnalysis;
  analyseFile(path: string): Promise<ModelAnalysis>;
  /** Threads the last analysis ran on: 2 when the helper thread took part, 1 before any analysis. */
  readonly lastThreadCount: number;
}

/**
 * An analyser for a service that prices one upload after another: it keeps its scratch
 * arrays (up to about 250 bytes per facet of the largest model so far, for facets that share
 * no vertex; a closed mesh touches about 50 of them, and about 25 more on two threads for the
 * copy of the helper's share of the file) instead of paying the page faults of fresh ones on
 * every call. Calls must not overlap: `analyse` is synchronous, so one analyser per thread is
 * enough.
 */
export function createModelAnalyser(options: AnalyseStlOptions = {}): ModelAnalyser {
  const settings = { ...defaultAnalyseStlOptions, ...options };
  // Every corner may be a vertex of its own.
  if (settings.maxTriangles * 3 > maxCheckedVertices) throw new RangeError(`maxTriangles must be at most ${Math.floor(maxCheckedVertices / 3)}.`);
  const scratch = new ScratchArrays();
  const run = { threads: 1 };
  return {
    analyse: (data) => analyse(data, settings, scratch, run),
    async analyseFile(path) {
      const { size } = await stat(path);
      if (size > settings.maxBytes) throw tooManyBytes(size, settings.maxBytes);
      return analyse(await readFile(path), settings, scratch, run);
    },
    get lastThreadCount() {
      return run.threads;
    },
  };
}

/**
 * Analyses an STL file held in memory. Throws a LoupeError (status 422, codes in
 * `modelErrorCodes`) for empty, truncated, oversized, unparseable or degenerate input.
 */
export function analyseStl(data: Uint8Array, options: AnalyseStlOptions = {}): ModelAnalysis {
  return createModelAnalyser(options).analyse(data);
}

/** Reads and analyses an STL file, refusing one larger than `maxBytes` before reading it. */
export function analyseModelFile(path: string, options: AnalyseStlOptions = {}): Promise<ModelAnalysis> {
  return createModelAnalyser(options).analyseFile(path);
}

function analyse(data: Uint8Array, settings: Required<AnalyseStlOptions>, scratch: ScratchArrays, run: { threads: number }): ModelAnalysis {
  run.threads = 1;
  if (data.length > settings.maxBytes) throw tooManyBytes(data.length, settings.maxBytes);
  const layout = detectStlLayout(data);
  if (layout.encoding === 'ascii') {
    const ascii = readAsciiStl(data, settings.maxTriangles);
    const measure = measureMesh(ascii.coordinates, nonFinite);
    refuseDegenerate(measure, ascii.triangles);
    // A closed mesh has about half as many vertices as facets.
    const welded = weldPoints(ascii.coordinates, weldGridFor(measure.min, measure.max, settings.weldTolerance), ascii.triangles / 2);
    const edges = checkEdges(welded.vertexOfPoint, welded.vertexCount, scratch);
    return summarise('ascii', ascii.triangles, measure, edges, ascii.warnings, ascii.solids);
  }
  if (layout.triangles === 0) throw modelError(modelErrorCodes.empty, 'The binary STL declares 0 facets and holds none.');
  if (layout.triangles > settings.maxTriangles) {
    throw modelError(modelErrorCodes.tooLarge, `The model has ${layout.triangles} facets, more than the limit of ${settings.maxTriangles}.`);
  }
  const warnings: string[] = [];
  if (layout.countInferred) warnings.push(`The header declares 0 facets but the file holds ${layout.triangles}; all of them were read.`);
  if (layout.trailingBytes > 0) warnings.push(`${layout.trailingBytes} trailing byte(s) after the last facet were ignored.`);
  // The first large model starts the helper; it joins in once it has loaded.
  const helper = layout.triangles >= settings.parallelFromTriangles ? readyHelperThread() : undefined;
  const scan = scanBinaryStl(data, layout.triangles, scratch, nonFinite, helper);
  if (scan.helped) run.threads = 2;
  refuseDegenerate(scan.measure, layout.triangles);
  const twoThreads = helper && scan.helped ? new EdgesOnTwoThreads(scan.vertexOfCorner, scan.vertices.count, scratch, helper, scan.edgeSplit) : undefined;
  let merged: number;
  try {
    merged = mergeNearVertices(scan.vertices, scan.vertexOfCorner, weldGridFor(scan.measure.min, scan.measure.max, settings.weldTolerance), scratch);
  } catch (error) {
    twoThreads?.abandon();
    throw error;
  }
  const edges = twoThreads ? twoThreads.finish(merged > 0) : checkEdges(scan.vertexOfCorner, scan.vertices.count, scratch);
  return summarise('binary', layout.triangles, scan.measure, edges, warnings);
}

function refuseDegenerate(measure: MeshMeasure, triangles: number): void {
  if (measure.degenerateTriangles < triangles) return;
  throw modelError(modelErrorCodes.degenerate, `All ${triangles} facets have zero area (repeated or collinear vertices): the model has no surface.`);
}

function summarise(
  encoding: ModelAnalysis['encoding'],
  triangles: number,
  measure: MeshMeasure,
  edges: EdgeReport,
  warnings: string[],
  solids?: number,
): ModelAnalysis {
  const closed = edges.openEdges === 0 && edges.nonManifoldEdges === 0;
  if (measure.degenerateTriangles > 0) warnings.push(`${measure.degenerateTriangles} facet(s) have zero area.`);
  if (edges.collapsedTriangles > 0) warnings.push(`${edges.collapsedTriangles} facet(s) collapse when vertices are welded and were left out of the closed check.`);
  if (edges.openEdges > 0) warnings.push(`${edges.openEdges} edge(s) belong to only one facet: the surface has holes.`);
  if (edges.nonManifoldEdges > 0) warnings.push(`${edges.nonManifoldEdges} edge(s) are shared by more than two facets.`);
  if (!closed) warnings.push('The surface is not closed, so its volume is not well defined; repair the model before pricing it.');
  if (measure.signedVolume < 0) warnings.push('The facets face inward (negative signed volume); the volume is reported as its absolute value.');
  const { min, max } = measure;
  const analysis: ModelAnalysis = {
    encoding,
    triangles,
    volume: Math.abs(measure.signedVolume),
    surfaceArea: measure.surfaceArea,
    boundingBox: { min, max, size: [max[0] - min[0], max[1] - min[1], max[2] - min[2]] },
    closed,
    warnings,
  };
  if (solids !== undefined) analysis.solids = solids;
  return analysis;
}

function nonFinite(triangle: number, value: number): never {
  throw modelError(
    modelErrorCodes.invalidNumber,
    `Facet index ${triangle} has a non-finite coordinate (${value}); every vertex coordinate must be a finite number.`,
  );
}

function tooManyBytes(size: number, maxBytes: number): Error {
  return modelError(modelErrorCodes.tooLarge, `The file has ${size} bytes, more than the limit of ${maxBytes}.`);
}
