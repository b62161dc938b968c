import { closeSync, openSync, rmSync, writeSync } from 'node:fs';

/** Bytes gathered before a write. */
const BUFFER_BYTES = 1 << 20;
/** Buffers kept for the next batch: a batch of a few indices needs a few. */
const spare: Buffer[] = [];
const MAX_SPARE = 8;

/**
 * A staging file written line by line through a buffer: each line is encoded straight into
 * the buffer, which is written out when full (joining lines into one string and encoding
 * that cost twice as much). Synchronous: meant for an ingest worker's thread.
 */
export class StagingFile {
  private readonly fd: number;
  private buffer: Buffer | undefined;
  private used = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Appends one line (without its newline). */
  append(line: string): void {
    const buffer = (this.buffer ??= spare.pop() ?? Buffer.allocUnsafe(BUFFER_BYTES));
    // A UTF-16 unit is at most 3 UTF-8 bytes.
    if (this.used + line.length * 3 + 1 > buffer.length) {
      this.flush();
      if (line.length * 3 + 1 > buffer.length) {
        writeSync(this.fd, `${line}\n`);
        return;
      }
    }
    this.used += buffer.write(line, this.used);
    buffer[this.used++] = 10;
  }

  /** Writes what is buffered and closes the file. */
  close(): void {
    try {
      this.flush();
    } finally {
      this.release();
    }
  }

  /** Closes the file, if open, and removes it. */
  discard(): void {
    this.release();
    rmSync(this.path, { force: true });
  }

  private flush(): void {
    if (this.used > 0) writeSync(this.fd, this.buffer!, 0, this.used);
    this.used = 0;
  }

  private release(): void {
    if (this.buffer && spare.length < MAX_SPARE) spare.push(this.buffer);
    this.buffer = undefined;
    try {
      closeSync(this.fd);
    } catch {
      // Already closed.
    }
  }
}
