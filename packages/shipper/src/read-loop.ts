import type { Logger } from '@loupe/log';
import { BulkBatch } from './bulk-batch.js';
import type { ShipperConfig } from './config.js';
import type { Registry } from './registry.js';
import type { Sender } from './sender.js';
import type { FileTailer } from './file-tailer.js';
import type { TailedFiles } from './tailed-files.js';

/** Bytes read from a file at a time: big reads, split on newline bytes without decoding. */
const CHUNK_BYTES = 4 * 1024 * 1024;
const MIN_READ_BYTES = 65_536;
/** A file's first read, which finds out how much its lines grow in a batch, and the smallest read after it. */
const MIN_GROWN_READ_BYTES = 1024;
/** While reading waits for room it is woken when room frees up; this is only the longest nap. */
const PAUSED_RECHECK_MS = 250;

/**
 * The one loop that reads: scans the globs, reads every open file a chunk at a time into
 * the current batch, seals the batch by size or age, and pauses while the sender has no
 * room. A batch is handed over only after the registry decisions its events depend on are
 * on disk.
 */
export class ReadLoop {
  /** True while reading waits for room in flight or in the disk buffer. */
  paused = false;
  private batch: BulkBatch;
  private readonly scratch: Buffer;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private lastScan = 0;
  private pausedByFullBuffer = false;
  /**
   * Per file, the batch bytes its last read made per byte read: JSON lines barely grow, but a
   * short plain-text line becomes a JSON document with an action line, up to ~100 times its
   * size, so its reads are cut to match and batches stay near their size.
   */
  private readonly growth = new WeakMap<FileTailer, number>();

  constructor(
    private readonly config: ShipperConfig,
    private readonly files: TailedFiles,
    private readonly registry: Registry,
    private readonly sender: Sender,
    private readonly log: Logger,
  ) {
    this.batch = this.newBatch();
    this.scratch = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, 2 * config.maxLineBytes + 65_536));
    sender.onRoom = () => {
      if (this.paused) this.wake?.();
    };
  }

  start(): void {
    this.running = this.run().catch((error: unknown) => {
      this.log.fatal(`The shipper's read loop stopped: ${(error as Error).message}`, { 'error.type': (error as Error).name, 'error.stack_trace': (error as Error).stack });
      throw error;
    });
  }

  /** Stops reading after one last round (lines written just before a shutdown go out now) and hands over the current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running.catch(() => undefined);
    await this.readRound(Date.now());
    await this.seal();
  }

  private newBatch(): BulkBatch {
    // Room for the action lines too (they can double a body of short lines); untouched pages cost nothing.
    return new BulkBatch(2 * this.config.batchMaxBytes + this.config.maxLineBytes + 65_536);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const now = Date.now();
      if (now - this.lastScan >= this.config.scanMs) {
        this.files.scan();
        this.files.sweep();
        this.lastScan = now;
      }
      const bytes = await this.readRound(now);
      // A batch goes when it is old enough, or at once when every file is read and nothing is on its way:
      // waiting longer would add latency and no events.
      if (this.batch.firstAt !== undefined && (Date.now() - this.batch.firstAt >= this.config.batchWaitMs || (bytes === 0 && this.sender.idle))) await this.seal();
      this.notePause();
      if (this.paused) await this.sleep(PAUSED_RECHECK_MS);
      else if (bytes === 0) await this.sleep(this.config.pollMs);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** One chunk from every file that has new bytes; returns the bytes read. */
  private async readRound(now: number): Promise<number> {
    let total = 0;
    for (const tailer of this.files.tailers) {
      if (tailer.closed || tailer.finishing) continue;
      if (!this.sender.canAccept()) break;
      if (tailer.check() === 'truncated') this.files.truncated(tailer, this.batch);
      // Reads no more than the batch has room for, so batches stay near their size.
      const growth = this.growth.get(tailer);
      const wanted = growth === undefined ? MIN_GROWN_READ_BYTES : Math.max(MIN_READ_BYTES, this.config.batchMaxBytes - this.batch.length) / growth;
      const room = Math.min(this.scratch.length, Math.max(MIN_GROWN_READ_BYTES, Math.floor(wanted)));
      const before = this.batch.length;
      const bytes = tailer.read(this.scratch, this.batch, room);
      if (bytes > 0) this.growth.set(tailer, Math.max(1, (this.batch.length - before) / bytes));
      total += bytes;
      if (bytes === 0) tailer.idle(this.batch, now);
      if (this.batch.length >= this.config.batchMaxBytes) await this.seal();
    }
    return total;
  }

  private async seal(): Promise<void> {
    if (this.batch.firstAt === undefined) return;
    const sealed = this.batch.seal();
    this.batch = this.newBatch();
    await this.registry.decisionsDurable();
    this.sender.submit(sealed);
  }

  private notePause(): void {
    this.paused = !this.sender.canAccept();
    const full = this.paused && this.sender.bufferFull;
    if (full && !this.pausedByFullBuffer) {
      this.log.warn(`The disk buffer is full (${this.config.bufferMaxBytes} bytes): reading is paused until the platform takes the backlog; nothing is dropped`);
    } else if (!full && this.pausedByFullBuffer) {
      this.log.info('The disk buffer has room again: reading resumes');
    }
    this.pausedByFullBuffer = full;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
