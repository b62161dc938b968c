import { Worker } from 'node:worker_threads';
import type { EdgeReport } from './check-edges.js';
import { contentionGuard } from './contention-guard.js';
import {
  abortAt, collapsedAt, copiedFacetsAt, done, failedFacetAt, helperHandedOverAt, mainHandedOverAt, newControl, nonManifoldEdgesAt, openEdgesAt,
  mainVerticesAt, progressAt, running, signalsAt, statusAt, vertexCountAt, type EdgesJob, type HelperJob, type ScanJob,
} from './helper-protocol.js';

/** The analysing thread waits for the helper in slices this long, checking that it still makes progress. */
const waitSliceMs = 1000;
/** A helper whose progress stops for this long is given up on: the analysing thread does the job itself. */
const stallLimitMs = 10_000;

/**
 * A second thread for the analysis of large models, in a worker started on first use and
 * kept for the next models. Analyses are synchronous, so one helper per analysing thread
 * serves every analyser on it and its jobs never overlap. The analysing thread blocks in
 * `Atomics.wait` for the helper's share, so `analyse` stays synchronous.
 *
 * The worker is unref'd: an idle helper never keeps the process alive. Should it fail or stop
 * responding, the analysing thread does the helper's share itself, so the model gets the same
 * answer, or the same model error, as on one thread.
 */
export class HelperThread {
  private readonly ready = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private readonly worker: Worker;
  private stopped = false;

  constructor() {
    this.worker = new Worker(new URL('./analysis-worker.js', import.meta.url), { workerData: { ready: this.ready }, execArgv: workerExecArgv() });
    this.worker.unref();
    this.worker.on('error', () => this.stop());
    this.worker.on('exit', () => this.stop());
  }

  /** Whether the worker has loaded and takes jobs; the analysing thread does not wait for that. */
  get isReady(): boolean {
    return !this.stopped && Atomics.load(this.ready, 0) === 1;
  }

  /** Resolves once the worker takes jobs (true) or has stopped (false), keeping the process alive meanwhile. */
  whenReady(): Promise<boolean> {
    if (this.isReady || this.stopped) return Promise.resolve(this.isReady);
    this.worker.ref();
    return new Promise((resolve) => {
      const settle = (): void => {
        this.worker.off('message', settle).off('exit', settle).unref();
        resolve(this.isReady);
      };
      this.worker.on('message', settle).on('exit', settle);
    });
  }

  /** Scans the helper's share of the facets (see scan-on-two-threads.ts) as the analysing thread copies them in. */
  scan(job: Omit<ScanJob, 'kind' | 'control'>): ScanShare {
    return new ScanShare(this.run({ kind: 'scan', control: newControl(), ...job }));
  }

  /** Counts the helper's half of the edges (see check-edges-on-two-threads.ts). */
  countEdges(job: Omit<EdgesJob, 'kind' | 'control'>): EdgeCount {
    return new EdgeCount(this.run({ kind: 'edges', control: newControl(), ...job }));
  }

  private run(job: HelperJob): RunningJob {
    this.worker.postMessage(job);
    return new RunningJob(this, job.control);
  }

  /** Stops the worker for good; the next large model starts a new one. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (current === this) current = undefined;
    void this.worker.terminate().catch(() => {});
  }
}

class RunningJob {
  constructor(private readonly helper: HelperThread, readonly control: Int32Array) {}

  /** Waits for the job to end; false when it failed or stopped making progress, and the caller must do it. */
  finish(): boolean {
    return this.waitFor(statusAt, running) && Atomics.load(this.control, statusAt) === done;
  }

  /**
   * Waits until the helper has moved control word `word` off `unset`: false if the job ended
   * without (it failed) or stopped making progress (the helper is then stopped for good).
   */
  waitFor(word: number, unset: number): boolean {
    const { control } = this;
    let progress = Atomics.load(control, progressAt);
    let stalledMs = 0;
    for (;;) {
      const signals = Atomics.load(control, signalsAt);
      if (Atomics.load(control, word) !== unset) return true;
      if (Atomics.load(control, statusAt) !== running) return false;
      if (Atomics.wait(control, signalsAt, signals, waitSliceMs) !== 'timed-out') continue;
      const now = Atomics.load(control, progressAt);
      stalledMs = now === progress ? stalledMs + waitSliceMs : 0;
      progress = now;
      if (stalledMs >= stallLimitMs) {
        this.helper.stop();
        return false;
      }
    }
  }

