import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, writeFileDurably } from './durable-write.js';

export type BodyEncoding = 'gzip' | 'identity';

/** One buffered `_bulk` body, waiting for the platform. */
export interface Segment {
  path: string;
  sequence: number;
  events: number;
  bytes: number;
  encoding: BodyEncoding;
}

/** `<sequence>-<events>.ndjson.gz` or `.ndjson`: everything needed to send it again is in the name and the bytes. */
const SEGMENT_NAME = /^(\d{12})-(\d+)\.ndjson(\.gz)?$/;

/**
 * The disk buffer under `<dataDir>/shipper/buffer`: request bodies the platform has not
 * acknowledged, one file each, written durably before the offsets of their lines move, and
 * removed only after the platform acknowledged them. It survives SIGKILL and power loss;
 * a restart sends what it holds, oldest first.
 */
export class DiskBuffer {
  private readonly segments: Segment[] = [];
  private nextSequence = 1;
  /** Bytes of every segment on disk. */
  bytes = 0;

  private constructor(readonly dir: string) {}

  static open(dir: string): DiskBuffer {
    mkdirSync(dir, { recursive: true });
    const buffer = new DiskBuffer(dir);
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const match = SEGMENT_NAME.exec(name);
      // A temporary file is a write cut short by a crash: its lines were never counted as safe.
      if (!match) {
        if (name.endsWith('.tmp')) rmSync(path, { force: true });
        continue;
      }
      const bytes = statSync(path).size;
      buffer.segments.push({ path, sequence: Number(match[1]), events: Number(match[2]), bytes, encoding: match[3] ? 'gzip' : 'identity' });
      buffer.bytes += bytes;
      buffer.nextSequence = Math.max(buffer.nextSequence, Number(match[1]) + 1);
    }
    return buffer;
  }

  get size(): number {
    return this.segments.length;
  }

  /** The oldest segment not in `busy` (being sent already). */
  oldest(busy: ReadonlySet<Segment> = new Set()): Segment | undefined {
    return this.segments.find((segment) => !busy.has(segment));
  }

  /** Writes a body durably; when this resolves the body survives a crash. */
  async append(body: Buffer, events: number, encoding: BodyEncoding): Promise<Segment> {
    const sequence = this.nextSequence++;
    const name = `${String(sequence).padStart(12, '0')}-${events}.ndjson${encoding === 'gzip' ? '.gz' : ''}`;
    const segment: Segment = { path: join(this.dir, name), sequence, events, bytes: body.length, encoding };
    await writeFileDurably(segment.path, body);
    this.segments.push(segment);
    this.segments.sort((a, b) => a.sequence - b.sequence);
    this.bytes += body.length;
    return segment;
  }

  read(segment: Segment): Promise<Buffer> {
    return readFile(segment.path);
  }

  /**
   * Takes a segment that can never be sent (unreadable, or not gzip: damaged on disk) out of
   * the buffer, so it no longer holds up the ones behind it; renamed to `<name>.corrupt` and
   * kept for inspection. Returns where it is now.
   */
  async setAside(segment: Segment): Promise<string> {
    const index = this.segments.indexOf(segment);
    if (index !== -1) {
      this.segments.splice(index, 1);
      this.bytes -= segment.bytes;
    }
    const kept = `${segment.path}.corrupt`;
    await rename(segment.path, kept);
    fsyncDirectory(this.dir);
    return kept;
  }

  /** Removes a segment the platform acknowledged. */
  async remove(segment: Segment): Promise<void> {
    const index = this.segments.indexOf(segment);
    if (index === -1) return;
    this.segments.splice(index, 1);
    this.bytes -= segment.bytes;
    await rm(segment.path, { force: true });
    fsyncDirectory(this.dir);
  }
}
