import { isUtf8 } from 'node:buffer';
import { actionPrefix, type BulkBatch, type ProgressOwner } from './bulk-batch.js';
import type { LineSink } from './line-splitter.js';
import type { LogParser } from './parsers/index.js';
import type { FileEntry, Registry } from './registry.js';

const CARRIAGE_RETURN = 13;
/** A file whose lines carry no timestamp gets a read-time stamp at most this often. */
const STAMP_INTERVAL_MS = 1000;
/** What a truncated event may grow to as JSON (the platform refuses lines over 1 MiB by default). */
const MAX_DOCUMENT_SLACK_BYTES = 16_384;
export const TRUNCATED_TAG = '_truncated';

interface PendingEvent {
  offset: number;
  first: string;
  lines: string[];
  textBytes: number;
  /** Set when lines were left out because the event grew past the limit: the size it had. */
  originalBytes?: number;
  /** Offset just past its last line. */
  next: number;
}

function isBlank(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte !== 0x20 && byte !== 0x09 && byte !== CARRIAGE_RETURN) return false;
  }
  return true;
}

/** ISO text for epoch ms the platform reads back as the same instant; undefined outside years 1970–9999. */
function isoOf(ms: number | undefined): string | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 && ms < 253_402_300_800_000 ? new Date(ms).toISOString() : undefined;
}

/**
 * Turns one file's lines into events in the batch: JSON lines through the parser's fast
 * path untouched, multi-line events joined, every event with `_id` = `<fileId>:<offset of
 * its first byte>`. What an event becomes depends only on the file's bytes and on decisions
 * kept in the registry (cuts, stamps), so re-reading after a crash rebuilds the same events.
 */
export class EventAssembler implements LineSink {
  batch!: BulkBatch;
  private pending: PendingEvent | undefined;
  private carriedTs: number;
  private carriedFromLine: boolean;
  private lastStampApplied: number;
  private readonly prefix: Buffer;
  private readonly passesThrough: ((line: Buffer, start: number, end: number) => boolean) | undefined;

  constructor(
    private readonly entry: FileEntry,
    private readonly parser: LogParser,
    private readonly owner: ProgressOwner,
    private readonly registry: Registry,
    private readonly maxLineBytes: number,
  ) {
    this.carriedTs = entry.carriedTs;
    this.carriedFromLine = entry.carriedFromLine;
    this.lastStampApplied = entry.offset - 1;
    this.prefix = actionPrefix(entry.fileId);
    this.passesThrough = parser.createPassThrough?.();
  }

  get hasPendingEvent(): boolean {
    return this.pending !== undefined;
  }

  line(bytes: Buffer, start: number, end: number, offset: number, next: number, originalBytes?: number): void {
    // NUL bytes before a line are a hole, not text: a writer that kept its offset after a
    // copy-truncate, or a crash after the file was extended. The line after them is read as it is.
    while (start < end && bytes[start] === 0) start++;
    if (end > start && bytes[end - 1] === CARRIAGE_RETURN) end--;
    if (!this.parser.multiline) {
      if (isBlank(bytes, start, end)) this.progressTo(next);
      else if (originalBytes === undefined && this.passesThrough?.(bytes, start, end)) {
        this.batch.addRaw(this.prefix, offset, bytes, start, end);
        this.progressTo(next);
      } else {
        this.emit(offset, lineText(bytes, start, end), next, originalBytes);
      }
      return;
    }
    const text = lineText(bytes, start, end);
    const pending = this.pending;
    if (pending && !this.entry.cuts.includes(offset) && (isBlank(bytes, start, end) || this.parser.continues(text, pending.first))) {
      const size = Buffer.byteLength(text) + 1;
      if (pending.textBytes + size > this.maxLineBytes || originalBytes !== undefined) {
        pending.originalBytes = (pending.originalBytes ?? pending.textBytes) + (originalBytes ?? size);
      } else {
        pending.lines.push(text);
        pending.textBytes += size;
      }
      pending.next = next;
      return;
    }
    if (pending) this.emitPending(pending);
    if (isBlank(bytes, start, end)) {
      this.progressTo(next);
      return;
    }
    this.pending = { offset, first: text, lines: [text], textBytes: Buffer.byteLength(text), next, ...(originalBytes !== undefined && { originalBytes }) };
  }