  /** Tells the helper to drop the job (the analysing thread is throwing) and waits until it has. */
  abort(): void {
    Atomics.store(this.control, abortAt, 1);
    for (const word of [copiedFacetsAt, mainVerticesAt, mainHandedOverAt]) Atomics.notify(this.control, word);
    this.finish();
  }
}

/** The analysing thread's side of a scan job. */
export class ScanShare {
  constructor(private readonly job: RunningJob) {}

  /** The first `facets` of the helper's facets are in its buffer. */
  copied(facets: number): void {
    Atomics.store(this.job.control, copiedFacetsAt, facets);
    Atomics.notify(this.job.control, copiedFacetsAt);
  }

  /** The analysing thread has scanned its share, into `vertices` vertices: the helper may join its table on. */
  scanned(vertices: number): void {
    Atomics.store(this.job.control, mainVerticesAt, vertices);
    Atomics.notify(this.job.control, mainVerticesAt);
  }

  /**
   * Waits for the helper: the number of vertices it joined on and its first non-finite facet
   * (-1 if none, and then it joined nothing), or undefined when the caller must scan.
   */
  finish(): { vertexCount: number; failedFacet: number } | undefined {
    if (!this.job.finish()) return undefined;
    const { control } = this.job;
    return { vertexCount: control[vertexCountAt]!, failedFacet: control[failedFacetAt]! };
  }

  abort(): void {
    this.job.abort();
  }
}

/** The analysing thread's side of an edges job. */
export class EdgeCount {
  constructor(private readonly job: RunningJob) {}

  /** Tells the helper that the analysing thread hands it `count` edges, all listed. */
  handOver(count: number): void {
    Atomics.store(this.job.control, mainHandedOverAt, count);
    Atomics.notify(this.job.control, mainHandedOverAt);
  }

  /** Waits for the number of edges the helper hands over; undefined when the caller must count its half. */
  handedOver(): number | undefined {
    return this.job.waitFor(helperHandedOverAt, -1) ? Atomics.load(this.job.control, helperHandedOverAt) : undefined;
  }

  /** The helper's report, or undefined when the caller must count its half. */
  finish(): EdgeReport | undefined {
    if (!this.job.finish()) return undefined;
    const { control } = this.job;
    return { openEdges: control[openEdgesAt]!, nonManifoldEdges: control[nonManifoldEdgesAt]!, collapsedTriangles: control[collapsedAt]! };
  }

  abort(): void {
    this.job.abort();
  }
}

/**
 * The worker inherits the process's flags, unless the main script was given inline
 * (`--input-type=module --eval …`): with those it would not load, and a worker refuses some
 * others (V8's, such as --expose-gc) when they are passed explicitly, so it then gets none.
 */
function workerExecArgv(): string[] | undefined {
  return process.execArgv.some((flag) => /^--(input-type|eval|print)\b|^-[ep]$/.test(flag)) ? [] : undefined;
}

let current: HelperThread | undefined;
/** Set when this runtime cannot start a worker at all. */
let unavailable = false;

/**
 * The helper thread, started on the first call; undefined while it is still loading, cannot
 * run, or sits out while the machine's other core is busy (contention-guard.ts).
 */
export function readyHelperThread(): HelperThread | undefined {
  const helper = helperThread();
  return helper?.isReady && contentionGuard.allows(performance.now()) ? helper : undefined;
}

/**
 * Starts the helper thread if it is not running and resolves once it takes jobs: true, or
 * false if it cannot run. Models analysed before then run on one thread.
 */
export function helperThreadReady(): Promise<boolean> {
  return helperThread()?.whenReady() ?? Promise.resolve(false);
}

function helperThread(): HelperThread | undefined {
  if (current || unavailable) return current;
  try {
    current = new HelperThread();
  } catch {
    unavailable = true;
  }
  return current;
}
