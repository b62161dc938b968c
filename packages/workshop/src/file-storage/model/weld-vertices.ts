import type { TriangleCoordinates, Vector3 } from './measure-mesh.js';

export interface WeldGrid {
  /** Lowest corner of the bounding box: cell coordinates are counted from here. */
  origin: Vector3;
  /** Two vertices weld when they differ by at most this much on every axis (model units). */
  tolerance: number;
  /** Edge of a hash cell, much larger than `tolerance` so few vertices lie near a cell wall. */
  cellSize: number;
}

export interface WeldedPoints {
  /** The welded vertex of every point. */
  vertexOfPoint: Int32Array;
  /** The first point of each vertex: its coordinates stand for the vertex. */
  firstPoint: Int32Array;
  vertexCount: number;
}

/** Cells are 1024 tolerances wide: a point probes a second cell on an axis only about 1 time in 256. */
const cellsPerTolerance = 1024;
/** At most 2^20 cells per axis keeps cell coordinates small integers whatever the tolerance. */
const maxCellsPerAxis = 2 ** 20;
/** Hot loops run in chunks so V8 optimises a function that is called often, not a single long loop. */
const chunkPoints = 16_384;

/** The grid for a model's bounding box, with the tolerance a fraction of its diagonal. */
export function weldGridFor(min: Vector3, max: Vector3, relativeTolerance: number): WeldGrid {
  const diagonal = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  const tolerance = relativeTolerance * diagonal;
  const extent = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  const cellSize = Math.max(tolerance * cellsPerTolerance, extent / maxCellsPerAxis, Number.MIN_VALUE);
  return { origin: min, tolerance, cellSize };
}

/**
 * Gives every point (three coordinates each) the id of its welded vertex. Points hash by the
 * grid cell they fall in (open addressing, linear probing); a point within `tolerance` of a
 * cell wall also probes the neighbouring cell, so two points 1e-12 apart on either side of a
 * wall still weld. Welding is greedy: each point joins the first earlier vertex within tolerance.
 */
export function weldPoints(points: TriangleCoordinates, grid: WeldGrid, expectedVertices: number): WeldedPoints {
  return new PointWelder(points, grid, expectedVertices).run();
}

class PointWelder {
  private readonly vertexOfPoint: Int32Array;
  private readonly firstPoint: Int32Array;
  /** Slots hold vertex id + 1; 0 is empty. */
  private table: Int32Array;
  private mask: number;
  private vertexCount = 0;
  private readonly inverseCell: number;
  private readonly wallMargin: number;

  constructor(private readonly coordinates: TriangleCoordinates, private readonly grid: WeldGrid, expectedVertices: number) {
    const points = Math.floor(coordinates.length / 3);
    this.vertexOfPoint = new Int32Array(points);
    this.firstPoint = new Int32Array(points);
    this.table = new Int32Array(nextPowerOfTwo(Math.max(64, expectedVertices * 2)));
    this.mask = this.table.length - 1;
    this.inverseCell = 1 / grid.cellSize;
    // Twice the tolerance in cell units, so rounding in the cell arithmetic cannot hide a neighbour.
    this.wallMargin = (2 * grid.tolerance) / grid.cellSize;
  }

  run(): WeldedPoints {
    const points = this.vertexOfPoint.length;
    for (let from = 0; from < points; from += chunkPoints) this.weldRange(from, Math.min(points, from + chunkPoints));
    return { vertexOfPoint: this.vertexOfPoint, firstPoint: this.firstPoint, vertexCount: this.vertexCount };
  }

