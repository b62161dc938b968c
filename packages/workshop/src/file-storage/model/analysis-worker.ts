/**
 * The helper thread's entry point (started by helper-thread.ts): runs one job at a time,
 * as messages arrive, and reports through the job's control words.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanFacets, weldRange } from './binary-facets.js';
import { slotsPerVertex } from './check-edges.js';
import { EdgeHalf } from './edge-halves.js';
import { boxLength, chunkTriangles, newFacetTotals } from './facet-totals.js';
import {
  abortAt, collapsedAt, copiedFacetsAt, done, failed, failedFacetAt, helperHandedOverAt, mainHandedOverAt, nonManifoldEdgesAt, openEdgesAt,
  mainVerticesAt, progressAt, signalsAt, statusAt, vertexCountAt, type EdgesJob, type HelperJob, type ScanJob,
} from './helper-protocol.js';
import { recentTableLength, VertexTable } from './vertex-table.js';

/** How long to sleep at most before looking at the abort word again. */
const waitSliceMs = 1000;
/** The weld's recent-vertex table, and the closed check's slots: this thread's own, kept from one model to the next. */
const recent = new Int32Array(recentTableLength);
let slots = new Int32Array(0);

parentPort!.on('message', (job: HelperJob) => {
  let status = done;
  try {
    if (job.kind === 'scan') scan(job);
    else countEdges(job);
  } catch {
    // The analysing thread then does the job itself, and meets (and throws) the same error.
    status = failed;
  }
  Atomics.store(job.control, statusAt, status);
  signal(job.control);
});
Atomics.store((workerData as { ready: Int32Array }).ready, 0, 1);
parentPort!.postMessage('ready');

/**
 * Measures, welds and bounds the helper's facets as the analysing thread copies them in. First
 * welds the lead facets, the last chunk before its share, without measuring them: its weld
 * window then holds the vertices where its share begins, as the analysing thread's would, and
 * they come out as the analysing thread's vertices rather than as copies of them. Stops at a
 * chunk with a non-finite coordinate, which the analysing thread reports. Then joins its table
 * to the analysing thread's, in its own cache where that data still is.
 */
function scan(job: ScanJob): void {
  const { control, bytes, lead, facets, origin, vertexOfCorner, leadFirstCorner, points, hashes, base, firstIdOfChunk, partials, box } = job;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  recent.fill(0);
  const vertices = new VertexTable(points.subarray(base * 3), hashes.subarray(base), recent);
  if (lead > 0) {
    if (copiedAtLeast(control, lead) < 0) return;
    const leadCorners = new Int32Array(lead * 3);
    weldRange(view, 0, lead, vertices, leadCorners);
    leadFirstCorner.fill(-1, 0, vertices.count);
    for (let corner = 0; corner < leadCorners.length; corner++) {
      const vertex = leadCorners[corner]!;
      if (leadFirstCorner[vertex]! < 0) leadFirstCorner[vertex] = corner;
    }
  }
  const leadVertices = vertices.count;
  const totals = newFacetTotals(origin);
  for (let scanned = lead, end = lead + facets; scanned < end;) {
    // One chunk at a time, to hear of an abort soon.
    const copied = copiedAtLeast(control, scanned + 1);
    if (copied < 0) return;
    const chunk = (scanned - lead) / chunkTriangles;
    const to = Math.min(copied, scanned + chunkTriangles);
    const failedFacet = scanFacets(view, scanned, to, vertices, vertexOfCorner, totals, firstIdOfChunk.subarray(chunk), partials.subarray(chunk * 3));
    if (failedFacet >= 0) {
      control[failedFacetAt] = failedFacet - lead;
      return;
    }
    scanned = to;
    Atomics.store(control, progressAt, scanned);
  }
  box.set(totals.subarray(0, boxLength));
  const mainVertices = waitForMainVertices(control);
  if (mainVertices >= 0) join(job, leadVertices, vertices.count, mainVertices);
}

