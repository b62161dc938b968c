const NEWLINE = 10;

/** Receives each line of a file once it is complete. */
export interface LineSink {
  /**
   * Bytes `[start, end)` of `bytes` (without the newline) are the line that starts at file
   * offset `offset`; the next line starts at `next`. `originalBytes` is set when the line was
   * longer than the limit and only its head is given.
   */
  line(bytes: Buffer, start: number, end: number, offset: number, next: number, originalBytes?: number): void;
}

/** The first forced line end after `offset`, or Infinity (cuts are few, usually none). */
function firstCutAfter(cuts: readonly number[], offset: number): number {
  let first = Infinity;
  for (const cut of cuts) if (cut > offset && cut < first) first = cut;
  return first;
}

/**
 * Splits a file's bytes into lines as they are read, chunk by chunk, without decoding them.
 * A partial line waits for its newline (copied out, so the read buffer can be reused); a line
 * longer than `maxLineBytes` keeps only its head. `cuts` are offsets where a line was ended
 * without its newline before (the end of a file that went away): they end a line again there.
 */
export class LineSplitter {
  /** File offset where the line not yet complete begins. */
  lineStart: number;
  /** The partial line (or, when oversized, the head of the long line). */
  private carry: Buffer | undefined;
  /** Bytes of a line longer than the limit seen so far; 0 when the current line is not over it. */
  private oversized = 0;

  constructor(offset: number, private readonly maxLineBytes: number, private readonly cuts: readonly number[]) {
    this.lineStart = offset;
  }

  /** Bytes read but not yet part of a complete line. */
  get partialBytes(): number {
    return this.oversized || (this.carry?.length ?? 0);
  }

  /** Puts the partial line at the front of `scratch`; new bytes go after the returned length. */
  prepare(scratch: Buffer): number {
    if (this.oversized > 0 || !this.carry) return 0;
    return this.carry.copy(scratch, 0);
  }

  /** Splits `view` (the prepared partial line, then new bytes), whose first byte is at file offset `chunkStart`. */
  split(view: Buffer, chunkStart: number, sink: LineSink): void {
    let position = 0;
    if (this.oversized > 0) {
      const newline = view.indexOf(NEWLINE);
      if (newline === -1) {
        this.oversized += view.length;
        return;
      }
      sink.line(this.carry!, 0, this.carry!.length, this.lineStart, chunkStart + newline + 1, this.oversized + newline);
      this.carry = undefined;
      this.oversized = 0;
      position = newline + 1;
    }
    let cut = this.cuts.length === 0 ? Infinity : firstCutAfter(this.cuts, chunkStart + position) - chunkStart;
    while (position < view.length) {
      if (cut <= position) cut = firstCutAfter(this.cuts, chunkStart + position) - chunkStart;
      const newline = view.indexOf(NEWLINE, position);
      if (cut <= (newline === -1 ? view.length : newline)) {
        this.deliver(view, position, cut, chunkStart, chunkStart + cut, sink);
        position = cut;
        continue;
      }
      if (newline === -1) break;
      this.deliver(view, position, newline, chunkStart, chunkStart + newline + 1, sink);
      position = newline + 1;
    }
    this.lineStart = chunkStart + position;
    const rest = view.length - position;
    if (rest > this.maxLineBytes) {
      this.carry = Buffer.from(view.subarray(position, position + this.maxLineBytes));
      this.oversized = rest;
    } else {
      this.carry = rest > 0 ? Buffer.from(view.subarray(position)) : undefined;
    }
  }

  /** Ends the partial line where the file ends now (it will not grow); returns that offset, or undefined when there is none. */
  endPartialLine(sink: LineSink): number | undefined {
    const bytes = this.partialBytes;
    if (bytes === 0) return undefined;
    const next = this.lineStart + bytes;
    const head = this.carry!;
    sink.line(head, 0, head.length, this.lineStart, next, this.oversized > 0 ? this.oversized : undefined);
    this.carry = undefined;
    this.oversized = 0;
    this.lineStart = next;
    return next;
  }

  private deliver(view: Buffer, start: number, end: number, chunkStart: number, next: number, sink: LineSink): void {
    const length = end - start;
    if (length > this.maxLineBytes) sink.line(view, start, start + this.maxLineBytes, chunkStart + start, next, length);
    else sink.line(view, start, end, chunkStart + start, next);
  }
}