  private weldRange(from: number, to: number): void {
    const { coordinates, vertexOfPoint, firstPoint, inverseCell, wallMargin } = this;
    const tolerance = this.grid.tolerance;
    const [ox, oy, oz] = this.grid.origin;
    for (let point = from; point < to; point++) {
      const k = point * 3;
      const x = coordinates[k]!, y = coordinates[k + 1]!, z = coordinates[k + 2]!;
      const fx = (x - ox) * inverseCell, fy = (y - oy) * inverseCell, fz = (z - oz) * inverseCell;
      const qx = Math.floor(fx), qy = Math.floor(fy), qz = Math.floor(fz);
      const table = this.table;
      const mask = this.mask;
      let slot = cellHash(qx, qy, qz) & mask;
      let vertex = -1;
      for (let entry = table[slot]!; entry !== 0; entry = table[slot]!) {
        const r = firstPoint[entry - 1]! * 3;
        if (Math.abs(coordinates[r]! - x) <= tolerance && Math.abs(coordinates[r + 1]! - y) <= tolerance && Math.abs(coordinates[r + 2]! - z) <= tolerance) {
          vertex = entry - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (vertex < 0) {
        const rx = fx - qx, ry = fy - qy, rz = fz - qz;
        if (rx < wallMargin || rx > 1 - wallMargin || ry < wallMargin || ry > 1 - wallMargin || rz < wallMargin || rz > 1 - wallMargin) {
          vertex = this.findAcrossWalls(k, qx, qy, qz, rx, ry, rz);
        }
      }
      if (vertex < 0) {
        vertex = this.vertexCount++;
        firstPoint[vertex] = point;
        table[slot] = vertex + 1;
        if (this.vertexCount * 2 > table.length) this.grow();
      }
      vertexOfPoint[point] = vertex;
    }
  }

  /** Probes the up to seven neighbouring cells whose walls lie within tolerance of the point. */
  private findAcrossWalls(k: number, qx: number, qy: number, qz: number, rx: number, ry: number, rz: number): number {
    const m = this.wallMargin;
    const fromX = rx < m ? -1 : 0, toX = rx > 1 - m ? 1 : 0;
    const fromY = ry < m ? -1 : 0, toY = ry > 1 - m ? 1 : 0;
    const fromZ = rz < m ? -1 : 0, toZ = rz > 1 - m ? 1 : 0;
    for (let dx = fromX; dx <= toX; dx++) {
      for (let dy = fromY; dy <= toY; dy++) {
        for (let dz = fromZ; dz <= toZ; dz++) {
          if (dx === 0 && dy === 0 && dz === 0) continue;
          const vertex = this.findInCell(k, qx + dx, qy + dy, qz + dz);
          if (vertex >= 0) return vertex;
        }
      }
    }
    return -1;
  }

  private findInCell(k: number, qx: number, qy: number, qz: number): number {
    const { coordinates, table, mask, firstPoint } = this;
    const tolerance = this.grid.tolerance;
    const x = coordinates[k]!, y = coordinates[k + 1]!, z = coordinates[k + 2]!;
    for (let slot = cellHash(qx, qy, qz) & mask; table[slot] !== 0; slot = (slot + 1) & mask) {
      const vertex = table[slot]! - 1;
      const r = firstPoint[vertex]! * 3;
      if (Math.abs(coordinates[r]! - x) <= tolerance && Math.abs(coordinates[r + 1]! - y) <= tolerance && Math.abs(coordinates[r + 2]! - z) <= tolerance) {
        return vertex;
      }
    }
    return -1;
  }

  private grow(): void {
    const { coordinates, firstPoint, inverseCell } = this;
    const [ox, oy, oz] = this.grid.origin;
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let vertex = 0; vertex < this.vertexCount; vertex++) {
      const r = firstPoint[vertex]! * 3;
      const qx = Math.floor((coordinates[r]! - ox) * inverseCell);
      const qy = Math.floor((coordinates[r + 1]! - oy) * inverseCell);
      const qz = Math.floor((coordinates[r + 2]! - oz) * inverseCell);
      let slot = cellHash(qx, qy, qz) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = vertex + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

function cellHash(qx: number, qy: number, qz: number): number {
  let h = Math.imul(qx, 0x9e3779b1) + Math.imul(qy, 0x85ebca77) + Math.imul(qz, 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}
