import type { TriangleCoordinates } from './measure-mesh.js';

/** A binary STL: 80-byte header, facet count, then 50 bytes per facet (normal, three vertices, 0 attribute bytes). */
export function toBinaryStl(triangles: TriangleCoordinates, header = 'binary STL written by Loupe'): Uint8Array {
  const count = Math.floor(triangles.length / 9);
  const bytes = new Uint8Array(84 + 50 * count);
  bytes.set(new TextEncoder().encode(header).subarray(0, 80));
  const view = new DataView(bytes.buffer);
  view.setUint32(80, count, true);
  const normal = new Float64Array(3);
  for (let t = 0, offset = 84; t < count; t++, offset += 50) {
    facetNormal(triangles, t * 9, normal);
    for (let k = 0; k < 3; k++) view.setFloat32(offset + 4 * k, normal[k]!, true);
    for (let k = 0; k < 9; k++) view.setFloat32(offset + 12 + 4 * k, triangles[t * 9 + k]!, true);
  }
  return bytes;
}

/** An ASCII STL; numbers in the shortest exponent form that reads back to the same double. */
export function toAsciiStl(triangles: TriangleCoordinates, name = 'loupe'): string {
  const count = Math.floor(triangles.length / 9);
  const lines = [`solid ${name}`];
  const normal = new Float64Array(3);
  const format = (values: ArrayLike<number>, from: number): string =>
    `${values[from]!.toExponential()} ${values[from + 1]!.toExponential()} ${values[from + 2]!.toExponential()}`;
  for (let t = 0; t < count; t++) {
    facetNormal(triangles, t * 9, normal);
    lines.push(`  facet normal ${format(normal, 0)}`, '    outer loop');
    for (let corner = 0; corner < 3; corner++) lines.push(`      vertex ${format(triangles, t * 9 + corner * 3)}`);
    lines.push('    endloop', '  endfacet');
  }
  lines.push(`endsolid ${name}`, '');
  return lines.join('\n');
}

/** The unit normal of the facet starting at `k`, or 0,0,0 for a degenerate facet. */
function facetNormal(triangles: TriangleCoordinates, k: number, into: Float64Array): void {
  const e1x = triangles[k + 3]! - triangles[k]!, e1y = triangles[k + 4]! - triangles[k + 1]!, e1z = triangles[k + 5]! - triangles[k + 2]!;
  const e2x = triangles[k + 6]! - triangles[k]!, e2y = triangles[k + 7]! - triangles[k + 1]!, e2z = triangles[k + 8]! - triangles[k + 2]!;
  const nx = e1y * e2z - e1z * e2y, ny = e1z * e2x - e1x * e2z, nz = e1x * e2y - e1y * e2x;
  const length = Math.hypot(nx, ny, nz) || 1;
  into[0] = nx / length;
  into[1] = ny / length;
  into[2] = nz / length;
}
