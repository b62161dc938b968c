import { binaryFacetBytes, binaryPrefixBytes } from './detect-encoding.js';
import { MeasureSums, degenerateSineSquared, type MeshMeasure } from './measure-mesh.js';
import { mergeDuplicateVertices } from './merge-duplicate-vertices.js';
import type { ScratchArrays } from './scratch-arrays.js';
import { VertexTable } from './vertex-table.js';

export interface BinaryScan {
  measure: MeshMeasure;
  /** Exact-welded vertex of every corner (three per facet). */
  vertexOfCorner: Int32Array;
  vertices: VertexTable;
}

/** Bytes from the start of a facet to its first vertex: the normal comes first and is ignored. */
const normalBytes = 12;
/** Hot loops run in chunks so V8 optimises a function that is called often, not a single long loop. */
const chunkTriangles = 16_384;

/**
 * One pass over a binary STL: measures every facet (as measure-mesh.ts does) and welds its
 * corners exactly, straight from the file's bytes, no copy. A corner equal to a corner of the
 * previous facet, as in the strips and fans exporters write, reuses its id without touching
 * the hash table; vertices added twice because they came back after leaving the table's
 * recent window are merged at the end. Calls `onNonFinite(facet, value)`, which throws, for a
 * NaN or infinity.
 */
export function scanBinaryStl(
  data: Uint8Array,
  triangles: number,
  scratch: ScratchArrays,
  onNonFinite: (triangle: number, value: number) => never,
): BinaryScan {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const first = binaryPrefixBytes + normalBytes;
  const sums = new MeasureSums([view.getFloat32(first, true), view.getFloat32(first + 4, true), view.getFloat32(first + 8, true)]);
  const vertexOfCorner = scratch.int32('vertex-of-corner', triangles * 3);
  const vertices = new VertexTable(scratch, triangles * 3);
  // Running totals in a typed array: the hot loop then touches no object property after OSR, which
  // V8 would deoptimise it for on each chunk until that property access had been seen.
  const totals = Float64Array.of(Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity, 0, 0, 0, ...sums.origin);
  // The first vertex id of each chunk: a vertex is used by no corner before its chunk.
  const firstIdOfChunk: number[] = [];
  for (let from = 0; from < triangles; from += chunkTriangles) {
    firstIdOfChunk.push(vertices.count);
    const to = Math.min(triangles, from + chunkTriangles);
    const failed = measureRange(view, from, to, totals);
    if (failed >= 0) onNonFinite(failed, firstNonFinite(view, failed));
    weldRange(view, from, to, vertices, vertexOfCorner);
  }
  const firstCornerUsing = (id: number): number => {
    let chunk = firstIdOfChunk.length - 1;
    while (chunk > 0 && firstIdOfChunk[chunk]! > id) chunk--;
    return chunk * chunkTriangles * 3;
  };
  const points = new Float32Array(vertices.points.buffer, vertices.points.byteOffset, vertices.count * 3);
  for (let from = 0; from < vertices.count; from += chunkTriangles) boundRange(points, from, Math.min(vertices.count, from + chunkTriangles), totals);
  sums.fold(
    [totals[minXAt]!, totals[minYAt]!, totals[minZAt]!],
    [totals[maxXAt]!, totals[maxYAt]!, totals[maxZAt]!],
    totals[sixfoldVolumeAt]!,
    totals[doubledAreaAt]!,
    totals[degenerateAt]!,
  );
  mergeDuplicateVertices(vertices, vertexOfCorner, scratch, firstCornerUsing);
  return { measure: sums.result(), vertexOfCorner, vertices };
}

/** Indexes into the running totals of `measureRange`; the origin of the tetrahedra follows them. */
const minXAt = 0, minYAt = 1, minZAt = 2, maxXAt = 3, maxYAt = 4, maxZAt = 5, sixfoldVolumeAt = 6, doubledAreaAt = 7, degenerateAt = 8, originAt = 9;

/**
 * Measures facets [from, to) into `totals`; returns the index of a facet with a non-finite
 * coordinate, or -1. Measuring and welding run as two loops over the same chunk, which is still
 * in the cache for the second: each loop alone keeps its values in registers.
 */
function measureRange(view: DataView, from: number, to: number, totals: Float64Array): number {
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
function weldRange(view: DataView, from: number, to: number, vertices: VertexTable, vertexOfCorner: Int32Array): void {
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

/**
 * Widens the box in `totals` by vertices [from, to). Half a million vertices rather than three
 * million corners: every corner is one of them. In the order they first appeared, as the corners
 * did, so the box is the same, -0 or 0 included.
 */
function boundRange(points: Float32Array, from: number, to: number, totals: Float64Array): void {
  let minX = totals[minXAt]!, minY = totals[minYAt]!, minZ = totals[minZAt]!, maxX = totals[maxXAt]!, maxY = totals[maxYAt]!, maxZ = totals[maxZAt]!;
  for (let k = from * 3; k < to * 3; k += 3) {
    const x = points[k]!, y = points[k + 1]!, z = points[k + 2]!;
    // Comparisons rather than Math.min/max: no -0/NaN handling needed, measurably faster here.
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    if (z < minZ) minZ = z;
    if (z > maxZ) maxZ = z;
  }
  totals[minXAt] = minX; totals[minYAt] = minY; totals[minZAt] = minZ;
  totals[maxXAt] = maxX; totals[maxYAt] = maxY; totals[maxZAt] = maxZ;
}

function firstNonFinite(view: DataView, triangle: number): number {
  const offset = binaryPrefixBytes + normalBytes + triangle * binaryFacetBytes;
  for (let k = 0; k < 9; k++) {
    const value = view.getFloat32(offset + 4 * k, true);
    if (!Number.isFinite(value)) return value;
  }
  return NaN;
}
