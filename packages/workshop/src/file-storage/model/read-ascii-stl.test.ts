import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseStl } from './analyse-stl.js';
import { readAsciiStl } from './read-ascii-stl.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const facet = (normal: string, ...vertices: string[]): string =>
  `facet normal ${normal}\n outer loop\n${vertices.map((v) => `  vertex ${v}\n`).join('')} endloop\nendfacet\n`;

test('numbers in every decimal form read back exactly', () => {
  const forms = ['1', '-2.5', '+3.', '.25', '6.5e-03', '7E+2', '-0', '0.1', '123456789012345678', '1.0000000000000002', '4.9e-324', '3.4028234663852886e38'];
  const text = `solid x\n${facet('0 0 0', forms.slice(0, 3).join(' '), forms.slice(3, 6).join(' '), forms.slice(6, 9).join(' '))}${facet('0 0 0', ...[0, 1, 2].map(() => forms.slice(9, 12).join(' ')))}endsolid x\n`;
  const { coordinates } = readAsciiStl(bytes(text), 10);
  assert.deepEqual(Array.from(coordinates.subarray(0, 9)), forms.slice(0, 9).map(Number));
  assert.deepEqual(Array.from(coordinates.subarray(9, 12)), forms.slice(9, 12).map(Number));
});

test('keywords in any case, tabs and CRLF, several solids and a missing name all parse', () => {
  const text = 'SOLID\r\n\tFACET  NORMAL 0 0 1\r\n OUTER\tLOOP\r\n VERTEX 0 0 0\r\nVeRtEx 1 0 0\r\n vertex 0 1 0\r\n ENDLOOP\r\nENDFACET\r\nENDSOLID\r\nsolid second one\n' +
    facet('0 0 -1', '0 0 0', '0 1 0', '1 0 0') + 'endsolid second one';
  const stl = readAsciiStl(bytes(text), 10);
  assert.equal(stl.triangles, 2);
  assert.equal(stl.solids, 2);
  assert.deepEqual(stl.warnings, []);
});

test('a whole file on one line parses', () => {
  const text = `solid flat ${facet('0 0 1', '0 0 0', '1 0 0', '0 1 0').replace(/\n/g, ' ')} endsolid flat`;
  assert.equal(readAsciiStl(bytes(text), 10).triangles, 1);
});

test('a missing endsolid is read with a warning', () => {
  const stl = readAsciiStl(bytes(`solid x\n${facet('0 0 1', '0 0 0', '1 0 0', '0 1 0')}`), 10);
  assert.equal(stl.triangles, 1);
  assert.match(stl.warnings.join('\n'), /no "endsolid"/);
});

test('a "nan" normal, which exporters write for degenerate facets, is accepted: normals are ignored', () => {
  const stl = readAsciiStl(bytes(`solid x\n${facet('nan NaN -inf', '0 0 0', '1 0 0', '0 1 0')}endsolid x\n`), 10);
  assert.equal(stl.triangles, 1);
});

test('a leading UTF-8 byte-order mark is skipped', () => {
  const text = `\uFEFFsolid x\n${facet('0 0 1', '0 0 0', '1 0 0', '0 1 0')}endsolid x\n`;
  assert.equal(analyseStl(bytes(text)).encoding, 'ascii');
});
