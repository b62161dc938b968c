import type { ScratchArrays } from './scratch-arrays.js';

/**
 * Gives every distinct (x, y, z) bit pattern of a float32 vertex a dense id, in order of
 * first appearance: open addressing with linear probing over a power-of-two table that
 * stays at most half full. Identical floats have identical bits, so this is exact
 * welding; the tolerance pass later merges the few near misses.
 */
export class VertexTable {
  /** x, y, z bit patterns of each vertex, three Int32 per id. */
  readonly points: Int32Array;
  count = 0;
  private table: Int32Array;
  private shift: number;

  constructor(scratch: ScratchArrays, maxVertices: number, expectedVertices: number) {
    // Untouched pages of the worst-case size cost nothing: only `count` vertices are ever written.
    this.points = scratch.int32('vertex-points', maxVertices * 3);
    const bits = Math.max(6, Math.ceil(Math.log2(expectedVertices * 2)));
    this.table = scratch.int32('vertex-table', 2 ** bits, true);
    this.shift = 32 - bits;
  }

  /** The id of the vertex with these bit patterns, adding it if it is new. */
  idOf(x: number, y: number, z: number): number {
    const { table, points } = this;
    const mask = table.length - 1;
    let slot = hashBits(x, y, z) >>> this.shift;
    for (let entry = table[slot]!; entry !== 0; entry = table[slot]!) {
      const r = (entry - 1) * 3;
      if (points[r] === x && points[r + 1] === y && points[r + 2] === z) return entry - 1;
      slot = (slot + 1) & mask;
    }
    const id = this.count++;
    points[id * 3] = x;
    points[id * 3 + 1] = y;
    points[id * 3 + 2] = z;
    table[slot] = id + 1;
    if (this.count * 2 > table.length) this.grow();
    return id;
  }

  private grow(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    this.shift--;
    for (let id = 0; id < this.count; id++) {
      const r = id * 3;
      let slot = hashBits(this.points[r]!, this.points[r + 1]!, this.points[r + 2]!) >>> this.shift;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
  }
}

/** Murmur3-style mixing: float bit patterns share exponents and zero low bits, so weak mixing clusters. */
function hashBits(x: number, y: number, z: number): number {
  let h = Math.imul(x, 0xcc9e2d51);
  h = Math.imul(h ^ (h >>> 15) ^ y, 0x1b873593);
  h = Math.imul(h ^ (h >>> 15) ^ z, 0xcc9e2d51);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
