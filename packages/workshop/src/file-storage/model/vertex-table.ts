import type { ScratchArrays } from './scratch-arrays.js';

/** The recent-vertex table: 2^15 slots of four Int32 (x, y, z bits, id + 1), 512 KiB, stays in the L2 cache. */
const recentBits = 15;
const recentSlots = 2 ** recentBits;
const recentSlotMask = recentSlots * 4 - 1;
/** At half full the table is rebuilt with the newest quarter of that: it always holds the last 4k–16k vertices. */
const recentLimit = recentSlots / 2;
const recentKept = recentLimit / 4;
export const recentTableLength = recentSlots * 4;
/** The scratch arrays of a table and of the vertex of each corner. */
export const pointsPurpose = 'vertex-points', hashesPurpose = 'vertex-hashes', cornersPurpose = 'vertex-of-corner';

/**
 * Gives every (x, y, z) bit pattern of a float32 vertex an id, in order of first appearance.
 * Identical floats have identical bits, so this is exact welding; the tolerance pass later
 * merges the few near misses.
 *
 * A random probe into a table larger than the L2 cache costs ~100 ns, so lookups go to a
 * small table of the most recent vertices only, which meshes written in strips or fans reuse
 * soon (open addressing, linear probing, keys stored in the slots). A vertex reused after it
 * left that window is added again; `mergeDuplicateVertices` finds such copies afterwards in
 * one batch, where every memory access is sequential or stays in the cache.
 */
export class VertexTable {
  count = 0;
  private recentCount = 0;
  /** The id after the last one found: where the next vertex found is likely to be. */
  private nextGuess = 0;

  constructor(
    /** x, y, z bit patterns of each vertex, three Int32 per id. */
    readonly points: Int32Array,
    /** `hashBits` of each vertex. */
    readonly hashes: Int32Array,
    /** The recent-vertex table, `recentTableLength` Int32 of zeros. */
    private readonly recent: Int32Array,
  ) {}

  /**
   * A table in `scratch` for up to `maxVertices` vertices; `shared` puts them where the
   * helper thread can use them too (helper-thread.ts).
   */
  static inScratch(scratch: ScratchArrays, maxVertices: number, shared = false): VertexTable {
    // Untouched pages of the worst-case size cost nothing: only `count` vertices are ever written.
    return new VertexTable(
      scratch.int32(pointsPurpose, maxVertices * 3, false, shared),
      scratch.int32(hashesPurpose, maxVertices, false, shared),
      scratch.int32('vertex-recent', recentTableLength, true),
    );
  }

  /** The id of the vertex with these bit patterns, adding it if it is not among the recent ones. */
  idOf(x: number, y: number, z: number): number {
    const { points, recent } = this;
    // A mesh written in rows meets the vertices of the row before in the order it created them.
    const guess = this.nextGuess;
    if (guess < this.count && points[guess * 3] === x && points[guess * 3 + 1] === y && points[guess * 3 + 2] === z) {
      this.nextGuess = guess + 1;
      return guess;
    }
    const h = hashBits(x, y, z);
    let r = (h >>> (32 - recentBits)) << 2;
    for (let entry = recent[r + 3]!; entry !== 0; entry = recent[r + 3]!) {
      if (recent[r] === x && recent[r + 1] === y && recent[r + 2] === z) {
        this.nextGuess = entry;
        return entry - 1;
      }
      r = (r + 4) & recentSlotMask;
    }
    return this.add(x, y, z, h, r);
  }

  /** Adds a vertex at the free recent slot `r`. */
  private add(x: number, y: number, z: number, h: number, r: number): number {
    const { points, recent } = this;
    const id = this.count++;
    points[id * 3] = x;
    points[id * 3 + 1] = y;
    points[id * 3 + 2] = z;
    this.hashes[id] = h;
    recent[r] = x;
    recent[r + 1] = y;
    recent[r + 2] = z;
    recent[r + 3] = id + 1;
    if (++this.recentCount === recentLimit) this.keepNewest();
    return id;
  }

  private keepNewest(): void {
    const { points, hashes, recent } = this;
    recent.fill(0);
    for (let id = this.count - recentKept; id < this.count; id++) {
      let r = (hashes[id]! >>> (32 - recentBits)) << 2;
      while (recent[r + 3] !== 0) r = (r + 4) & recentSlotMask;
      recent[r] = points[id * 3]!;
      recent[r + 1] = points[id * 3 + 1]!;
      recent[r + 2] = points[id * 3 + 2]!;
      recent[r + 3] = id + 1;
    }
    this.recentCount = recentKept;
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