/** Joins the helper's table of `count` vertices to the analysing thread's `mainVertices` (see `ScanJob`). */
function join({ control, lead, facets, vertexOfCorner, leadFirstCorner, points, hashes, base, firstIdOfChunk }: ScanJob, leadVertices: number, count: number, mainVertices: number): void {
  const leadIds = new Int32Array(leadVertices);
  for (let vertex = 0; vertex < leadVertices; vertex++) leadIds[vertex] = vertexOfCorner[leadFirstCorner[vertex]!]!;
  const offset = mainVertices - leadVertices;
  for (let from = lead * 3, end = (lead + facets) * 3; from < end; from += chunkTriangles) renumber(vertexOfCorner, from, Math.min(end, from + chunkTriangles), leadIds, offset);
  points.copyWithin(mainVertices * 3, (base + leadVertices) * 3, (base + count) * 3);
  hashes.copyWithin(mainVertices, base + leadVertices, base + count);
  for (let k = 0; k < firstIdOfChunk.length; k++) firstIdOfChunk[k]! += offset;
  control[vertexCountAt] = count - leadVertices;
}

/** Moves corners [from, to) from the helper's ids to the joined table's: its lead vertices are the analysing thread's, the others follow them. */
function renumber(vertexOfCorner: Int32Array, from: number, to: number, leadIds: Int32Array, offset: number): void {
  const leadVertices = leadIds.length;
  for (let corner = from; corner < to; corner++) {
    const vertex = vertexOfCorner[corner]!;
    vertexOfCorner[corner] = vertex < leadVertices ? leadIds[vertex]! : vertex + offset;
  }
}

/** Waits for the analysing thread's vertex count, or -1 if the job was aborted. */
function waitForMainVertices(control: Int32Array): number {
  for (;;) {
    if (Atomics.load(control, abortAt) !== 0) return -1;
    const count = Atomics.load(control, mainVerticesAt);
    if (count >= 0) return count;
    Atomics.wait(control, mainVerticesAt, count, waitSliceMs);
  }
}

/** Waits until at least `facets` facets are copied: how many are, or -1 if the job was aborted. */
function copiedAtLeast(control: Int32Array, facets: number): number {
  for (;;) {
    if (Atomics.load(control, abortAt) !== 0) return -1;
    const copied = Atomics.load(control, copiedFacetsAt);
    if (copied >= facets) return copied;
    Atomics.wait(control, copiedFacetsAt, copied, waitSliceMs);
  }
}

/** Counts the helper's half of the edges: its facets, then the edges the analysing thread hands over. */
function countEdges({ control, vertexOfCorner, vertexCount, fromFacet, toFacet, lowFrom, lowTo, fromHelper, toHelper }: EdgesJob): void {
  const slotCount = (lowTo - lowFrom) * slotsPerVertex;
  if (slots.length < slotCount) slots = new Int32Array(slotCount);
  const half = new EdgeHalf(slots, lowFrom, lowTo, vertexCount, fromHelper);
  half.countFacets(vertexOfCorner, fromFacet, toFacet, (facets) => Atomics.store(control, progressAt, facets));
  Atomics.store(control, helperHandedOverAt, half.handedOverCount);
  signal(control);
  let handed = Atomics.load(control, mainHandedOverAt);
  while (handed < 0) {
    if (Atomics.load(control, abortAt) !== 0) return;
    Atomics.wait(control, mainHandedOverAt, handed, waitSliceMs);
    handed = Atomics.load(control, mainHandedOverAt);
  }
  half.countHandedOver(toHelper, handed);
  const report = half.finish();
  control[openEdgesAt] = report.openEdges;
  control[nonManifoldEdgesAt] = report.nonManifoldEdges;
  control[collapsedAt] = report.collapsedTriangles;
}

/** Wakes the analysing thread, which waits for any change in `Atomics.wait` on the signal count. */
function signal(control: Int32Array): void {
  Atomics.add(control, signalsAt, 1);
  Atomics.notify(control, signalsAt);
}
