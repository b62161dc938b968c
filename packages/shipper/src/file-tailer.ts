import { closeSync, readSync } from 'node:fs';
import type { BulkBatch, FileProgress, ProgressOwner } from './bulk-batch.js';
import { EventAssembler } from './event-assembler.js';
import { FINGERPRINT_BYTES, fingerprintOf, matchesFingerprint, observeDescriptor, type FileObservation } from './file-identity.js';
import { LineSplitter } from './line-splitter.js';
import { parserFor } from './parsers/index.js';
import type { FileEntry, Registry } from './registry.js';

/** How many of the last bytes read are kept to check the file was not rewritten under the read offset. */
const TRAIL_BYTES = 64;

function keepWhere<T>(list: T[], keep: (item: T) => boolean): void {
  let kept = 0;
  for (const item of list) if (keep(item)) list[kept++] = item;
  list.length = kept;
}

export interface TailerOptions {
  maxLineBytes: number;
  /** A multi-line event at the end of a file idle this long is sent without waiting for its next line. */
  multilineWaitMs: number;
  /** A file no glob names any more (renamed away, deleted), read to its end and idle this long, is closed. */
  closeInactiveMs: number;
}

/**
 * Reads one file from its registry offset: new bytes become events in the current batch;
 * the registry offset moves only when the batches holding them are safe (acknowledged or in
 * the disk buffer), in order. The open descriptor follows the file through renames and
 * deletion, so a rotated file is read to its end under its own identity.
 */
export class FileTailer implements ProgressOwner {
  /** Whether a glob named this file at the last scan. */
  live = true;
  /** Bytes the file had at the last check. */
  size = 0;
  /** When bytes last arrived (or the file was opened). */
  lastGrowthAt = Date.now();
  /** Since when the file has had bytes that are not yet safe (for the lag in seconds). */
  behindSince: number | undefined;
  private readOffset: number;
  /** Set when a read may have raced a truncation: the next check says 'truncated'. */
  private raced = false;
  /** The last bytes read (up to `TRAIL_BYTES`), to tell a file rewritten past them from one that grew. */
  private trail = Buffer.alloc(0);
  private readonly splitter: LineSplitter;
  private readonly assembler: EventAssembler;
  private readonly inFlight: FileProgress[] = [];
  /** Set when the file is done (gone or renamed away and idle): the offset up to which it must be safe before it is closed. */
  private finalOffset: number | undefined;
  closed = false;

  constructor(
    readonly entry: FileEntry,
    private fd: number,
    private readonly registry: Registry,
    private readonly options: TailerOptions,
  ) {
    this.readOffset = entry.offset;
    this.splitter = new LineSplitter(entry.offset, options.maxLineBytes, entry.cuts);
    this.assembler = new EventAssembler(entry, parserFor(entry.parser), this, registry, options.maxLineBytes);
    this.size = observeDescriptor(fd, entry.path).size;
  }

  /** Bytes after the registry offset: not yet in the store or the disk buffer. */
  get lagBytes(): number {
    return Math.max(0, this.size - this.entry.offset);
  }

  get bytesRead(): number {
    return this.readOffset;
  }

  get finishing(): boolean {
    return this.finalOffset !== undefined;
  }

  /** What the descriptor points at now. */
  observe(): FileObservation {
    return observeDescriptor(this.fd, this.entry.path);
  }

  /**
   * Looks at the open file: 'truncated' when it got shorter than what was read or no longer
   * starts with the fingerprinted bytes (copy-truncate, or overwritten); else 'ok', with the
   * fingerprint extended while the file grows towards 1 KiB.
   */
  check(): 'ok' | 'truncated' {
    if (this.raced) {
      this.raced = false;
      return 'truncated';
    }
    const observation = this.observe();
    const grew = observation.size !== this.size;
    this.size = observation.size;
    if (this.size > this.entry.offset) this.behindSince ??= Date.now();
    if (observation.size < this.readOffset) return 'truncated';
    if (!grew) return 'ok';
    const entry = this.entry;
    if (!matchesFingerprint(this.fd, { hash: entry.fingerprint, bytes: entry.fingerprintBytes })) return 'truncated';
    // Truncated and written again past where reading stopped, between two checks, with the same first bytes: the bytes before that point changed.
    if (!this.trailHolds()) return 'truncated';
    if (entry.fingerprintBytes < FINGERPRINT_BYTES && observation.size > entry.fingerprintBytes) {
      const fingerprint = fingerprintOf(this.fd, observation.size);
      entry.fingerprint = fingerprint.hash;
      entry.fingerprintBytes = fingerprint.bytes;
      this.registry.changed();
    }
    return 'ok';
  }

