import type { MeasureSums, Vector3 } from './measure-mesh.js';

/**
 * Hot loops run in chunks so V8 optimises a function that is called often, not a single long
 * loop. The measure sums are folded chunk by chunk, so both threads must use the same chunks.
 */
export const chunkTriangles = 16_384;

/**
 * Running totals of the binary scan in a typed array: the hot loops then touch no object
 * property after OSR, which V8 would deoptimise them for on each chunk until that property
 * access had been seen. The box comes first: the helper thread hands its box over as the
 * first six.
 */
export const minXAt = 0, minYAt = 1, minZAt = 2, maxXAt = 3, maxYAt = 4, maxZAt = 5, sixfoldVolumeAt = 6, doubledAreaAt = 7, degenerateAt = 8;
export const boxLength = 6;
/** The origin of the tetrahedra (x, y, z). */
export const originAt = 9;

export function newFacetTotals(origin: Vector3): Float64Array {
  return Float64Array.of(Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity, 0, 0, 0, ...origin);
}

/**
 * Widens the box in `totals` by the box of the vertices that come after those it holds, as
 * `boundRange` over them would: a bound is only replaced by a strictly lower (higher) one, so
 * of two equal values (0 and -0) the first stays.
 */
export function widenBox(totals: Float64Array, box: Float64Array): void {
  for (let at = minXAt; at <= minZAt; at++) if (box[at]! < totals[at]!) totals[at] = box[at]!;
  for (let at = maxXAt; at <= maxZAt; at++) if (box[at]! > totals[at]!) totals[at] = box[at]!;
}

export function foldFacetTotals(totals: Float64Array, sums: MeasureSums): void {
  sums.fold(
    [totals[minXAt]!, totals[minYAt]!, totals[minZAt]!],
    [totals[maxXAt]!, totals[maxYAt]!, totals[maxZAt]!],
    totals[sixfoldVolumeAt]!,
    totals[doubledAreaAt]!,
    totals[degenerateAt]!,
  );
}

/**
 * Widens the box in `totals` by vertices [from, to): half a million vertices rather than three
 * million corners, as every corner is one of them.
 */
export function boundRange(points: Float32Array, from: number, to: number, totals: Float64Array): void {
  let minX = totals[minXAt]!, minY = totals[minYAt]!, minZ = totals[minZAt]!, maxX = totals[maxXAt]!, maxY = totals[maxYAt]!, maxZ = totals[maxZAt]!;
  for (let k = from * 3; k < to * 3; k += 3) {
    const x = points[k]!, y = points[k + 1]!, z = points[k + 2]!;
    // Comparisons rather than Math.min/max: no -0/NaN handling needed, measurably faster here.
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    if (z < minZ) minZ = z;
    if (z > maxZ) maxZ = z;
  }
  totals[minXAt] = minX; totals[minYAt] = minY; totals[minZAt] = minZ;
  totals[maxXAt] = maxX; totals[maxYAt] = maxY; totals[maxZAt] = maxZ;
}
