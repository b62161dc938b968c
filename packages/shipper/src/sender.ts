import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import type { Logger } from '@loupe/log';
import { backoffDelayMs } from './backoff.js';
import type { BodyEncoding, DiskBuffer, Segment } from './disk-buffer.js';
import type { BulkClient, BulkOutcome } from './post-bulk.js';
import type { ShipperCounters } from './shipper-metrics.js';
import { halvesOf } from './split-body.js';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

/** A batch ready to go: `durable()` moves its files' offsets once it is acknowledged or on disk. */
export interface SealedBatch {
  body: Buffer;
  events: number;
  durable(): void;
}

export interface SenderOptions {
  client: BulkClient;
  buffer: DiskBuffer;
  compression: 'gzip' | 'none';
  maxInFlightBatches: number;
  bufferMaxBytes: number;
  retryMaxMs: number;
  log: Logger;
  counters: ShipperCounters;
}

/** Bodies being written to the disk buffer at once before reading waits. */
const MAX_SPILLING = 2;
/** While the platform is down, a retry is logged at most this often. */
const RETRY_LOG_INTERVAL_MS = 30_000;

/**
 * Delivers sealed batches. While the platform answers, batches go straight from memory, a
 * few at a time. A batch that fails is written to the disk buffer (and its offsets move);
 * from then on new batches go to the buffer too, and one loop sends the buffer oldest
 * first, retrying 429, 5xx and network errors with exponential backoff and jitter, until
 * it is empty. Nothing is dropped: when the buffer is full, `canAccept()` says no and the
 * files wait to be read.
 */
export class Sender {
  reachable = true;
  lastError: string | undefined;
  lastErrorAt: string | undefined;
  private readonly queued: SealedBatch[] = [];
  private inFlight = 0;
  private spilling = 0;
  /** Loops sending the disk buffer, and the segments they are sending. */
  private drainers = 0;
  private readonly sendingSegments = new Set<Segment>();
  private stopped = false;
  private downSince = 0;
  private lastRetryLog = 0;
  /** Wakes the loops waiting out a backoff (at stop). */
  private readonly sleepers = new Set<() => void>();

  /** Called whenever room frees up (a batch delivered or buffered), so reading resumes at once. */
  onRoom: (() => void) | undefined;

  constructor(private readonly options: SenderOptions) {}

  get inFlightBatches(): number {
    return this.inFlight + this.queued.length;
  }

  /** Nothing in memory, on its way or in the disk buffer. */
  get idle(): boolean {
    return this.inFlight === 0 && this.queued.length === 0 && this.spilling === 0 && this.options.buffer.size === 0;
  }

  get encoding(): BodyEncoding {
    return this.options.compression === 'gzip' ? 'gzip' : 'identity';
  }

  /** Whether another batch can be taken without going past the in-flight or disk-buffer limit. */
  canAccept(): boolean {
    if (this.spilling >= MAX_SPILLING) return false;
    if (this.options.buffer.size === 0 && this.spilling === 0) return this.inFlight + this.queued.length < this.options.maxInFlightBatches;
    return this.options.buffer.bytes < this.options.bufferMaxBytes;
  }

  get bufferFull(): boolean {
    return this.options.buffer.size > 0 && this.options.buffer.bytes >= this.options.bufferMaxBytes;
  }

  submit(batch: SealedBatch): void {
    if (batch.events === 0) {
      batch.durable();
      return;
    }
    if (this.options.buffer.size > 0 || this.spilling > 0) {
      void this.spill(gzip(batch.body, { level: 1 }), batch);
      return;
    }
    this.queued.push(batch);
    this.pump();
  }

  /**
   * Gives batches in memory up to `timeoutMs` to be delivered or buffered, then stops. A batch
   * still unsent then is not lost: its lines are past the registry offset and read again at the next start.
   */
  async stop(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const wait = () => new Promise((resolve) => setTimeout(resolve, 20));
    while ((this.queued.length > 0 || this.inFlight > 0 || this.spilling > 0) && Date.now() < deadline) await wait();
    this.stopped = true;
    this.queued.length = 0;
    for (const wake of [...this.sleepers]) wake();
    while ((this.inFlight > 0 || this.spilling > 0 || this.drainers > 0) && Date.now() < deadline) await wait();
  }

