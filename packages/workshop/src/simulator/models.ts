import { ringMesh, toAsciiStl, toBinaryStl, torusMesh, uvSphereMesh } from '../file-storage/model/index.js';
import type { Product } from '../domain/index.js';
import type { Random } from './random.js';

/** What can be wrong with a customer's file, and what the workshop does about it. */
export type ModelFlaw =
  | 'none'
  /** Cut off mid-upload or mid-export: refused at upload (422 MODEL_TRUNCATED). */
  | 'truncated'
  /** Not an STL at all (a photo, a PDF): refused at upload (422). */
  | 'garbage'
  /** Holes in the surface: accepted, then MES cannot price it (MODEL_REJECTED, PRICING_MODEL_OPEN). */
  | 'open'
  /** Drawn in tenths of a millimetre: 1000× the metal, refused by MES (PRICING_TOO_HEAVY). */
  | 'wrong-units';

export interface SimulatedModel {
  bytes: Uint8Array;
  filename: string;
  flaw: ModelFlaw;
}

function scaled(coordinates: Float64Array, [sx, sy, sz]: [number, number, number], [dx, dy, dz]: [number, number, number] = [0, 0, 0]): Float64Array {
  const out = new Float64Array(coordinates.length);
  for (let i = 0; i < coordinates.length; i += 3) {
    out[i] = coordinates[i]! * sx + dx;
    out[i + 1] = coordinates[i + 1]! * sy + dy;
    out[i + 2] = coordinates[i + 2]! * sz + dz;
  }
  return out;
}

/** A medallion (a flattened sphere) with a bail (a small torus) on top: two closed shells in one file. */
function pendantMesh(random: Random): Float64Array {
  const radius = random.between(7, 12);
  const medallion = scaled(uvSphereMesh({ radius, segments: random.pick([24, 32, 48]), rings: random.pick([12, 16, 24]) }), [1, 1, random.between(0.12, 0.2)]);
  const bail = scaled(torusMesh({ majorRadius: 2, minorRadius: 0.6, segments: 24, sides: 12 }), [1, 1, 1], [0, radius + 2.2, 0]);
  const both = new Float64Array(medallion.length + bail.length);
  both.set(medallion);
  both.set(bail, medallion.length);
  return both;
}

function pieceMesh(random: Random, product: Product): Float64Array {
  if (product === 'pendant') return pendantMesh(random);
  return ringMesh({
    innerDiameter: random.between(15.5, 21),
    bandWidth: random.between(2, 8),
    thickness: random.between(1.2, 2.6),
    segments: random.pick([64, 96, 128, 192, 256]),
    sides: random.pick([16, 24, 32, 48]),
  });
}

/** A customer's model: mostly good pieces in either STL encoding, now and then one of the usual flaws. */
export function simulatedModel(random: Random, product: Product, flawRate: number): SimulatedModel {
  const flaw: ModelFlaw = random.chance(flawRate) ? random.pick(['truncated', 'garbage', 'open', 'wrong-units'] as const) : 'none';
  let mesh = pieceMesh(random, product);
  if (flaw === 'open') mesh = mesh.subarray(0, mesh.length - 9 * random.int(1, 20));
  if (flaw === 'wrong-units') mesh = scaled(mesh, [10, 10, 10]);
  const filename = `${product}-${random.int(1, 9999)}.stl`;
  if (flaw === 'garbage') {
    const bytes = new Uint8Array(random.int(200, 5000)).map(() => random.int(0, 255));
    return { bytes, filename: filename.replace('.stl', '.jpg.stl'), flaw };
  }
  const bytes = random.chance(0.25) ? new TextEncoder().encode(toAsciiStl(mesh, product)) : toBinaryStl(mesh);
  return { bytes: flaw === 'truncated' ? bytes.subarray(0, Math.floor(bytes.length * random.between(0.3, 0.9))) : bytes, filename, flaw };
}
