import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseStl } from './analyse-stl.js';
import { cubeMesh } from './generate-mesh.js';
import { weldPoints, type WeldGrid } from './weld-vertices.js';
import { toAsciiStl, toBinaryStl } from './write-stl.js';

const grid: WeldGrid = { origin: [0, 0, 0], tolerance: 1e-9, cellSize: 1 };

test('two points 2e-13 apart on either side of a cell wall weld', () => {
  const points = Float64Array.of(0.9999999999999, 0.5, 0.5, 1.0000000000001, 0.5, 0.5);
  assert.equal(weldPoints(points, grid, 2).vertexCount, 1);
});

test('points on either side of a corner where three cell walls meet weld', () => {
  const below = 1 - 1e-12, above = 1 + 1e-12;
  const points = Float64Array.of(below, below, below, above, above, above, below, above, below);
  const welded = weldPoints(points, grid, 3);
  assert.equal(welded.vertexCount, 1);
  assert.deepEqual(Array.from(welded.vertexOfPoint), [0, 0, 0]);
});

test('points further apart than the tolerance stay apart, even in one cell', () => {
  const points = Float64Array.of(0.5, 0.5, 0.5, 0.5 + 2e-9, 0.5, 0.5, 0.5, 0.5, 0.5);
  assert.deepEqual(Array.from(weldPoints(points, grid, 3).vertexOfPoint), [0, 1, 0]);
});

test('an ASCII cube whose every corner is nudged by up to 1e-12 is still closed', () => {
  const cube = cubeMesh(1).map((value, index) => value + ((index * 7919) % 3 - 1) * 1e-12);
  const analysis = analyseStl(new TextEncoder().encode(toAsciiStl(cube)));
  assert.equal(analysis.closed, true);
  assert.ok(Math.abs(analysis.volume - 1) < 1e-9);
});

test('a binary cube mixing 0, -0 and 1e-12 for the same coordinates is closed: float32 near-misses weld too', () => {
  const cube = cubeMesh(1).map((value, index) => (value === 0 ? [0, -0, 1e-12, -1e-12][index % 4]! : value));
  assert.equal(analyseStl(toBinaryStl(cube)).closed, true);
  assert.equal(analyseStl(toBinaryStl(cube), { weldTolerance: 0 }).closed, false);
});

test('float32 neighbours at the top of the range where they can lie within the tolerance still weld', () => {
  // Tolerance just above 2^-26: 0.25 and the float32 below it (2^-26 apart) may weld; above 0.25 no two may.
  const below = 0.25 - 2 ** -26;
  const cube = cubeMesh(1).map((value, index) => (index % 3 === 0 ? value + 0.25 : value));
  const nudged = cube.map((value, index) => (value === 0.25 && index % 2 === 0 ? below : value));
  const weldTolerance = (1.1 * 2 ** -26) / Math.sqrt(3);
  assert.equal(Math.fround(below), below);
  assert.equal(analyseStl(toBinaryStl(nudged), { weldTolerance }).closed, true);
  assert.equal(analyseStl(toBinaryStl(nudged), { weldTolerance: 0 }).closed, false);
});
