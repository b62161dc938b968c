import { binaryFacetBytes, binaryPrefixBytes } from './detect-encoding.js';
import { MeasureSums, degenerateSineSquared, type MeshMeasure } from './measure-mesh.js';
import type { EdgeCounts } from './check-edges.js';
import type { ScratchArrays } from './scratch-arrays.js';
import { VertexTable } from './vertex-table.js';

export interface BinaryScan {
  measure: MeshMeasure;
  /** Exact-welded vertex of every corner (three per facet). */
  vertexOfCorner: Int32Array;
  vertices: VertexTable;
  /** Edges counted under their lower vertex as the facets went by, saving check-edges a pass. */
  edgeCounts: EdgeCounts;
}

/** Bytes from the start of a facet to its first vertex: the normal comes first and is ignored. */
const normalBytes = 12;
/** Hot loops run in chunks so V8 optimises a function that is called often, not a single long loop. */
const chunkTriangles = 16_384;

/**
 * One pass over a binary STL: measures every facet (as measure-mesh.ts does) and welds its
 * corners exactly, straight from the file's bytes, no copy. A corner equal to a corner of the
 * previous facet, as in the strips and fans exporters write, reuses its id without touching
 * the hash table. Calls `onNonFinite(facet, value)`, which throws, for a NaN or infinity.
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
  // A closed mesh has about half as many vertices as facets.
  const vertices = new VertexTable(scratch, triangles * 3, triangles / 2 + 16);
  // Zeroed as vertex ids are handed out, so the worst-case size costs nothing until used.
  const edgeCounts: EdgeCounts = { start: scratch.int32('edge-start', triangles * 3 + 1), zeroedUpTo: 0, collapsedTriangles: 0 };
  for (let from = 0; from < triangles; from += chunkTriangles) {
    const failed = scanRange(view, from, Math.min(triangles, from + chunkTriangles), sums, vertices, vertexOfCorner, edgeCounts);
    if (failed >= 0) onNonFinite(failed, firstNonFinite(view, failed));
  }
  return { measure: sums.result(), vertexOfCorner, vertices, edgeCounts };
}

/** Scans facets [from, to); returns the index of a facet with a non-finite coordinate, or -1. */
function scanRange(
  view: DataView,
  from: number,
  to: number,
  sums: MeasureSums,
  vertices: VertexTable,
  vertexOfCorner: Int32Array,
  edgeCounts: EdgeCounts,
): number {
  const start = edgeCounts.start;
  let zeroedUpTo = edgeCounts.zeroedUpTo, collapsed = 0;
  const [ox, oy, oz] = sums.origin;
  let minX = Infinity, minY = Infinity, minZ = Infinity, maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
  let sixfoldVolume = 0, doubledArea = 0, degenerate = 0;
  // The "previous facet" starts as the first facet of the range, so the first facet matches itself.
  let offset = binaryPrefixBytes + normalBytes + from * binaryFacetBytes;
  let p0x = view.getInt32(offset, true), p0y = view.getInt32(offset + 4, true), p0z = view.getInt32(offset + 8, true);
  let p1x = view.getInt32(offset + 12, true), p1y = view.getInt32(offset + 16, true), p1z = view.getInt32(offset + 20, true);
  let p2x = view.getInt32(offset + 24, true), p2y = view.getInt32(offset + 28, true), p2z = view.getInt32(offset + 32, true);
  let p0 = vertices.idOf(p0x, p0y, p0z), p1 = vertices.idOf(p1x, p1y, p1z), p2 = vertices.idOf(p2x, p2y, p2z);
  for (let t = from, corner = from * 3; t < to; t++, corner += 3, offset += binaryFacetBytes) {
    const fax = view.getFloat32(offset, true), fay = view.getFloat32(offset + 4, true), faz = view.getFloat32(offset + 8, true);
    const fbx = view.getFloat32(offset + 12, true), fby = view.getFloat32(offset + 16, true), fbz = view.getFloat32(offset + 20, true);
    const fcx = view.getFloat32(offset + 24, true), fcy = view.getFloat32(offset + 28, true), fcz = view.getFloat32(offset + 32, true);
    if ((fax - fax) + (fay - fay) + (faz - faz) + (fbx - fbx) + (fby - fby) + (fbz - fbz) + (fcx - fcx) + (fcy - fcy) + (fcz - fcz) !== 0) return t;
    // Comparisons rather than Math.min/max: no -0/NaN handling needed, measurably faster here.
    if (fax < minX) minX = fax; if (fbx < minX) minX = fbx; if (fcx < minX) minX = fcx;
    if (fay < minY) minY = fay; if (fby < minY) minY = fby; if (fcy < minY) minY = fcy;
    if (faz < minZ) minZ = faz; if (fbz < minZ) minZ = fbz; if (fcz < minZ) minZ = fcz;
    if (fax > maxX) maxX = fax; if (fbx > maxX) maxX = fbx; if (fcx > maxX) maxX = fcx;
    if (fay > maxY) maxY = fay; if (fby > maxY) maxY = fby; if (fcy > maxY) maxY = fcy;
    if (faz > maxZ) maxZ = faz; if (fbz > maxZ) maxZ = fbz; if (fcz > maxZ) maxZ = fcz;
    const e1x = fbx - fax, e1y = fby - fay, e1z = fbz - faz, e2x = fcx - fax, e2y = fcy - fay, e2z = fcz - faz;
    const nx = e1y * e2z - e1z * e2y, ny = e1z * e2x - e1x * e2z, nz = e1x * e2y - e1y * e2x;
    const normalSquared = nx * nx + ny * ny + nz * nz;
    if (normalSquared <= degenerateSineSquared * (e1x * e1x + e1y * e1y + e1z * e1z) * (e2x * e2x + e2y * e2y + e2z * e2z)) degenerate++;
    doubledArea += Math.sqrt(normalSquared);
    sixfoldVolume += (fax - ox) * nx + (fay - oy) * ny + (faz - oz) * nz;

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
    for (const top = vertices.count; zeroedUpTo < top; zeroedUpTo++) start[zeroedUpTo + 1] = 0;
    if (a === b || b === c || a === c) {
      collapsed++;
    } else {
      start[(a < b ? a : b) + 1]!++;
      start[(b < c ? b : c) + 1]!++;
      start[(c < a ? c : a) + 1]!++;
    }
    p0x = ax; p0y = ay; p0z = az; p0 = a;
    p1x = bx; p1y = by; p1z = bz; p1 = b;
    p2x = cx; p2y = cy; p2z = cz; p2 = c;
  }
  sums.fold([minX, minY, minZ], [maxX, maxY, maxZ], sixfoldVolume, doubledArea, degenerate);
  edgeCounts.zeroedUpTo = zeroedUpTo;
  edgeCounts.collapsedTriangles += collapsed;
  return -1;
}

function firstNonFinite(view: DataView, triangle: number): number {
  const offset = binaryPrefixBytes + normalBytes + triangle * binaryFacetBytes;
  for (let k = 0; k < 9; k++) {
    const value = view.getFloat32(offset + 4 * k, true);
    if (!Number.isFinite(value)) return value;
  }
  return NaN;
}
