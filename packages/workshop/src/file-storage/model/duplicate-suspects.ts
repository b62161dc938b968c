import { renumber } from './merge-duplicate-vertices.js';
import type { ScratchArrays } from './scratch-arrays.js';
import type { VertexTable } from './vertex-table.js';

/**
 * Vertices that may repeat an earlier vertex's bit pattern, found as the weld adds them: the
 * weld adds a vertex twice only when it comes back after leaving the recent window, which in
 * a mesh written in strips happens to a few hundred vertices out of half a million.
 *
 * A one-bit-per-hash filter (a Bloom filter with one probe) marks the hashes seen so far: a
 * vertex whose bit is clear repeats no earlier vertex, and only the others, the suspects, are
 * checked against all vertices at the end. With 8 bits per facet, ~16 per vertex of a closed
 * mesh, about 3% of the vertices are suspects by chance; the filter (1 MiB for a million
 * facets) stays in the L2 cache, so marking costs a few ms where bucketing every vertex
 * (merge-duplicate-vertices.ts) costs several times that.
 */
export interface DuplicateSuspects {
  filter: Int32Array;
  /** Suspect vertex ids, ascending. */
  ids: Int32Array;
  count: number;
}

/** Hot loops run in chunks so V8 optimises a function that is called often, not a single long loop. */
const chunk = 16_384;
const filterBitsPerFacet = 8;
/** 2^30 bits, 128 MiB: past ~130M facets, more than the analysis accepts, the filter just fills up. */
const maxFilterBits = 30;
/** Above this share of suspects, bucketing every vertex is cheaper than checking the suspects. */
const maxSuspectShare = 1 / 8;

/** An empty filter and list. */
export function duplicateSuspectsFor(facets: number, maxVertices: number, scratch: ScratchArrays): DuplicateSuspects {
  const bits = Math.min(maxFilterBits, Math.max(10, Math.ceil(Math.log2(facets * filterBitsPerFacet))));
  return { filter: scratch.int32('suspect-filter', 2 ** (bits - 5), true), ids: scratch.int32('suspect-ids', maxVertices), count: 0 };
}

/** Marks vertices [from, to), in id order, in the filter; returns the new suspect count. */
export function markSuspects(hashes: Int32Array, from: number, to: number, filter: Int32Array, ids: Int32Array, count: number): number {
  // filter.length is 2^(bits - 5): the top `bits` bits of the hash pick the bit.
  const shift = 32 - 5 - Math.log2(filter.length);
  for (let id = from; id < to; id++) {
    const bit = hashes[id]! >>> shift;
    const word = bit >>> 5, mask = 1 << (bit & 31);
    const seen = filter[word]!;
    if ((seen & mask) !== 0) ids[count++] = id;
    else filter[word] = seen | mask;
  }
  return count;
}

/**
 * `mergeDuplicateVertices` for a table whose only possible duplicates are `suspects`: finds the
 * first vertex with each suspect's bits in one pass over the hashes (a small table of the
 * suspects' patterns, in the cache), then renumbers as it does. Returns how many duplicates
 * were removed, or -1 when there are so many suspects that bucketing is the cheaper way.
 */
export function mergeSuspectedDuplicates(
  vertices: VertexTable,
  vertexOfCorner: Int32Array,
  scratch: ScratchArrays,
  firstCornerUsing: (id: number) => number,
  suspects: DuplicateSuspects,
): number {
  const { count: suspectCount, ids } = suspects;
  if (suspectCount === 0) return 0;
  if (suspectCount > vertices.count * maxSuspectShare) return -1;
  const { points, hashes } = vertices;
  // Each distinct pattern among the suspects gets a slot of two words, its hash (so that the
  // scan compares with no reach into the large hash array) and its first suspect's index + 1;
  // `firstOf` gets the first vertex id with that pattern, found by the scan below.
  const slots = 2 ** Math.ceil(Math.log2(suspectCount * 2 + 2));
  const table = scratch.int32('suspect-table', slots * 2, true);
  // A bit per low hash bits of each suspect, 64 bits per suspect: most vertices find theirs clear
  // and skip the table, whose probes, of unpredictable length, cost a branch miss each.
  const marks = scratch.int32('suspect-marks', 2 ** Math.ceil(Math.log2(suspectCount * 2 + 2)), true);
  const patternOf = scratch.int32('suspect-pattern', suspectCount);
  const firstOf = scratch.int32('suspect-first', suspectCount);
  for (let i = 0; i < suspectCount; i++) {
    const at = findPattern(points, hashes[ids[i]!]!, ids[i]! * 3, table, ids);
    if (table[at + 1] === 0) {
      table[at] = hashes[ids[i]!]!;
      table[at + 1] = i + 1;
      firstOf[i] = -1;
    }
    patternOf[i] = table[at + 1]! - 1;
    markHash(marks, hashes[ids[i]!]!);
  }
  const last = ids[suspectCount - 1]!;
  for (let from = 0; from <= last; from += chunk) firstInRange(points, hashes, marks, table, ids, firstOf, from, Math.min(last + 1, from + chunk));
  const firstCopy = scratch.int32('duplicate-first-copy', vertices.count, true);
  let duplicates = 0;
  for (let i = 0; i < suspectCount; i++) {
    const first = firstOf[patternOf[i]!]!;
    if (first === ids[i]) continue;
    firstCopy[ids[i]!] = first + 1;
    duplicates++;
  }
  if (duplicates > 0) renumber(vertices, firstCopy, vertexOfCorner, scratch, firstCornerUsing);
  return duplicates;
}

/**
 * Where the pattern of the vertex whose bits start at `k` (with hash `h`) sits in the table of
 * suspect patterns: the slot holding it, or the free slot where it belongs (index word 0).
 */
function findPattern(points: Int32Array, h: number, k: number, table: Int32Array, ids: Int32Array): number {
  const mask = table.length - 2;
  let at = (h << 1) & mask;
  for (let entry = table[at + 1]!; entry !== 0; entry = table[at + 1]!) {
    if (table[at] === h) {
      const o = ids[entry - 1]! * 3;
      if (points[o] === points[k] && points[o + 1] === points[k + 1] && points[o + 2] === points[k + 2]) break;
    }
    at = (at + 2) & mask;
  }
  return at;
}

/** Records, for each suspect pattern not yet seen, the first vertex among [from, to) that has it. */
function firstInRange(
  points: Int32Array, hashes: Int32Array, marks: Int32Array, table: Int32Array, ids: Int32Array, firstOf: Int32Array, from: number, to: number,
): void {
  const markMask = marks.length * 32 - 1;
  for (let id = from; id < to; id++) {
    const h = hashes[id]!;
    const bit = h & markMask;
    if ((marks[bit >>> 5]! & (1 << (bit & 31))) === 0) continue;
    const entry = table[findPattern(points, h, id * 3, table, ids) + 1]!;
    if (entry !== 0 && firstOf[entry - 1]! < 0) firstOf[entry - 1] = id;
  }
}

function markHash(marks: Int32Array, h: number): void {
  const bit = h & (marks.length * 32 - 1);
  marks[bit >>> 5]! |= 1 << (bit & 31);
}
