import { binaryFacetBytes, binaryPrefixBytes } from './detect-encoding.js';
import { boundRange, chunkTriangles, degenerateAt, doubledAreaAt, originAt, sixfoldVolumeAt } from './facet-totals.js';
import { degenerateSineSquared } from './measure-mesh.js';
import type { VertexTable } from './vertex-table.js';

/** What the weld leaves for the rest of the scan. */
export interface WeldedFacets {
  vertexOfCorner: Int32Array;
  vertices: VertexTable;
  /** Measure and box of every facet (facet-totals.ts). */
  totals: Float64Array;
  /** The first vertex id of each chunk: a vertex is used by no corner before its chunk. */
  firstIdOfChunk: Int32Array;
}

/** Bytes from the start of a facet to its first vertex: the normal comes first and is ignored. */
const normalBytes = 12;

/**
 * Measures and welds facets [from, to) of a binary STL, chunk by chunk, and widens the box by
 * the vertices each chunk adds, as the binary scan does on either thread (scan-binary-stl.ts,
 * scan-on-two-threads.ts). Chunk k (counted from `from`) records its first vertex id in
 * `firstIdOfChunk[k]`. Each chunk's sums are added to `totals`, or, with `partials`, written to
 * `partials[3k…3k+2]`, for the analysing thread to fold in file order. Stops before welding a
 * chunk with a non-finite coordinate; returns its first such facet, or -1.
 */
export function scanFacets(
  view: DataView,
  from: number,
  to: number,
  vertices: VertexTable,
  vertexOfCorner: Int32Array,
  totals: Float64Array,
  firstIdOfChunk: Int32Array,
  partials?: Float64Array,
): number {
  const coordinates = new Float32Array(vertices.points.buffer, vertices.points.byteOffset, vertices.points.length);
  for (let start = from, k = 0; start < to; start += chunkTriangles, k++) {
    const end = Math.min(to, start + chunkTriangles);
    const firstId = vertices.count;
    firstIdOfChunk[k] = firstId;
    if (partials) totals[sixfoldVolumeAt] = totals[doubledAreaAt] = totals[degenerateAt] = 0;
    const failed = measureRange(view, start, end, totals);
    if (failed >= 0) return failed;
    if (partials) partials.set(totals.subarray(sixfoldVolumeAt, degenerateAt + 1), k * 3);
    weldRange(view, start, end, vertices, vertexOfCorner);
    // The new vertices, in the order they first appeared, as the corners did: the same box, -0 or 0 included.
    boundRange(coordinates, firstId, vertices.count, totals);
  }
  return -1;
}

/**
 * Measures facets [from, to) into `totals`; returns the index of a facet with a non-finite
 * coordinate, or -1. Measuring and welding run as two loops over the same chunk, which is still
 * in the cache for the second: each loop alone keeps its values in registers.
 */
export function measureRange(view: DataView, from: number, to: number, totals: Float64Array): number {
  const ox = totals[originAt]!, oy = totals[originAt + 1]!, oz = totals[originAt + 2]!;
  let sixfoldVolume = 0, doubledArea = 0, degenerate = 0;
  for (let offset = binaryPrefixBytes + normalBytes + from * binaryFacetBytes, end = offset + (to - from) * binaryFacetBytes; offset < end; offset += binaryFacetBytes) {
    const fax = view.getFloat32(offset, true), fay = view.getFloat32(offset + 4, true), faz = view.getFloat32(offset + 8, true);
    const fbx = view.getFloat32(offset + 12, true), fby = view.getFloat32(offset + 16, true), fbz = view.getFloat32(offset + 20, true);
    const fcx = view.getFloat32(offset + 24, true), fcy = view.getFloat32(offset + 28, true), fcz = view.getFloat32(offset + 32, true);
    const e1x = fbx - fax, e1y = fby - fay, e1z = fbz - faz, e2x = fcx - fax, e2y = fcy - fay, e2z = fcz - faz;
    const nx = e1y * e2z - e1z * e2y, ny = e1z * e2x - e1x * e2z, nz = e1x * e2y - e1y * e2x;
    const normalSquared = nx * nx + ny * ny + nz * nz;
    if (normalSquared <= degenerateSineSquared * (e1x * e1x + e1y * e1y + e1z * e1z) * (e2x * e2x + e2y * e2y + e2z * e2z)) degenerate++;
    doubledArea += Math.sqrt(normalSquared);
    sixfoldVolume += (fax - ox) * nx + (fay - oy) * ny + (faz - oz) * nz;
  }
  totals[sixfoldVolumeAt]! += sixfoldVolume;
  totals[doubledAreaAt]! += doubledArea;
  totals[degenerateAt]! += degenerate;
  // A NaN or infinite coordinate always makes its facet's normal, so the area, NaN or infinite
  // (each coordinate takes part in two of its components): one test per chunk instead of per facet.
  return Number.isFinite(doubledArea) ? -1 : firstNonFiniteFacet(view, from, to);
}

