/** Nine coordinates per triangle: x, y, z of its three vertices, counter-clockwise seen from outside. */
export type TriangleCoordinates = Float32Array | Float64Array;
export type Vector3 = [number, number, number];

export interface MeshMeasure {
  /** Sum of the signed tetrahedra: positive when the facets face outward. */
  signedVolume: number;
  surfaceArea: number;
  min: Vector3;
  max: Vector3;
  /** Facets with zero area: a repeated vertex or three vertices on one line. */
  degenerateTriangles: number;
}

/**
 * A facet is degenerate when the angle between its two edges is below ~1e-10 rad
 * (|e1 × e2|² ≤ 1e-20·|e1|²·|e2|²): that catches repeated and collinear vertices
 * at any scale, without depending on the size of the model.
 */
export const degenerateSineSquared = 1e-20;

/**
 * Running sums of a mesh measured in chunks, in double precision. The tetrahedra meet at
 * `origin` (a vertex of the model) rather than at (0, 0, 0), so a model placed far from
 * the origin does not lose digits to cancellation. The hot loops keep their sums in local
 * variables (V8 keeps those in registers, object fields it boxes) and fold them in here.
 */
export class MeasureSums {
  readonly min: Vector3 = [Infinity, Infinity, Infinity];
  readonly max: Vector3 = [-Infinity, -Infinity, -Infinity];
  sixfoldVolume = 0;
  doubledArea = 0;
  degenerateTriangles = 0;

  constructor(readonly origin: Vector3) {}

  fold(min: Vector3, max: Vector3, sixfoldVolume: number, doubledArea: number, degenerateTriangles: number): void {
    for (let axis = 0; axis < 3; axis++) {
      this.min[axis] = Math.min(this.min[axis]!, min[axis]!);
      this.max[axis] = Math.max(this.max[axis]!, max[axis]!);
    }
    this.sixfoldVolume += sixfoldVolume;
    this.doubledArea += doubledArea;
    this.degenerateTriangles += degenerateTriangles;
  }

  result(): MeshMeasure {
    return {
      signedVolume: this.sixfoldVolume / 6,
      surfaceArea: this.doubledArea / 2,
      min: [...this.min],
      max: [...this.max],
      degenerateTriangles: this.degenerateTriangles,
    };
  }
}

/**
 * Measures triangles held in memory (the ASCII path; the binary path measures while it
 * reads, in scan-binary-stl.ts). `onNonFinite` throws for a NaN or infinite coordinate.
 */
export function measureMesh(coordinates: TriangleCoordinates, onNonFinite: (triangle: number, value: number) => never): MeshMeasure {
  const sums = new MeasureSums([coordinates[0] ?? 0, coordinates[1] ?? 0, coordinates[2] ?? 0]);
  const triangles = Math.floor(coordinates.length / 9);
  for (let from = 0; from < triangles; from += 16_384) {
    const failed = measureRange(coordinates, from, Math.min(triangles, from + 16_384), sums);
    if (failed >= 0) {
      const values = Array.from(coordinates.subarray(failed * 9, failed * 9 + 9));
      onNonFinite(failed, values.find((value) => !Number.isFinite(value)) ?? NaN);
    }
  }
  return sums.result();
}

/** Adds triangles [from, to) to `sums`; returns the index of a triangle with a non-finite coordinate, or -1. */
function measureRange(c: TriangleCoordinates, from: number, to: number, sums: MeasureSums): number {
  const [ox, oy, oz] = sums.origin;
  let minX = Infinity, minY = Infinity, minZ = Infinity, maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
  let sixfoldVolume = 0, doubledArea = 0, degenerate = 0;
  for (let t = from, k = from * 9; t < to; t++, k += 9) {
    const ax = c[k]!, ay = c[k + 1]!, az = c[k + 2]!, bx = c[k + 3]!, by = c[k + 4]!, bz = c[k + 5]!, cx = c[k + 6]!, cy = c[k + 7]!, cz = c[k + 8]!;
    // x - x is 0 for every finite x and NaN for NaN and ±Infinity.
    if ((ax - ax) + (ay - ay) + (az - az) + (bx - bx) + (by - by) + (bz - bz) + (cx - cx) + (cy - cy) + (cz - cz) !== 0) return t;
    minX = Math.min(minX, ax, bx, cx); minY = Math.min(minY, ay, by, cy); minZ = Math.min(minZ, az, bz, cz);
    maxX = Math.max(maxX, ax, bx, cx); maxY = Math.max(maxY, ay, by, cy); maxZ = Math.max(maxZ, az, bz, cz);
    const e1x = bx - ax, e1y = by - ay, e1z = bz - az, e2x = cx - ax, e2y = cy - ay, e2z = cz - az;
    const nx = e1y * e2z - e1z * e2y, ny = e1z * e2x - e1x * e2z, nz = e1x * e2y - e1y * e2x;
    const normalSquared = nx * nx + ny * ny + nz * nz;
    if (normalSquared <= degenerateSineSquared * (e1x * e1x + e1y * e1y + e1z * e1z) * (e2x * e2x + e2y * e2y + e2z * e2z)) degenerate++;
    doubledArea += Math.sqrt(normalSquared);
    sixfoldVolume += (ax - ox) * nx + (ay - oy) * ny + (az - oz) * nz;
  }
  sums.fold([minX, minY, minZ], [maxX, maxY, maxZ], sixfoldVolume, doubledArea, degenerate);
  return -1;
}