  /** Whether the file still holds, just before the read offset, the bytes last read there. */
  private trailHolds(): boolean {
    const length = this.trail.length;
    if (length === 0 || this.readOffset <= this.entry.fingerprintBytes) return true;
    const now = Buffer.alloc(length);
    return readSync(this.fd, now, 0, length, this.readOffset - length) === length && now.equals(this.trail);
  }

  /** Reads up to `maxBytes` new bytes into `batch`; returns how many were read (0 at the end of the file). */
  read(scratch: Buffer, batch: BulkBatch, maxBytes: number): number {
    if (this.finalOffset !== undefined) return 0;
    const carried = this.splitter.prepare(scratch);
    const bytes = readSync(this.fd, scratch, carried, Math.min(maxBytes, scratch.length - carried), this.readOffset);
    if (bytes === 0) return 0;
    // Copy-truncate can land between the check and this read, and the bytes read may then be
    // the next lines written into the emptied file: if the file no longer starts as it did,
    // drop what was read; the check finds the copy and reading goes on there from this offset.
    const entry = this.entry;
    if (entry.fingerprintBytes > 0 && !matchesFingerprint(this.fd, { hash: entry.fingerprint, bytes: entry.fingerprintBytes })) {
      this.raced = true;
      return 0;
    }
    const chunkStart = this.readOffset - carried;
    this.readOffset += bytes;
    this.trail = Buffer.from(scratch.subarray(Math.max(0, carried + bytes - TRAIL_BYTES), carried + bytes));
    if (this.readOffset > this.size) this.size = this.readOffset;
    this.lastGrowthAt = Date.now();
    this.behindSince ??= Date.now();
    this.assembler.batch = batch;
    this.splitter.split(scratch.subarray(0, carried + bytes), chunkStart, this.assembler);
    return bytes;
  }

  /**
   * At the end of the file, after a quiet spell: sends a multi-line event still waiting for
   * its next line; and when no glob names the file any more, ends it (its partial last line
   * included) and closes it once everything is safe.
   */
  idle(batch: BulkBatch, now: number): void {
    if (this.finalOffset !== undefined || this.readOffset < this.size) return;
    const quiet = now - this.lastGrowthAt;
    this.assembler.batch = batch;
    if (this.assembler.hasPendingEvent && quiet >= this.options.multilineWaitMs) this.assembler.endPendingEvent();
    if (!this.live && quiet >= this.options.closeInactiveMs) this.finish(batch);
  }

  /** Ends the file where it is now (it was renamed away and went quiet, deleted, or truncated without a copy). */
  finish(batch: BulkBatch): void {
    if (this.finalOffset !== undefined) return;
    this.assembler.batch = batch;
    const partialEnd = this.splitter.endPartialLine(this.assembler);
    if (partialEnd !== undefined) {
      this.entry.cuts.push(partialEnd);
      this.registry.decided();
    }
    this.assembler.endPendingEvent();
    this.finalOffset = this.splitter.lineStart;
    this.assembler.progressTo(this.finalOffset);
  }

  /** Reads on from another descriptor holding the same bytes (the copy of a copy-truncated file). */
  switchTo(fd: number, observation: FileObservation): void {
    closeSync(this.fd);
    this.fd = fd;
    Object.assign(this.entry, { path: observation.path, dev: observation.dev, ino: observation.ino, birthtimeNs: observation.birthtimeNs });
    this.size = observation.size;
    this.registry.decided();
  }

  track(progress: FileProgress): void {
    this.inFlight.push(progress);
  }

  /** Moves the registry offset over every batch that is safe, in order. */
  advance(): void {
    let moved = false;
    while (this.inFlight.length > 0 && this.inFlight[0]!.durable) {
      const progress = this.inFlight.shift()!;
      if (progress.end > this.entry.offset) {
        this.entry.offset = progress.end;
        this.entry.carriedTs = progress.carriedTs;
        this.entry.carriedFromLine = progress.carriedFromLine;
      }
      moved = true;
    }
    if (!moved) return;
    const entry = this.entry;
    // In place: the splitter and the assembler hold these lists.
    if (entry.cuts.length > 0) keepWhere(entry.cuts, (cut) => cut > entry.offset);
    if (entry.stamps.length > 0) keepWhere(entry.stamps, ([at]) => at >= entry.offset);
    if (entry.offset >= this.size) this.behindSince = undefined;
    if (this.finalOffset !== undefined && this.inFlight.length === 0 && entry.offset >= this.finalOffset) {
      entry.finished = true;
      this.close();
    }
    this.registry.changed();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