  /** The body as sent: gzip level 1, or as it is. */
  private encode(body: Buffer): Promise<Buffer> {
    return this.options.compression === 'gzip' ? gzip(body, { level: 1 }) : Promise.resolve(body);
  }

  private pump(): void {
    while (!this.stopped && this.queued.length > 0 && this.inFlight < this.options.maxInFlightBatches) {
      void this.sendFromMemory(this.queued.shift()!);
    }
  }

  private async sendFromMemory(batch: SealedBatch): Promise<void> {
    this.inFlight++;
    try {
      const body = await this.encode(batch.body);
      const outcome = await this.options.client.post(body, this.encoding);
      if (outcome.delivered) {
        this.delivered(outcome, batch.events, body.length);
        batch.durable();
      } else {
        this.failed(outcome, 1);
        // Segments are gzipped whatever goes on the wire: the buffer then holds about ten times more.
        await this.spill(this.encoding === 'gzip' ? body : gzip(batch.body, { level: 1 }), batch);
      }
    } finally {
      this.inFlight--;
      this.pump();
      this.onRoom?.();
    }
  }

  /** Writes a body to the disk buffer (retrying while the disk refuses), then lets its offsets move. */
  private async spill(encoded: Buffer | Promise<Buffer>, batch: SealedBatch): Promise<void> {
    this.spilling++;
    try {
      const body = await encoded;
      for (let attempt = 1; ; attempt++) {
        try {
          await this.options.buffer.append(body, batch.events, 'gzip');
          break;
        } catch (error) {
          this.options.log.error(`Cannot write to the disk buffer ${this.options.buffer.dir}: ${(error as Error).message}; retrying`, { 'error.code': (error as NodeJS.ErrnoException).code });
          await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(attempt, { maxMs: this.options.retryMaxMs })));
        }
      }
      this.options.counters.batchesBuffered++;
      batch.durable();
    } finally {
      this.spilling--;
    }
    this.drain();
    this.onRoom?.();
  }

  /** Sends what the disk buffer holds, oldest first, as many at a time as batches from memory, until it is empty. */
  drain(): void {
    while (!this.stopped && this.drainers < this.options.maxInFlightBatches && this.options.buffer.oldest(this.sendingSegments)) {
      this.drainers++;
      void this.drainLoop().finally(() => {
        this.drainers--;
        this.pump();
      });
    }
  }

  private async drainLoop(): Promise<void> {
    let attempt = 0;
    for (let segment = this.options.buffer.oldest(this.sendingSegments); segment && !this.stopped; segment = this.options.buffer.oldest(this.sendingSegments)) {
      this.sendingSegments.add(segment);
      let waitMs: number;
      try {
        const outcome = await this.sendSegment(segment);
        if (outcome === 'set aside') continue;
        if (outcome.delivered) {
          attempt = 0;
          this.delivered(outcome, segment.events, segment.bytes);
          await this.options.buffer.remove(segment);
          this.onRoom?.();
          continue;
        }
        this.failed(outcome, ++attempt);
        waitMs = outcome.retryAfterMs ?? backoffDelayMs(attempt, { maxMs: this.options.retryMaxMs });
      } finally {
        this.sendingSegments.delete(segment);
      }
      await this.sleep(waitMs);
    }
  }

  /**
   * Sends one segment: in halves when the platform finds it too large (413), and set aside
   * when it cannot be read or is not the gzip it should be, rather than retried for ever.
   */
  private async sendSegment(segment: Segment): Promise<BulkOutcome | 'set aside'> {
    let body: Buffer;
    try {
      body = await this.options.buffer.read(segment);
    } catch (error) {
      return this.setAside(segment, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const outcome = await this.options.client.post(body, segment.encoding);
    if (outcome.delivered || (outcome.status !== 400 && outcome.status !== 413)) return outcome;
    let plain = body;
    if (segment.encoding === 'gzip') {
      try {
        plain = await gunzip(body);
      } catch (error) {
        return this.setAside(segment, `is not valid gzip (${(error as Error).message})`);
      }
    }
    return outcome.status === 413 ? this.postInHalves(plain) : outcome;
  }

  /** Posts a body the platform refused as too large in two halves, each cut again while it is refused so. */
  private async postInHalves(plain: Buffer): Promise<BulkOutcome> {
    const halves = halvesOf(plain);
    if (!halves) return this.options.client.post(await this.encode(plain), this.encoding);
    let rejected = 0;
    let firstRejection: string | undefined;
    for (const half of halves) {
      let outcome = await this.options.client.post(await this.encode(half), this.encoding);
      if (!outcome.delivered && outcome.status === 413 && halvesOf(half)) outcome = await this.postInHalves(half);
      // The halves already taken are sent again with the rest later; the store drops them by `_id`.
      if (!outcome.delivered) return outcome;
      rejected += outcome.rejected;
      firstRejection ??= outcome.firstRejection;
    }
    return { delivered: true, rejected, ...(firstRejection !== undefined && { firstRejection }) };
  }

  private async setAside(segment: Segment, reason: string): Promise<'set aside'> {
    const kept = await this.options.buffer.setAside(segment).then((path) => `it is kept as ${path} for inspection`, (error: Error) => `it could not be renamed either (${error.message})`);
    this.options.log.error(`The disk buffer segment ${segment.path} ${reason}: its ${segment.events} events cannot be sent and are not in the store; ${kept}`, {
      'shipper.buffer.segment': segment.path, 'shipper.buffer.events': segment.events,
    });
    this.options.counters.eventsSetAside += segment.events;
    this.onRoom?.();
    return 'set aside';
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private delivered(outcome: Extract<BulkOutcome, { delivered: true }>, events: number, bytes: number): void {
    const counters = this.options.counters;
    counters.eventsShipped += events;
    counters.batchesShipped++;
    counters.bytesSent += bytes;
    if (outcome.rejected > 0) {
      counters.eventsRejected += outcome.rejected;
      this.options.log.warn(`The platform refused ${outcome.rejected} of ${events} events for good and keeps them in its dead-letter index; first: ${outcome.firstRejection}`);
    }
    if (!this.reachable) {
      this.reachable = true;
      const buffered = this.options.buffer;
      this.options.log.info(`The platform takes events again after ${Math.round((Date.now() - this.downSince) / 1000)} s; ${buffered.size} buffered batches (${buffered.bytes} bytes) still to send`, {
        'shipper.buffer.bytes': buffered.bytes, 'shipper.buffer.segments': buffered.size,
      });
    }
  }

  private failed(outcome: Extract<BulkOutcome, { delivered: false }>, attempt: number): void {
    this.options.counters.retries++;
    this.lastError = outcome.reason;
    this.lastErrorAt = new Date().toISOString();
    const fields = { 'call.target': 'http', 'call.method': 'POST', 'call.endpoint': this.options.client.endpoint, 'call.attempt': attempt, 'call.status_code': outcome.status, 'error.message': outcome.reason };
    if (this.reachable) {
      this.reachable = false;
      this.downSince = Date.now();
      this.lastRetryLog = Date.now();
      this.options.log.warn(`The platform does not take events (${outcome.reason}); reading on into the disk buffer ${this.options.buffer.dir} (up to ${this.options.bufferMaxBytes} bytes) and retrying with backoff`, fields);
    } else if (Date.now() - this.lastRetryLog >= RETRY_LOG_INTERVAL_MS) {
      this.lastRetryLog = Date.now();
      this.options.log.warn(`Still retrying the platform (attempt ${attempt}, down for ${Math.round((Date.now() - this.downSince) / 1000)} s): ${outcome.reason}; ${this.options.buffer.bytes} bytes buffered`, fields);
    }
  }
}