/**
 * The first of facets [from, to) with a non-finite coordinate, or -1 if there is none: the area
 * of float32 facets, summed in double precision, cannot overflow, so that would be a bug.
 */
function firstNonFiniteFacet(view: DataView, from: number, to: number): number {
  for (let t = from; t < to; t++) {
    const offset = binaryPrefixBytes + normalBytes + t * binaryFacetBytes;
    for (let k = 0; k < 36; k += 4) if (!Number.isFinite(view.getFloat32(offset + k, true))) return t;
  }
  return -1;
}

/** Welds the corners of facets [from, to) exactly, by their bit patterns. */
export function weldRange(view: DataView, from: number, to: number, vertices: VertexTable, vertexOfCorner: Int32Array): void {
  // The "previous facet" starts as the first facet of the range, so the first facet matches itself.
  let offset = binaryPrefixBytes + normalBytes + from * binaryFacetBytes;
  let p0x = view.getInt32(offset, true), p0y = view.getInt32(offset + 4, true), p0z = view.getInt32(offset + 8, true);
  let p1x = view.getInt32(offset + 12, true), p1y = view.getInt32(offset + 16, true), p1z = view.getInt32(offset + 20, true);
  let p2x = view.getInt32(offset + 24, true), p2y = view.getInt32(offset + 28, true), p2z = view.getInt32(offset + 32, true);
  let p0 = vertices.idOf(p0x, p0y, p0z), p1 = vertices.idOf(p1x, p1y, p1z), p2 = vertices.idOf(p2x, p2y, p2z);
  for (let corner = from * 3; corner < to * 3; corner += 3, offset += binaryFacetBytes) {
    const ax = view.getInt32(offset, true), ay = view.getInt32(offset + 4, true), az = view.getInt32(offset + 8, true);
    const bx = view.getInt32(offset + 12, true), by = view.getInt32(offset + 16, true), bz = view.getInt32(offset + 20, true);
    const cx = view.getInt32(offset + 24, true), cy = view.getInt32(offset + 28, true), cz = view.getInt32(offset + 32, true);
    const a = ax === p0x && ay === p0y && az === p0z ? p0
      : ax === p1x && ay === p1y && az === p1z ? p1
      : ax === p2x && ay === p2y && az === p2z ? p2 : vertices.idOf(ax, ay, az);
    const b = bx === p0x && by === p0y && bz === p0z ? p0
      : bx === p1x && by === p1y && bz === p1z ? p1
      : bx === p2x && by === p2y && bz === p2z ? p2 : vertices.idOf(bx, by, bz);
    const c = cx === p0x && cy === p0y && cz === p0z ? p0
      : cx === p1x && cy === p1y && cz === p1z ? p1
      : cx === p2x && cy === p2y && cz === p2z ? p2 : vertices.idOf(cx, cy, cz);
    vertexOfCorner[corner] = a;
    vertexOfCorner[corner + 1] = b;
    vertexOfCorner[corner + 2] = c;
    p0x = ax; p0y = ay; p0z = az; p0 = a;
    p1x = bx; p1y = by; p1z = bz; p1 = b;
    p2x = cx; p2y = cy; p2z = cz; p2 = c;
  }
}

/** The first non-finite coordinate of facet `triangle`. */
export function firstNonFinite(view: DataView, triangle: number): number {
  const offset = binaryPrefixBytes + normalBytes + triangle * binaryFacetBytes;
  for (let k = 0; k < 9; k++) {
    const value = view.getFloat32(offset + 4 * k, true);
    if (!Number.isFinite(value)) return value;
  }
  return NaN;
}
