// Binary STL analysis (volume, area, bounding box, weld + closed check) in triangles per second,
// with a reused analyser (as the file-storage service runs it) and one-shot, against the
// floor: reading every vertex float out of the same buffer and summing them, on one thread.
// A model this large (≥ `parallelFromTriangles`, 200k facets by default) is analysed on two
// threads: the calling thread copies the second half of the facets to a helper worker and
// scans the first while the helper scans the second, then each counts about half the edges.
// The helper starts with the first large model; the runs below wait until it is ready, as a
// service's analyses do after its first large upload. While the machine's other core is busy,
// large models run on one thread for a while (contention-guard.ts): the line `threads` says how
// many runs had the helper. `--threads 1` keeps every analysis on the calling thread.
import { performance } from 'node:perf_hooks';
import { analyseStl, createModelAnalyser, helperThreadReady, toBinaryStl, torusMesh } from '@loupe/workshop';
import { machineLine } from './baseline.js';

const runs = 15;
const warmUpRuns = 2;
const segments = 1000;
const sides = 500;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** The physical floor: touch every vertex float of every facet once. */
function sumVertexFloats(data: Uint8Array, triangles: number): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let sum = 0;
  for (let t = 0, offset = 96; t < triangles; t++, offset += 50) {
    for (let k = 0; k < 36; k += 4) sum += view.getFloat32(offset + k, true);
  }
  return sum;
}

const oneThread = process.argv.includes('--threads') && process.argv[process.argv.indexOf('--threads') + 1] === '1';
const options = oneThread ? { parallelFromTriangles: Infinity } : {};
const stl = toBinaryStl(torusMesh({ majorRadius: 10, minorRadius: 2, segments, sides }));
const triangles = 2 * segments * sides;
if (!oneThread && !(await helperThreadReady())) console.warn('the helper thread did not start: the analysis runs on one thread');
const analyser = createModelAnalyser(options);
let analysed = analyser.analyse(stl);
if (!analysed.closed || analysed.triangles !== triangles) throw new Error('the benchmark mesh should be a closed torus');
// No gc() between runs: a forced full collection also throws away optimised code, and each run would re-warm.
for (let run = 0; run < warmUpRuns; run++) {
  analyser.analyse(stl);
  analyseStl(stl, options);
}

const threadCounts: number[] = [];
const reusedTimes: number[] = [];
const oneShotTimes: number[] = [];
const floorTimes: number[] = [];
let checksum = 0;
for (let run = 0; run < runs; run++) {
  reusedTimes.push(timeMs(() => { analysed = analyser.analyse(stl); }));
  threadCounts.push(analyser.lastThreadCount);
  oneShotTimes.push(timeMs(() => { analysed = analyseStl(stl, options); }));
  floorTimes.push(timeMs(() => { checksum += sumVertexFloats(stl, triangles); }));
}

const reusedMs = median(reusedTimes);
const oneShotMs = median(oneShotTimes);
const floorMs = median(floorTimes);
const perSecond = (ms: number): string => `${((triangles / ms) * 1e3 / 1e6).toFixed(1)} M triangles/s`;
const helped = threadCounts.filter((count) => count === 2).length;
const threads = helped === runs ? '2 threads' : helped === 0 ? '1 thread' : `1–2 threads`;
console.log(await machineLine());
console.log(`binary STL, ${triangles.toLocaleString('en')} triangles (${(stl.length / 2 ** 20).toFixed(1)} MiB), median of ${runs} runs after ${warmUpRuns} warm-up runs`);
console.log(`threads: the calling thread and a helper worker in ${helped} of ${runs} runs of the reused analyser${helped < runs ? ', the calling thread alone in the others' : ''}; the floor on 1 thread`);
console.log(`createModelAnalyser().analyse, ${threads}: ${reusedMs.toFixed(1)} ms  ${perSecond(reusedMs)}  (volume ${analysed.volume.toFixed(3)}, closed ${analysed.closed})`);
console.log(`analyseStl (fresh memory), ${threads}:     ${oneShotMs.toFixed(1)} ms  ${perSecond(oneShotMs)}`);
console.log(`floor (sum of vertex floats), 1 thread:   ${floorMs.toFixed(1)} ms  ${perSecond(floorMs)}  (checksum ${checksum.toFixed(0)})`);
console.log(`ratio: the reused analyser takes ${(reusedMs / floorMs).toFixed(1)}× the floor, analyseStl ${(oneShotMs / floorMs).toFixed(1)}×`);
