import type { ScratchArrays } from './scratch-arrays.js';

/** Vertices inserted since the last flush stay in a table that stays in the L2 cache (128 KiB). */
const youngBits = 15;
const youngSlots = 2 ** youngBits;
const youngLimit = youngSlots / 2;
/** Cold inserts are sorted into this many runs of neighbouring slots before they are written. */
const flushBuckets = 2 ** 12;

/**
 * Gives every distinct (x, y, z) bit pattern of a float32 vertex a dense id, in order of
 * first appearance. Identical floats have identical bits, so this is exact welding; the
 * tolerance pass later merges the few near misses.
 *
 * A random probe into a table larger than the L2 cache costs ~100 ns, so the table has two
 * generations (open addressing, linear probing, at most half full): recent vertices, which
 * meshes reuse soon, live in a small young table; every 16k vertices they move to the large
 * cold table in bucketed slot order rather than as random writes. A Bloom filter over all
 * vertices answers "certainly new" for most new vertices without touching the cold table.
 */
export class VertexTable {
  /** x, y, z bit patterns of each vertex, three Int32 per id. */
  readonly points: Int32Array;
  count = 0;
  private youngStart = 0;
  private readonly young: Int32Array;
  private readonly bloom: Int32Array;
  private cold: Int32Array;
  private coldShift: number;
  private readonly scratch: ScratchArrays;

  constructor(scratch: ScratchArrays, maxVertices: number, expectedVertices: number) {
    this.scratch = scratch;
    // Untouched pages of the worst-case size cost nothing: only `count` vertices are ever written.
    this.points = scratch.int32('vertex-points', maxVertices * 3);
    this.young = scratch.int32('vertex-young', youngSlots, true);
    // About four bits per vertex and two probes, 15% false positives: a smaller filter stays in the
    // cache, which costs less than the extra cold-table probes (measured on the 1M-facet benchmark).
    const bloomBits = Math.min(2 ** 23, Math.max(2 ** 10, nextPowerOfTwo(expectedVertices * 4)));
    this.bloom = scratch.int32('vertex-bloom', bloomBits / 32, true);
    const coldBits = Math.ceil(Math.log2(Math.max(expectedVertices, youngLimit) * 2));
    this.cold = scratch.int32('vertex-cold', 2 ** coldBits, true);
    this.coldShift = 32 - coldBits;
  }

  /** The id of the vertex with these bit patterns, adding it if it is new. */
  idOf(x: number, y: number, z: number): number {
    const { young, points, bloom } = this;
    const h = hashBits(x, y, z);
    let slot = h >>> (32 - youngBits);
    for (let entry = young[slot]!; entry !== 0; entry = young[slot]!) {
      const r = (entry - 1) * 3;
      if (points[r] === x && points[r + 1] === y && points[r + 2] === z) return entry - 1;
      slot = (slot + 1) & (youngSlots - 1);
    }
    const bloomMask = bloom.length * 32 - 1;
    const bit1 = h & bloomMask, bit2 = (Math.imul(h, 0x9e3779b1) >>> 7) & bloomMask;
    if (this.youngStart > 0 && (bloom[bit1 >>> 5]! & (1 << bit1)) !== 0 && (bloom[bit2 >>> 5]! & (1 << bit2)) !== 0) {
      const found = this.findCold(x, y, z, h);
      if (found >= 0) return found;
    }
    const id = this.count++;
    points[id * 3] = x;
    points[id * 3 + 1] = y;
    points[id * 3 + 2] = z;
    young[slot] = id + 1;
    bloom[bit1 >>> 5]! |= 1 << bit1;
    bloom[bit2 >>> 5]! |= 1 << bit2;
    if (this.count - this.youngStart >= youngLimit) this.flushYoung();
    return id;
  }

  private findCold(x: number, y: number, z: number, h: number): number {
    const { cold, points } = this;
    const mask = cold.length - 1;
    for (let slot = h >>> this.coldShift; cold[slot] !== 0; slot = (slot + 1) & mask) {
      const r = (cold[slot]! - 1) * 3;
      if (points[r] === x && points[r + 1] === y && points[r + 2] === z) return cold[slot]! - 1;
    }
    return -1;
  }

  /** Moves the young vertices to the cold table, growing it first if it would be over half full. */
  private flushYoung(): void {
    if (this.count * 2 > this.cold.length) {
      const bits = 33 - this.coldShift;
      this.cold = new Int32Array(2 ** bits);
      this.coldShift = 32 - bits;
      this.insertCold(0, this.youngStart);
    }
    this.insertCold(this.youngStart, this.count);
    this.young.fill(0);
    this.youngStart = this.count;
  }

  /** Inserts ids [from, to) into the cold table, bucketed by slot so the writes sweep the table. */
  private insertCold(from: number, to: number): void {
    const { cold, points } = this;
    const mask = cold.length - 1;
    const bucketShift = 32 - Math.log2(flushBuckets);
    const bucketStart = this.scratch.int32('flush-buckets', flushBuckets + 1, true);
    const hashes = this.scratch.int32('flush-hashes', to - from);
    for (let id = from; id < to; id++) {
      const h = hashBits(points[id * 3]!, points[id * 3 + 1]!, points[id * 3 + 2]!);
      hashes[id - from] = h;
      bucketStart[(h >>> bucketShift) + 1]!++;
    }
    for (let b = 0; b < flushBuckets; b++) bucketStart[b + 1]! += bucketStart[b]!;
    const order = this.scratch.int32('flush-order', to - from);
    for (let i = 0; i < to - from; i++) order[bucketStart[hashes[i]! >>> bucketShift]!++] = i;
    for (let k = 0; k < to - from; k++) {
      const i = order[k]!;
      let slot = hashes[i]! >>> this.coldShift;
      while (cold[slot] !== 0) slot = (slot + 1) & mask;
      cold[slot] = from + i + 1;
    }
  }
}

/** Murmur3-style mixing: float bit patterns share exponents and zero low bits, so weak mixing clusters. */
export function hashBits(x: number, y: number, z: number): number {
  let h = Math.imul(x, 0xcc9e2d51);
  h = Math.imul(h ^ (h >>> 15) ^ y, 0x1b873593);
  h = Math.imul(h ^ (h >>> 15) ^ z, 0xcc9e2d51);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}
