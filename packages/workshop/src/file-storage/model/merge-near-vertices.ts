import type { ScratchArrays } from './scratch-arrays.js';
import { hashBits, type VertexTable } from './vertex-table.js';
import { weldPoints, type WeldGrid } from './weld-vertices.js';

/**
 * Float32 values near x are at least |x|·2^-24 apart, so two distinct ones within `tolerance`
 * are both below tolerance·(2^24 + 1) in magnitude; the extra unit covers rounding of the bound.
 */
const float32SpacingFactor = 2 ** 24 + 2;

/** Groups up to this size are checked pair by pair; larger ones go to the tolerance welder. */
const pairwiseGroupLimit = 8;

/**
 * The tolerance pass of the binary path, after exact welding: merges distinct float32
 * vertices within the weld tolerance of each other and renumbers the corners. Returns how
 * many vertices were merged away.
 *
 * Two such vertices are bit-equal on every axis except where both coordinates are tiny (below
 * the float32 bound above). So vertices are grouped by their bits with tiny coordinates
 * snapped to 0, and only inside a group can two of them merge: usually the groups are mirror
 * pairs such as (x, y, ±z), settled by one comparison, and nothing is left for the welder.
 */
export function mergeNearVertices(vertices: VertexTable, vertexOfCorner: Int32Array, grid: WeldGrid, scratch: ScratchArrays): number {
  const count = vertices.count;
  const bits = vertices.points;
  const coordinates = new Float32Array(bits.buffer, bits.byteOffset, count * 3);
  const tiny = grid.tolerance * float32SpacingFactor;
  const candidates = scratch.int32('merge-candidates', count);
  let candidateCount = 0;
  for (let vertex = 0, k = 0; vertex < count; vertex++, k += 3) {
    if (Math.abs(coordinates[k]!) <= tiny || Math.abs(coordinates[k + 1]!) <= tiny || Math.abs(coordinates[k + 2]!) <= tiny) candidates[candidateCount++] = vertex;
  }
  const snapped = (k: number): number => (Math.abs(coordinates[k]!) <= tiny ? 0 : bits[k]!);
  const tableBits = Math.ceil(Math.log2(candidateCount * 2 + 2));
  const table = scratch.int32('merge-table', 2 ** tableBits, true);
  const mask = table.length - 1;
  // Each group is a linked list: the table holds its first candidate, `next` the rest.
  const next = scratch.int32('merge-next', candidateCount, true);
  const groupSize = scratch.int32('merge-group-size', candidateCount, true);
  for (let i = 0; i < candidateCount; i++) {
    const k = candidates[i]! * 3;
    const x = snapped(k), y = snapped(k + 1), z = snapped(k + 2);
    let slot = hashBits(x, y, z) >>> (32 - tableBits);
    for (let entry = table[slot]!; entry !== 0; entry = table[slot]!) {
      const other = candidates[entry - 1]! * 3;
      if (snapped(other) === x && snapped(other + 1) === y && snapped(other + 2) === z) break;
      slot = (slot + 1) & mask;
    }
    const head = table[slot]! - 1;
    if (head < 0) {
      table[slot] = i + 1;
      groupSize[i] = 1;
    } else {
      next[i] = next[head]!;
      next[head] = i + 1;
      groupSize[head]!++;
    }
  }
  const members = scratch.int32('merge-members', candidateCount);
  let memberCount = 0;
  for (let head = 0; head < candidateCount; head++) {
    if (groupSize[head]! < 2) continue;
    if (groupSize[head]! <= pairwiseGroupLimit && !hasNearPair(coordinates, candidates, next, head, grid.tolerance)) continue;
    for (let i = head; i >= 0; i = next[i]! - 1) members[memberCount++] = candidates[i]!;
  }
  return memberCount === 0 ? 0 : weldMembers(coordinates, members.slice(0, memberCount), vertexOfCorner, grid);
}

/** Whether two vertices of the group starting at `head` lie within `tolerance` of each other on every axis. */
function hasNearPair(coordinates: Float32Array, candidates: Int32Array, next: Int32Array, head: number, tolerance: number): boolean {
  for (let i = head; i >= 0; i = next[i]! - 1) {
    const a = candidates[i]! * 3;
    for (let j = next[i]! - 1; j >= 0; j = next[j]! - 1) {
      const b = candidates[j]! * 3;
      if (Math.abs(coordinates[a]! - coordinates[b]!) <= tolerance && Math.abs(coordinates[a + 1]! - coordinates[b + 1]!) <= tolerance && Math.abs(coordinates[a + 2]! - coordinates[b + 2]!) <= tolerance) {
        return true;
      }
    }
  }
  return false;
}

/** Welds `members` (vertex ids) by tolerance and renumbers the corners; returns how many vertices merged away. */
function weldMembers(coordinates: Float32Array, members: Int32Array, vertexOfCorner: Int32Array, grid: WeldGrid): number {
  const points = new Float32Array(members.length * 3);
  members.forEach((vertex, i) => points.set(coordinates.subarray(vertex * 3, vertex * 3 + 3), i * 3));
  const welded = weldPoints(points, grid, members.length);
  if (welded.vertexCount === members.length) return 0;
  const count = coordinates.length / 3;
  const renumber = new Int32Array(count);
  for (let vertex = 0; vertex < count; vertex++) renumber[vertex] = vertex;
  for (let i = 0; i < members.length; i++) renumber[members[i]!] = members[welded.firstPoint[welded.vertexOfPoint[i]!]!]!;
  for (let corner = 0; corner < vertexOfCorner.length; corner++) vertexOfCorner[corner] = renumber[vertexOfCorner[corner]!]!;
  return members.length - welded.vertexCount;
}
