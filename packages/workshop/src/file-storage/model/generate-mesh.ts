/**
 * Closed, consistently oriented meshes for tests, benchmarks and the traffic simulator:
 * nine coordinates per triangle, counter-clockwise seen from outside, so the signed
 * volume is positive. Shared vertices are computed once, so they coincide exactly.
 */

export interface UvSphereOptions {
  radius: number;
  /** Divisions around the axis. Default 32. */
  segments?: number;
  /** Divisions from pole to pole. Default 16. */
  rings?: number;
}

export interface TorusOptions {
  /** Distance from the axis to the centre of the tube. */
  majorRadius: number;
  /** Radius of the tube. */
  minorRadius: number;
  /** Divisions around the axis. Default 64. */
  segments?: number;
  /** Divisions around the tube. Default 32. */
  sides?: number;
}

export interface RingOptions {
  /** Finger size: 17.3 mm is a UK N½ / US 7. Default 17.3. */
  innerDiameter?: number;
  /** Height of the band along the finger. Default 4. */
  bandWidth?: number;
  /** Radial thickness of the metal. Default 1.8. */
  thickness?: number;
  /** Divisions around the finger. Default 128. */
  segments?: number;
  /** Divisions around the band's elliptical cross-section. Default 32. */
  sides?: number;
}

/** A cube from the origin to (size, size, size): 12 triangles. */
export function cubeMesh(size: number): Float64Array {
  const corner = (bits: number): number[] => [bits & 1 ? size : 0, bits & 2 ? size : 0, bits & 4 ? size : 0];
  const points = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7].flatMap(corner));
  // Each face as a quad of corner numbers (bit 0 = x, 1 = y, 2 = z), counter-clockwise from outside.
  const faces = [[0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [2, 6, 7, 3], [0, 4, 6, 2], [1, 3, 7, 5]];
  return trianglesFrom(points, faces.flatMap(([a, b, c, d]) => [a!, b!, c!, a!, c!, d!]));
}

/** A UV sphere centred on the origin: two triangle fans at the poles and quads between. */
export function uvSphereMesh({ radius, segments = 32, rings = 16 }: UvSphereOptions): Float64Array {
  const points: number[] = [0, 0, radius];
  for (let ring = 1; ring < rings; ring++) {
    const polar = (Math.PI * ring) / rings;
    for (let segment = 0; segment < segments; segment++) {
      const azimuth = (2 * Math.PI * segment) / segments;
      points.push(radius * Math.sin(polar) * Math.cos(azimuth), radius * Math.sin(polar) * Math.sin(azimuth), radius * Math.cos(polar));
    }
  }
  points.push(0, 0, -radius);
  const south = points.length / 3 - 1;
  const at = (ring: number, segment: number): number => 1 + (ring - 1) * segments + (segment % segments);
  const indices: number[] = [];
  for (let segment = 0; segment < segments; segment++) {
    indices.push(0, at(1, segment), at(1, segment + 1));
    for (let ring = 1; ring < rings - 1; ring++) {
      const [a, b, c, d] = [at(ring, segment), at(ring + 1, segment), at(ring + 1, segment + 1), at(ring, segment + 1)];
      indices.push(a, b, c, a, c, d);
    }
    indices.push(at(rings - 1, segment), south, at(rings - 1, segment + 1));
  }
  return trianglesFrom(Float64Array.from(points), indices);
}

/** A torus around the z axis: 2 × segments × sides triangles. */
export function torusMesh({ majorRadius, minorRadius, segments = 64, sides = 32 }: TorusOptions): Float64Array {
  return sweptTube(majorRadius, minorRadius, minorRadius, segments, sides);
}

/** A finger ring: a torus whose cross-section is an ellipse, wider along the finger than it is thick. */
export function ringMesh({ innerDiameter = 17.3, bandWidth = 4, thickness = 1.8, segments = 128, sides = 32 }: RingOptions = {}): Float64Array {
  return sweptTube(innerDiameter / 2 + thickness / 2, thickness / 2, bandWidth / 2, segments, sides);
}

/**
 * Sweeps an ellipse (semi-axes `radial` and `axial`) around the z axis at distance `centre`.
 * Its exact polyhedral volume is segments·sin(2π/segments) · centre · (sides/2)·radial·axial·sin(2π/sides).
 */
function sweptTube(centre: number, radial: number, axial: number, segments: number, sides: number): Float64Array {
  const points = new Float64Array(segments * sides * 3);
  for (let segment = 0, k = 0; segment < segments; segment++) {
    const azimuth = (2 * Math.PI * segment) / segments;
    for (let side = 0; side < sides; side++, k += 3) {
      const around = (2 * Math.PI * side) / sides;
      const distance = centre + radial * Math.cos(around);
      points[k] = distance * Math.cos(azimuth);
      points[k + 1] = distance * Math.sin(azimuth);
      points[k + 2] = axial * Math.sin(around);
    }
  }
  const at = (segment: number, side: number): number => (segment % segments) * sides + (side % sides);
  const indices: number[] = [];
  for (let segment = 0; segment < segments; segment++) {
    for (let side = 0; side < sides; side++) {
      const [a, b, c, d] = [at(segment, side), at(segment + 1, side), at(segment + 1, side + 1), at(segment, side + 1)];
      indices.push(a, b, c, a, c, d);
    }
  }
  return trianglesFrom(points, indices);
}

function trianglesFrom(points: Float64Array, indices: readonly number[]): Float64Array {
  const triangles = new Float64Array(indices.length * 3);
  indices.forEach((point, corner) => triangles.set(points.subarray(point * 3, point * 3 + 3), corner * 3));
  return triangles;
}
