import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseStl, createModelAnalyser, type ModelAnalysis } from './analyse-stl.js';
import { cubeMesh, ringMesh, torusMesh, uvSphereMesh } from './generate-mesh.js';
import { toAsciiStl, toBinaryStl } from './write-stl.js';

const encodings = {
  binary: (triangles: Float64Array) => toBinaryStl(triangles),
  ascii: (triangles: Float64Array) => new TextEncoder().encode(toAsciiStl(triangles)),
};
/** Binary rounds coordinates to float32; ASCII keeps every digit of a double. */
const relativeTolerance = { binary: 1e-6, ascii: 1e-12 };

function assertClose(actual: number, expected: number, relative: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${what}: ${actual} is not within ${relative} of ${expected}`);
}

function assertBox(analysis: ModelAnalysis, min: number[], max: number[], absolute: number): void {
  for (let axis = 0; axis < 3; axis++) {
    assert.ok(Math.abs(analysis.boundingBox.min[axis]! - min[axis]!) <= absolute, `min[${axis}] = ${analysis.boundingBox.min[axis]}`);
    assert.ok(Math.abs(analysis.boundingBox.max[axis]! - max[axis]!) <= absolute, `max[${axis}] = ${analysis.boundingBox.max[axis]}`);
    assert.ok(Math.abs(analysis.boundingBox.size[axis]! - (max[axis]! - min[axis]!)) <= 2 * absolute);
  }
}

/** Volume of a regular polygon with `sides` corners on a circle (or ellipse, semi-axes a and b). */
const polygonArea = (sides: number, a: number, b = a): number => (sides / 2) * a * b * Math.sin((2 * Math.PI) / sides);
/** Exact volume of a tube swept in `segments` straight steps around the axis (see generate-mesh.ts). */
const sweptVolume = (segments: number, centre: number, crossSection: number): number => segments * Math.sin((2 * Math.PI) / segments) * centre * crossSection;

/** Exact volume of the UV-sphere polyhedron: a stack of frusta of regular polygons. */
function uvSphereVolume(radius: number, segments: number, rings: number): number {
  let volume = 0;
  for (let ring = 0; ring < rings; ring++) {
    const [top, bottom] = [(Math.PI * ring) / rings, (Math.PI * (ring + 1)) / rings];
    const [a1, a2] = [polygonArea(segments, radius * Math.sin(top)), polygonArea(segments, radius * Math.sin(bottom))];
    const height = radius * (Math.cos(top) - Math.cos(bottom));
    volume += (height / 3) * (a1 + a2 + Math.sqrt(a1 * a2));
  }
  return volume;
}

for (const [encoding, encode] of Object.entries(encodings) as [keyof typeof encodings, (t: Float64Array) => Uint8Array][]) {
  const tolerance = relativeTolerance[encoding];

  test(`a ${encoding} cube of side 2 has volume 8, area 24, a 2×2×2 box and is closed`, () => {
    const analysis = analyseStl(encode(cubeMesh(2)));
    assert.equal(analysis.encoding, encoding);
    assert.equal(analysis.triangles, 12);
    assert.equal(analysis.volume, 8);
    assert.equal(analysis.surfaceArea, 24);
    assert.deepEqual(analysis.boundingBox, { min: [0, 0, 0], max: [2, 2, 2], size: [2, 2, 2] });
    assert.equal(analysis.closed, true);
    assert.deepEqual(analysis.warnings, []);
  });

  test(`a ${encoding} UV sphere has the volume of its polyhedron, within 1% of 4/3·π·r³`, () => {
    const analysis = analyseStl(encode(uvSphereMesh({ radius: 3, segments: 48, rings: 24 })));
    assertClose(analysis.volume, uvSphereVolume(3, 48, 24), tolerance, 'polyhedron volume');
    assertClose(analysis.volume, (4 / 3) * Math.PI * 27, 0.01, 'sphere volume');
    assertBox(analysis, [-3, -3, -3], [3, 3, 3], 1e-5);
    assert.equal(analysis.closed, true);
  });

  test(`a ${encoding} torus has the volume of its polyhedron, within 1% of 2π²Rr²`, () => {
    const analysis = analyseStl(encode(torusMesh({ majorRadius: 10, minorRadius: 2, segments: 64, sides: 32 })));
    assertClose(analysis.volume, sweptVolume(64, 10, polygonArea(32, 2)), tolerance, 'polyhedron volume');
    assertClose(analysis.volume, 2 * Math.PI ** 2 * 10 * 4, 0.01, 'torus volume');
    assertBox(analysis, [-12, -12, -2], [12, 12, 2], 1e-5);
    assert.equal(analysis.closed, true);
    assert.equal(analysis.triangles, 2 * 64 * 32);
  });

  test(`a ${encoding} ring has the volume of its polyhedron and the finger size inside`, () => {
    const analysis = analyseStl(encode(ringMesh({ innerDiameter: 17.3, bandWidth: 4, thickness: 1.8, segments: 128, sides: 32 })));
    assertClose(analysis.volume, sweptVolume(128, 17.3 / 2 + 0.9, polygonArea(32, 0.9, 2)), tolerance, 'polyhedron volume');
    assertBox(analysis, [-(17.3 / 2 + 1.8), -(17.3 / 2 + 1.8), -2], [17.3 / 2 + 1.8, 17.3 / 2 + 1.8, 2], 1e-5);
    assert.equal(analysis.closed, true);
  });

  test(`a ${encoding} cube with one face removed is not closed and says where the holes are`, () => {
    const analysis = analyseStl(encode(cubeMesh(1).subarray(0, 10 * 9)));
    assert.equal(analysis.closed, false);
    assert.equal(analysis.triangles, 10);
    assert.ok(analysis.warnings.includes('4 edge(s) belong to only one facet: the surface has holes.'), analysis.warnings.join('\n'));
  });
}

test('a cube with every facet reversed reports a positive volume and warns that it faces inward', () => {
  const cube = cubeMesh(1);
  for (let t = 0; t < 12; t++) {
    const b = cube.slice(t * 9 + 3, t * 9 + 6);
    cube.copyWithin(t * 9 + 3, t * 9 + 6, t * 9 + 9);
    cube.set(b, t * 9 + 6);
  }
  const analysis = analyseStl(toBinaryStl(cube));
  assert.equal(analysis.volume, 1);
  assert.equal(analysis.closed, true);
  assert.match(analysis.warnings.join('\n'), /face inward/);
});

test('two cubes sharing an edge make that edge non-manifold', () => {
  const second = cubeMesh(1).map((value, index) => (index % 3 === 2 ? value : value + 1));
  const analysis = analyseStl(toBinaryStl(Float64Array.of(...cubeMesh(1), ...second)));
  assert.equal(analysis.volume, 2);
  assert.equal(analysis.closed, false);
  assert.match(analysis.warnings.join('\n'), /1 edge\(s\) are shared by more than two facets/);
});

test('a binary file with bytes after the last facet is read, with a warning', () => {
  const stl = toBinaryStl(cubeMesh(1));
  const padded = new Uint8Array(stl.length + 3);
  padded.set(stl);
  const analysis = analyseStl(padded);
  assert.equal(analysis.volume, 1);
  assert.deepEqual(analysis.warnings, ['3 trailing byte(s) after the last facet were ignored.']);
});

test('a binary file whose header starts with "solid" is still read as binary', () => {
  const analysis = analyseStl(toBinaryStl(cubeMesh(1), 'solid cube exported by a CAD tool'));
  assert.equal(analysis.encoding, 'binary');
  assert.equal(analysis.volume, 1);
});

test('a binary file that declares 0 facets but holds some is read, with a warning', () => {
  const stl = toBinaryStl(cubeMesh(1));
  new DataView(stl.buffer).setUint32(80, 0, true);
  const analysis = analyseStl(stl);
  assert.equal(analysis.triangles, 12);
  assert.match(analysis.warnings.join('\n'), /declares 0 facets but the file holds 12/);
});

test('one analyser gives the same answers model after model while it reuses its memory', () => {
  const analyser = createModelAnalyser();
  const torus = toBinaryStl(torusMesh({ majorRadius: 5, minorRadius: 1, segments: 200, sides: 100 }));
  const cube = toBinaryStl(cubeMesh(3));
  const first = analyser.analyse(torus);
  assert.equal(analyser.analyse(cube).volume, 27);
  assert.deepEqual(analyser.analyse(torus), first);
  assert.deepEqual(first, analyseStl(torus));
});

test('a torus large enough for its vertices to leave the weld table\'s recent window is closed', () => {
  // 2 × 400 × 200 = 160k facets, 80k vertices: the recent window holds at most 16k; the last row meets the first again.
  const analysis = analyseStl(toBinaryStl(torusMesh({ majorRadius: 10, minorRadius: 2, segments: 400, sides: 200 })));
  assert.equal(analysis.closed, true);
  assert.deepEqual(analysis.warnings, []);
});

test('facets in random order weld as well as facets in strips', () => {
  // 80k vertices: more than the recent window, so most vertices are added again and merged as duplicates.
  const torus = torusMesh({ majorRadius: 10, minorRadius: 2, segments: 400, sides: 200 });
  const triangles = torus.length / 9;
  const order = Array.from({ length: triangles }, (_, t) => t);
  let seed = 7;
  for (let i = triangles - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const shuffled = new Float64Array(torus.length);
  order.forEach((from, to) => shuffled.set(torus.subarray(from * 9, from * 9 + 9), to * 9));
  const analysis = analyseStl(toBinaryStl(shuffled));
  assert.equal(analysis.closed, true);
  assertClose(analysis.volume, analyseStl(toBinaryStl(torus)).volume, 1e-9, 'volume');
});

test('a soup of 40,000 unconnected facets, three times more vertices than a mesh has, is counted right', () => {
  const facets = 40_000;
  const soup = new Float64Array(facets * 9);
  for (let t = 0; t < facets; t++) soup.set([t, 0, 0, t + 0.5, 1, 0, t, 0, 1], t * 9);
  const analysis = analyseStl(toBinaryStl(soup));
  assert.equal(analysis.closed, false);
  assert.ok(analysis.warnings.includes(`${facets * 3} edge(s) belong to only one facet: the surface has holes.`), analysis.warnings.join('\n'));
});

test('a crowd of vertices within the tolerance of one point, in a large model, welds into one', () => {
  // A 100-unit cube (tolerance 1e-9 × 173 ≈ 1.7e-7) and, at its corner, 1,000 facets within 1e-10 of it.
  const facets = 1000;
  const crowd = new Float64Array(facets * 9);
  for (let t = 0; t < facets; t++) crowd.set([0, 0, 0, 1e-13 * t, 1e-10, 0, 0, 1e-13 * t, 1e-10], t * 9);
  const analysis = analyseStl(toBinaryStl(Float64Array.of(...cubeMesh(100), ...crowd)));
  assert.equal(analysis.volume, 1e6);
  assert.match(analysis.warnings.join('\n'), /1000 facet\(s\) collapse when vertices are welded/);
});

test('an analyser refuses a facet limit beyond what the closed check can number', () => {
  assert.throws(() => createModelAnalyser({ maxTriangles: 40_000_000 }), /maxTriangles must be at most 31635421/);
  assert.equal(createModelAnalyser({ maxTriangles: 31_635_421 }).analyse(toBinaryStl(cubeMesh(1))).closed, true);
});

test('an edge shared by two cubes far apart in the file, with 80k vertices between them, is non-manifold', () => {
  // The second cube comes long after the first left the weld table's recent window.
  const torus = torusMesh({ majorRadius: 10, minorRadius: 2, segments: 400, sides: 200 });
  const second = cubeMesh(1).map((value, index) => (index % 3 === 2 ? value : value + 1));
  const first = cubeMesh(1);
  const facets = new Float64Array(first.length + torus.length + second.length);
  facets.set(first);
  facets.set(torus, first.length);
  facets.set(second, first.length + torus.length);
  const analysis = analyseStl(toBinaryStl(facets));
  assert.equal(analysis.closed, false);
  assert.match(analysis.warnings.join('\n'), /1 edge\(s\) are shared by more than two facets/);
});
