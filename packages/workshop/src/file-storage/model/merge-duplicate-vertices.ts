import type { ScratchArrays } from './scratch-arrays.js';
import type { VertexTable } from './vertex-table.js';

/** Hot loops run in chunks so V8 optimises a function that is called often, not a single long loop. */
const chunk = 16_384;

/** About this many vertices per bucket: a bucket's table (two slots per vertex) fits the L1 cache. */
const verticesPerBucket = 2048;
const maxBucketBits = 12;

/**
 * Finds the vertices the table added twice (reused after they left its recent window) and
 * gives each the id of its first copy, renumbering the corners and compacting the table.
 * Returns how many duplicates were removed. `firstCornerUsing(id)` may tell where the first
 * corner using vertex `id` or a later one can be; corners before it are left alone.
 *
 * The vertices are bucketed by the top bits of their hash (one counting-sort pass), then each
 * bucket is deduplicated with a small hash table: every memory access is sequential or within
 * a table that fits the cache, where probing one large table would miss it on every vertex.
 */
export function mergeDuplicateVertices(
  vertices: VertexTable,
  vertexOfCorner: Int32Array,
  scratch: ScratchArrays,
  firstCornerUsing: (id: number) => number = () => 0,
): number {
  const { count, hashes } = vertices;
  const bucketBits = Math.min(maxBucketBits, Math.max(1, Math.ceil(Math.log2(count / verticesPerBucket))));
  const buckets = 2 ** bucketBits;
  const shift = 32 - bucketBits;
  const bucketStart = scratch.int32('duplicate-bucket-start', buckets + 1, true);
  for (let from = 0; from < count; from += chunk) countBuckets(hashes, from, Math.min(count, from + chunk), shift, bucketStart);
  let largest = 0;
  for (let b = 0; b < buckets; b++) {
    largest = Math.max(largest, bucketStart[b + 1]!);
    bucketStart[b + 1]! += bucketStart[b]!;
  }
  // Ids in bucket order (ascending within a bucket), their hashes beside them.
  const bucketed: Bucketed = { ids: scratch.int32('duplicate-bucketed', count), hashes: scratch.int32('duplicate-bucketed-hashes', count) };
  const next = scratch.int32('duplicate-next', buckets);
  next.set(bucketStart.subarray(0, buckets));
  for (let from = 0; from < count; from += chunk) bucketRange(hashes, from, Math.min(count, from + chunk), shift, next, bucketed);
  // 0: the vertex is the first with its bit pattern; otherwise the first one's id + 1.
  const firstCopy = scratch.int32('duplicate-first-copy', count, true);
  const table = scratch.int32('duplicate-table', 2 ** Math.ceil(Math.log2(largest * 2 + 2)));
  let duplicates = 0;
  for (let b = 0; b < buckets; b++) duplicates += markBucket(vertices.points, bucketed, bucketStart[b]!, bucketStart[b + 1]!, table, firstCopy);
  if (duplicates > 0) renumber(vertices, firstCopy, vertexOfCorner, scratch, firstCornerUsing);
  return duplicates;
}

interface Bucketed {
  ids: Int32Array;
  hashes: Int32Array;
}

/** Counts vertices [from, to) in `bucketStart[bucket + 1]`. */
function countBuckets(hashes: Int32Array, from: number, to: number, shift: number, bucketStart: Int32Array): void {
  for (let id = from; id < to; id++) bucketStart[(hashes[id]! >>> shift) + 1]!++;
}

function bucketRange(hashes: Int32Array, from: number, to: number, shift: number, next: Int32Array, bucketed: Bucketed): void {
  const { ids, hashes: bucketedHashes } = bucketed;
  for (let id = from; id < to; id++) {
    const h = hashes[id]!;
    const at = next[h >>> shift]!++;
    ids[at] = id;
    bucketedHashes[at] = h;
  }
}

/** Marks in `firstCopy` the later copies among bucket entries [from, to); returns how many there were. */
function markBucket(points: Int32Array, { ids, hashes }: Bucketed, from: number, to: number, table: Int32Array, firstCopy: Int32Array): number {
  if (to - from < 2) return 0;
  const mask = 2 ** Math.ceil(Math.log2((to - from) * 2)) - 1;
  table.fill(0, 0, mask + 1);
  let duplicates = 0;
  // Entries come in id order, so the first copy of a pattern is the one in the table.
  for (let i = from; i < to; i++) {
    const h = hashes[i]!;
    const k = ids[i]! * 3;
    let slot = h & mask;
    let entry = table[slot]!;
    for (; entry !== 0; entry = table[slot]!) {
      if (hashes[entry - 1] === h) {
        const o = ids[entry - 1]! * 3;
        if (points[o] === points[k] && points[o + 1] === points[k + 1] && points[o + 2] === points[k + 2]) break;
      }
      slot = (slot + 1) & mask;
    }
    if (entry === 0) {
      table[slot] = i + 1;
    } else {
      firstCopy[ids[i]!] = ids[entry - 1]! + 1;
      duplicates++;
    }
  }
  return duplicates;
}

/**
 * Gives the first copies dense ids in their order, points every corner at them and compacts the
 * table. Ids below the first duplicate keep their number: a mesh that closes on itself repeats
 * its first vertices at its very end, so usually only the last few ids move.
 */
export function renumber(
  vertices: VertexTable,
  firstCopy: Int32Array,
  vertexOfCorner: Int32Array,
  scratch: ScratchArrays,
  firstCornerUsing: (id: number) => number,
): void {
  const { points, hashes, count } = vertices;
  const newId = scratch.int32('duplicate-new-id', count);
  let firstDuplicate = 0;
  while (firstCopy[firstDuplicate] === 0) firstDuplicate++;
  let kept = firstDuplicate;
  for (let id = firstDuplicate; id < count; id++) {
    const first = firstCopy[id]!;
    if (first !== 0) {
      newId[id] = first - 1 < firstDuplicate ? first - 1 : newId[first - 1]!;
      continue;
    }
    // kept ≤ id, so compacting in place never overwrites a vertex still to be read.
    points[kept * 3] = points[id * 3]!;
    points[kept * 3 + 1] = points[id * 3 + 1]!;
    points[kept * 3 + 2] = points[id * 3 + 2]!;
    hashes[kept] = hashes[id]!;
    newId[id] = kept++;
  }
  for (let from = firstCornerUsing(firstDuplicate); from < vertexOfCorner.length; from += chunk) {
    renumberCorners(vertexOfCorner, from, Math.min(vertexOfCorner.length, from + chunk), newId, firstDuplicate);
  }
  vertices.count = kept;
}

function renumberCorners(vertexOfCorner: Int32Array, from: number, to: number, newId: Int32Array, firstMoved: number): void {
  for (let corner = from; corner < to; corner++) {
    const vertex = vertexOfCorner[corner]!;
    if (vertex >= firstMoved) vertexOfCorner[corner] = newId[vertex]!;
  }
}
