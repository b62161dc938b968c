import type { ScratchArrays } from './scratch-arrays.js';
import { hashBits, type VertexTable } from './vertex-table.js';
import { weldPoints, type WeldGrid } from './weld-vertices.js';

/**
 * The magnitude below which two distinct float32 values can lie within `tolerance` of each other.
 * With p the largest power of two ≤ tolerance, float32 values of magnitude above p·2^24 are at least
 * p·2 > tolerance from every other float32 value (the spacing from 2^k up is 2^(k-23)), while
 * p·2^24 itself is exactly p from the float below it. So both values of a near pair are ≤ p·2^24.
 */
function tinyBound(tolerance: number): number {
  if (!(tolerance > 0)) return 0;
  let p = 2 ** Math.floor(Math.log2(tolerance));
  // Math.log2 may round near a power of two: settle p exactly.
  while (p > tolerance) p /= 2;
  while (p * 2 <= tolerance) p *= 2;
  return p * 2 ** 24;
}

/** Groups up to this size are checked pair by pair; larger ones go to the tolerance welder. */
const pairwiseGroupLimit = 8;

/**
 * The tolerance pass of the binary path, after exact welding: merges distinct float32
 * vertices within the weld tolerance of each other and renumbers the corners. Returns how
 * many vertices were merged away.
 *
 * Two such vertices are bit-equal on every axis except where both coordinates are tiny (at
 * most `tinyBound` in magnitude). So vertices are grouped by their bits with tiny coordinates
 * snapped to 0, and only inside a group can two of them merge: usually the groups are mirror
 * pairs such as (x, y, ±z), settled by one comparison, and nothing is left for the welder.
 */
export function mergeNearVertices(vertices: VertexTable, vertexOfCorner: Int32Array, grid: WeldGrid, scratch: ScratchArrays): number {
  const count = vertices.count;
  const bits = vertices.points;
  const coordinates = new Float32Array(bits.buffer, bits.byteOffset, count * 3);
  const tiny = tinyBound(grid.tolerance);
  const candidates = scratch.int32('merge-candidates', count);
  // The candidates' bit patterns with tiny coordinates snapped to 0, side by side: the grouping
  // below compares them without reaching back into the whole vertex table.
  const keys = scratch.int32('merge-keys', count * 3);
  const candidateCount = collectCandidates(coordinates, bits, count, tiny, candidates, keys);
  const tableBits = Math.ceil(Math.log2(candidateCount * 2 + 2));
  // Each group is a linked list: the table holds its first candidate, `next` the rest.
  const groups: CandidateGroups = {
    table: scratch.int32('merge-table', 2 ** tableBits, true),
    tableBits,
    next: scratch.int32('merge-next', candidateCount, true),
    groupSize: scratch.int32('merge-group-size', candidateCount, true),
  };
  groupCandidates(keys, candidateCount, groups);
  const { next, groupSize } = groups;
  const members = scratch.int32('merge-members', candidateCount);
  let memberCount = 0;
  for (let head = 0; head < candidateCount; head++) {
    if (groupSize[head]! < 2) continue;
    if (groupSize[head]! <= pairwiseGroupLimit && !hasNearPair(coordinates, candidates, next, head, grid.tolerance)) continue;
    for (let i = head; i >= 0; i = next[i]! - 1) members[memberCount++] = candidates[i]!;
  }
  return memberCount === 0 ? 0 : weldMembers(coordinates, members.slice(0, memberCount), vertexOfCorner, grid);
}

interface CandidateGroups {
  table: Int32Array;
  tableBits: number;
  next: Int32Array;
  groupSize: Int32Array;
}

/** Lists the vertices with a tiny coordinate and their snapped keys; returns how many there are. */
function collectCandidates(coordinates: Float32Array, bits: Int32Array, count: number, tiny: number, candidates: Int32Array, keys: Int32Array): number {
  let candidateCount = 0;
  for (let vertex = 0, k = 0; vertex < count; vertex++, k += 3) {
    const tinyX = Math.abs(coordinates[k]!) <= tiny, tinyY = Math.abs(coordinates[k + 1]!) <= tiny, tinyZ = Math.abs(coordinates[k + 2]!) <= tiny;
    if (!tinyX && !tinyY && !tinyZ) continue;
    const key = candidateCount * 3;
    keys[key] = tinyX ? 0 : bits[k]!;
    keys[key + 1] = tinyY ? 0 : bits[k + 1]!;
    keys[key + 2] = tinyZ ? 0 : bits[k + 2]!;
    candidates[candidateCount++] = vertex;
  }
  return candidateCount;
}

/** Links candidates with equal keys into groups (open addressing on the key, linear probing). */
function groupCandidates(keys: Int32Array, candidateCount: number, { table, tableBits, next, groupSize }: CandidateGroups): void {
  const mask = table.length - 1;
  for (let i = 0, k = 0; i < candidateCount; i++, k += 3) {
    const x = keys[k]!, y = keys[k + 1]!, z = keys[k + 2]!;
    let slot = hashBits(x, y, z) >>> (32 - tableBits);
    for (let entry = table[slot]!; entry !== 0; entry = table[slot]!) {
      const other = (entry - 1) * 3;
      if (keys[other] === x && keys[other + 1] === y && keys[other + 2] === z) break;
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
