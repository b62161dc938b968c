import { Worker } from 'node:worker_threads';
import { LoupeError } from '@loupe/schema';
import { removeStagingFiles } from '../../store/duckdb/stage-batch.js';
import type { IngestJob, PreparedIngest } from './prepare-ingest.js';
import type { IngestWorkerData, JobMessage } from './ingest-worker.js';
import { transferList } from './transfer-list.js';

type Reply = { seq: number; prepared: PreparedIngest } | { seq: number; error: { code: string; status: number; message: string } };

interface Pending {
  resolve: (prepared: PreparedIngest) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Jobs failed with the worker: their staging files are removed once it has stopped. */
  orphaned: number[];
  /** Set when a job went unanswered too long and the worker was stopped for it. */
  stalled?: boolean;
}

let pools = 0;
const workerFile = new URL('./ingest-worker.js', import.meta.url);

/** A job's result as the worker sent it: its answer's bytes arrive as a plain Uint8Array. */
function asBuffers(prepared: PreparedIngest): PreparedIngest {
  const bulk = prepared.bulk;
  if (!bulk || Buffer.isBuffer(bulk.items)) return prepared;
  const buffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { ...prepared, bulk: { ...bulk, items: buffer(bulk.items), ...(bulk.filteredItems && { filteredItems: buffer(bulk.filteredItems) }) } };
}

/** A job still unanswered after this long stops its worker: a body of 100 MiB takes a few seconds. */
const DEFAULT_JOB_TIMEOUT_MS = 120_000;

/**
 * Ingest worker threads: each prepares bodies (decode, parse, pipeline, staging; see
 * prepare-ingest.ts) while the request thread serves HTTP and the store writes. A job goes to
 * the worker with the fewest jobs in hand. A worker that dies, or does not answer a job in
 * time, fails its jobs with a 503 (nothing of them was stored, so the sender retries), their
 * half-written staging files are removed, and it is replaced on the next job.
 */
export class IngestWorkers {
  private readonly slots: Array<Slot | undefined>;
  /** Tells this pool's staging files from another's in the same process. */
  readonly id = `p${++pools}`;
  private seq = 0;
  private closed = false;

  constructor(
    size: number,
    private readonly data: IngestWorkerData,
    private readonly jobTimeoutMs = DEFAULT_JOB_TIMEOUT_MS,
  ) {
    this.slots = new Array(Math.max(1, size)).fill(undefined);
  }

  prepare(job: IngestJob): Promise<PreparedIngest> {
    if (this.closed) return Promise.reject(new LoupeError('INGEST_WORKER_FAILED', 'The platform is shutting down', 503));
    const slot = this.pick();
    const seq = ++this.seq;
    return new Promise<PreparedIngest>((resolve, reject) => {
      const timer = setTimeout(() => {
        slot.stalled = true;
        void slot.worker.terminate();
      }, this.jobTimeoutMs).unref();
      slot.pending.set(seq, { resolve, reject, timer });
      slot.worker.postMessage({ seq, job, stagingTag: this.stagingTag(seq) } satisfies JobMessage, transferList(job.body));
    });
  }

  /** What job `seq`'s staging files are named with (see `stagingFilePrefix`). */
  stagingTag(seq: number): string {
    return `${this.id}j${seq}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot?.worker.terminate()));
  }

  private pick(): Slot {
    let best = 0;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (!slot) return (this.slots[i] = this.start(i));
      if (slot.pending.size < this.slots[best]!.pending.size) best = i;
    }
    return this.slots[best]!;
  }

  private start(position: number): Slot {
    const worker = new Worker(workerFile, { workerData: this.data });
    const slot: Slot = { worker, pending: new Map(), orphaned: [] };
    worker.on('message', (reply: Reply) => {
      const pending = slot.pending.get(reply.seq);
      if (!pending) return;
      slot.pending.delete(reply.seq);
      clearTimeout(pending.timer);
      if ('prepared' in reply) pending.resolve(asBuffers(reply.prepared));
      else pending.reject(new LoupeError(reply.error.code, reply.error.message, reply.error.status));
    });
    const fail = (cause: string) => {
      const reason = slot.stalled ? `no answer within ${this.jobTimeoutMs / 1000} s` : cause;
      if (this.slots[position] === slot) this.slots[position] = undefined;
      for (const [seq, pending] of slot.pending) {
        clearTimeout(pending.timer);
        slot.orphaned.push(seq);
        pending.reject(new LoupeError('INGEST_WORKER_FAILED', `An ingest worker stopped (${reason}); nothing of this body was stored, send it again`, 503));
      }
      slot.pending.clear();
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => {
      fail(`exit code ${code}`);
      // The thread is gone, so nothing writes these any more; a job's files never reach the store's writer without its answer.
      for (const seq of slot.orphaned) removeStagingFiles(this.data.stagingDir, this.stagingTag(seq));
      slot.orphaned.length = 0;
    });
    return slot;
  }
}
