/** How far one file's events in a batch reach, and the state a re-read would resume with there. */
export interface FileProgress {
  /** Offset just past the batch's last event of the file. */
  end: number;
  carriedTs: number;
  carriedFromLine: boolean;
  /** Set once the batch is acknowledged or written to the disk buffer. */
  durable: boolean;
}

/** Whoever reads a file: told of each batch that holds its events, in order. */
export interface ProgressOwner {
  track(progress: FileProgress): void;
  advance(): void;
}

const ACTION_END = Buffer.from('"}}\n');
const NEWLINE = 10;

/** `{"create":{"_id":"<fileId>:` — the start of every action line of one file, built once per file. */
export function actionPrefix(fileId: string): Buffer {
  return Buffer.from(`{"create":{"_id":"${fileId}:`, 'latin1');
}

/**
 * One `_bulk` request body being built: a `create` action with the event's `_id`
 * (`<fileId>:<offset>`; the platform derives `_index` from the event), then the event. JSON
 * lines are copied byte for byte; per event only the offset's digits are written.
 */
export class BulkBatch {
  private buffer: Buffer;
  /** Bytes of body written. */
  length = 0;
  events = 0;
  /** When the first event or offset went in (epoch ms); undefined while the batch is empty. */
  firstAt: number | undefined;
  private readonly progressByOwner = new Map<ProgressOwner, FileProgress>();

  constructor(capacityBytes: number) {
    this.buffer = Buffer.allocUnsafe(capacityBytes);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  private action(prefix: Buffer, offset: number, documentBytes: number): void {
    this.reserve(prefix.length + 16 + ACTION_END.length + documentBytes + 1);
    const buffer = this.buffer;
    buffer.set(prefix, this.length);
    let at = this.length + prefix.length;
    // The offset in decimal, written digit by digit: no string per event.
    let digits = 1;
    for (let rest = offset; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    for (let i = at + digits - 1, rest = offset; i >= at; i--, rest = Math.floor(rest / 10)) buffer[i] = 48 + (rest % 10);
    at += digits;
    buffer.set(ACTION_END, at);
    this.length = at + ACTION_END.length;
    this.events++;
  }

  /** An event that is already a JSON document: bytes `[start, end)` of `source`. */
  addRaw(prefix: Buffer, offset: number, source: Buffer, start: number, end: number): void {
    this.action(prefix, offset, end - start);
    this.buffer.set(new Uint8Array(source.buffer, source.byteOffset + start, end - start), this.length);
    this.length += end - start;
    this.buffer[this.length++] = NEWLINE;
  }

  /** An event built by the shipper, as JSON text. */
  addDocument(prefix: Buffer, offset: number, json: string): void {
    const bytes = Buffer.byteLength(json);
    this.action(prefix, offset, bytes);
    this.length += this.buffer.write(json, this.length, 'utf8');
    this.buffer[this.length++] = NEWLINE;
  }

  /** Records that the file read by `owner` has its events up to `end` in this batch. */
  progress(owner: ProgressOwner, end: number, carriedTs: number, carriedFromLine: boolean): void {
    this.firstAt ??= Date.now();
    let record = this.progressByOwner.get(owner);
    if (!record) {
      record = { end, carriedTs, carriedFromLine, durable: false };
      this.progressByOwner.set(owner, record);
      owner.track(record);
      return;
    }
    record.end = end;
    record.carriedTs = carriedTs;
    record.carriedFromLine = carriedFromLine;
  }

  /** The finished body, and a callback that moves each file's offset once the body is safe. */
  seal(): { body: Buffer; events: number; durable: () => void } {
    const owners = [...this.progressByOwner];
    return {
      body: this.buffer.subarray(0, this.length),
      events: this.events,
      durable: () => {
        for (const [owner, record] of owners) {
          record.durable = true;
          owner.advance();
        }
      },
    };
  }
}