  /** Sends the multi-line event waiting for its next line, and records the cut so a re-read ends it at the same byte. */
  endPendingEvent(): void {
    const pending = this.pending;
    if (!pending) return;
    this.emitPending(pending);
    this.entry.cuts.push(pending.next);
    this.registry.decided();
  }

  private emitPending(pending: PendingEvent): void {
    this.pending = undefined;
    // Blank lines before the next event belong to no one: they are not kept at the end of this one.
    while (pending.lines.length > 1 && pending.lines.at(-1)!.trim() === '') pending.lines.pop();
    this.emit(pending.offset, pending.lines.join('\n'), pending.next, pending.originalBytes);
  }

  /** Records that the file is done up to `next` in the current batch (unless an event before it is still pending). */
  progressTo(next: number): void {
    if (this.pending) return;
    this.batch.progress(this.owner, next, this.carriedTs, this.carriedFromLine);
  }

  /** Read-time stamps recorded before for events up to `offset` (only when re-reading). */
  private applyStamps(offset: number): void {
    for (const [at, ts] of this.entry.stamps) {
      if (at > this.lastStampApplied && at <= offset) this.carriedTs = ts;
    }
    this.lastStampApplied = offset;
  }

  /** The time of an event without its own: the last one seen in the file, or a read-time stamp when the file has none. */
  private carriedTime(offset: number, next: number): number {
    if (!this.carriedFromLine && offset >= this.entry.stampedUntil) {
      const now = Date.now();
      if (now - this.carriedTs >= STAMP_INTERVAL_MS) {
        this.entry.stamps.push([offset, now]);
        this.carriedTs = now;
      }
      this.entry.stampedUntil = next;
      this.registry.decided();
    }
    return this.carriedTs;
  }

  private emit(offset: number, text: string, next: number, originalBytes: number | undefined): void {
    this.applyStamps(offset);
    const truncated = originalBytes !== undefined;
    const message = truncated ? `${text}… [truncated: the event was ${originalBytes} bytes, over the ${this.maxLineBytes}-byte limit]` : text;
    const { document, timestampMs } = this.parser.parse(message, { path: this.entry.path, offset, service: this.entry.service });
    let timestamp = isoOf(timestampMs);
    if (timestamp !== undefined) {
      this.carriedTs = timestampMs!;
      this.carriedFromLine = true;
    } else {
      timestamp = isoOf(this.carriedTime(offset, next))!;
    }
    document['@timestamp'] = timestamp;
    if (truncated) document.tags = [...(Array.isArray(document.tags) ? document.tags : []), TRUNCATED_TAG];
    this.batch.addDocument(this.prefix, offset, this.fitted(document));
    this.batch.progress(this.owner, next, this.carriedTs, this.carriedFromLine);
  }

  /** The document as JSON, its message shortened when escaping made it larger than the platform takes. */
  private fitted(document: Record<string, unknown>): string {
    let json = JSON.stringify(document);
    const limit = this.maxLineBytes + MAX_DOCUMENT_SLACK_BYTES;
    while (Buffer.byteLength(json) > limit && typeof document.message === 'string' && document.message.length > 0) {
      document.message = `${document.message.slice(0, Math.floor(document.message.length * 0.8))}… [truncated]`;
      json = JSON.stringify(document);
    }
    return json;
  }
}

/**
 * A line's text: UTF-8, or, when its bytes are not valid UTF-8, Latin-1 (ISO 8859-1), as
 * older programs write `café`: every byte stays a character, where UTF-8 decoding would turn
 * them into U+FFFD for good.
 */
export function lineText(bytes: Buffer, start: number, end: number): string {
  return isUtf8(bytes.subarray(start, end)) ? bytes.toString('utf8', start, end) : bytes.toString('latin1', start, end);
}
