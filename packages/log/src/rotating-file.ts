import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotatingFileOptions {
  /** The live file, e.g. `./data/logs/mes-api/mes-api.log`; rotated files get `.1`, `.2`, … (1 is newest). */
  path: string;
  /** A file is rotated before it would grow past this size (R20: 10 MB). Only a single line longer than this exceeds it. */
  maxSizeBytes?: number;
  /** How many rotated files are kept beside the live one; older ones are deleted. */
  maxFiles?: number;
}

export const DEFAULT_MAX_SIZE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 10;
const NEWLINE = 10;

/**
 * A size-rotated, append-only log file that never splits a line across two files.
 * Rotation renames (`x.log` → `x.log.1`), so a shipper that follows inodes reads on.
 * Writes are synchronous: it runs inside pino's transport worker, off the request thread.
 */
export class RotatingFile {
  private readonly path: string;
  private readonly maxSizeBytes: number;
  private readonly maxFiles: number;
  private fd: number;
  private size: number;
  private midLine = false;

  constructor(options: RotatingFileOptions) {
    this.path = options.path;
    this.maxSizeBytes = options.maxSizeBytes ?? DEFAULT_MAX_SIZE_BYTES;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Appends whole or partial lines, rotating at line boundaries. */
  append(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const remaining = chunk.length - offset;
      if (this.size + remaining <= this.maxSizeBytes) {
        this.writeRange(chunk, offset, chunk.length);
        return;
      }
      const budget = this.maxSizeBytes - this.size;
      const lastFittingNewline = budget > 0 ? chunk.lastIndexOf(NEWLINE, offset + budget - 1) : -1;
      if (lastFittingNewline >= offset) {
        this.writeRange(chunk, offset, lastFittingNewline + 1);
        offset = lastFittingNewline + 1;
        this.rotate();
      } else if (this.size > 0 && !this.midLine) {
        this.rotate();
      } else {
        // A line longer than the limit (or the rest of one already started) stays whole in this file.
        const newline = chunk.indexOf(NEWLINE, offset);
        const end = newline === -1 ? chunk.length : newline + 1;
        this.writeRange(chunk, offset, end);
        offset = end;
      }
    }
  }

  private writeRange(chunk: Buffer, start: number, end: number): void {
    let position = start;
    while (position < end) position += writeSync(this.fd, chunk, position, end - position);
    this.size += end - start;
    this.midLine = chunk[end - 1] !== NEWLINE;
  }

  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.path}.${this.maxFiles}`, { force: true });
    for (let index = this.maxFiles - 1; index >= 1; index--) {
      const from = `${this.path}.${index}`;
      if (existsSync(from)) renameSync(from, `${this.path}.${index + 1}`);
    }
    if (this.maxFiles > 0) renameSync(this.path, `${this.path}.1`);
    else rmSync(this.path, { force: true });
    this.fd = openSync(this.path, 'a');
    this.size = 0;
  }
}
