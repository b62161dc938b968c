import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoupeError } from '@loupe/schema';
import { writeFileDurably } from './durable-write.js';
import { parserNames, type ParserName } from './parsers/parser.js';

/** What the shipper remembers of one file, across restarts. */
export interface FileEntry {
  /** Names the file's events: `_id` = `<fileId>:<byte offset>` (see fileIdOf). */
  fileId: string;
  /** Where the file was last seen; a rotated file keeps its entry under its new name. */
  path: string;
  dev: string;
  ino: string;
  birthtimeNs: string;
  /** Bumped when the same inode starts over with other content (copy-truncate). */
  generation: number;
  /** sha1 of the first `fingerprintBytes` bytes (up to 1 KiB): tells a reused or truncated inode from the file we read. */
  fingerprint: string;
  fingerprintBytes: number;
  parser: ParserName;
  /** `service.name` of text events that carry none (from the file's path). */
  service: string;
  /** Every event that starts before this byte is in the store or in the disk buffer. */
  offset: number;
  /** The timestamp given to a line without one, as it stands at `offset`. */
  carriedTs: number;
  /** Whether `carriedTs` came from a line of the file (true) or from a read-time stamp. */
  carriedFromLine: boolean;
  /** Offsets past `offset` where an event was ended without seeing the next line (idle file, end of a deleted file). */
  cuts: number[];
  /** [offset, epoch ms] read-time stamps past `offset` for files whose lines have no timestamp. */
  stamps: Array<[number, number]>;
  /** Stamps are decided for every event starting before this offset; re-reading must not add new ones there. */
  stampedUntil: number;
  /** Read to its end after it was renamed away or deleted: nothing more to read. */
  finished: boolean;
}

const FILE_NAME = 'registry.json';

const textFields = ['fileId', 'path', 'dev', 'ino', 'birthtimeNs', 'fingerprint', 'service'] as const;
const countFields = ['generation', 'fingerprintBytes', 'offset', 'carriedTs', 'stampedUntil'] as const;

/** What is wrong with one entry read from disk, or undefined when it has every field the shipper uses. */
function entryProblem(entry: unknown): string | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return 'not an object';
  const fields = entry as Record<string, unknown>;
  for (const name of textFields) if (typeof fields[name] !== 'string') return `"${name}" is not text`;
  for (const name of countFields) {
    const value = fields[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return `"${name}" is not a whole number ≥ 0`;
  }
  if (!(parserNames as readonly string[]).includes(fields.parser as string)) return `"parser" is not one of ${parserNames.join(', ')}`;
  if (typeof fields.carriedFromLine !== 'boolean' || typeof fields.finished !== 'boolean') return '"carriedFromLine" or "finished" is not true or false';
  if (!Array.isArray(fields.cuts) || !fields.cuts.every((cut) => Number.isSafeInteger(cut))) return '"cuts" is not a list of offsets';
  const isStamp = (stamp: unknown) => Array.isArray(stamp) && stamp.length === 2 && stamp.every((n) => Number.isSafeInteger(n));
  if (!Array.isArray(fields.stamps) || !fields.stamps.every(isStamp)) return '"stamps" is not a list of [offset, time] pairs';
  return undefined;
}
const SAVE_DELAY_MS = 250;

/**
 * The offsets registry, kept in `<stateDir>/registry.json` and replaced durably (temporary
 * file, fsync, rename). Offsets move only when events are acknowledged or written to the
 * disk buffer, and may be saved a little later: the shipper then re-reads a few events that
 * the store drops by id. Decisions that shape events (a new file's id, a cut, a stamp) are
 * different: they are saved before any event that depends on them leaves the process, so a
 * re-read rebuilds exactly the same events.
 */
export class Registry {
  private readonly byFileId = new Map<string, FileEntry>();
  private version = 0;
  private savedVersion = 0;
  private decisionVersion = 0;
  private saving: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly path: string) {}

  static open(stateDir: string): Registry {
    mkdirSync(stateDir, { recursive: true });
    const registry = new Registry(join(stateDir, FILE_NAME));
    let text: string;
    try {
      text = readFileSync(registry.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return registry;
      throw error;
    }
    let files: FileEntry[];
    try {
      files = (JSON.parse(text) as { files: FileEntry[] }).files;
      if (!Array.isArray(files)) throw new Error('no "files" list');
    } catch (error) {
      throw new LoupeError('SHIPPER_REGISTRY_CORRUPT', `The offsets registry ${registry.path} cannot be read (${(error as Error).message}); move it away to read every file again from the start (the platform drops the lines it already has)`);
    }
    files.forEach((entry, index) => {
      const problem = entryProblem(entry);
      if (problem) {
        throw new LoupeError('SHIPPER_REGISTRY_CORRUPT', `The offsets registry ${registry.path} cannot be read (file ${index + 1}: ${problem}); move it away to read every file again from the start (the platform drops the lines it already has)`);
      }
      registry.byFileId.set(entry.fileId, entry);
    });
    return registry;
  }

  entries(): FileEntry[] {
    return [...this.byFileId.values()];
  }

  byInode(dev: string, ino: string): FileEntry | undefined {
    for (const entry of this.byFileId.values()) if (entry.dev === dev && entry.ino === ino) return entry;
    return undefined;
  }

  get(fileId: string): FileEntry | undefined {
    return this.byFileId.get(fileId);
  }

  add(entry: FileEntry): void {
    this.byFileId.set(entry.fileId, entry);
    this.decided();
  }

  remove(entry: FileEntry): void {
    if (this.byFileId.get(entry.fileId) === entry) this.byFileId.delete(entry.fileId);
    this.changed();
  }

  /** An offset moved: saved within a quarter of a second. */
  changed(): void {
    this.version++;
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.save().catch(() => undefined);
    }, SAVE_DELAY_MS);
    this.timer.unref();
  }

  /** Something that shapes events changed: it must be saved before those events are sent or buffered. */
  decided(): void {
    this.changed();
    this.decisionVersion = this.version;
  }

  /** Resolves once every decision made so far is on disk. */
  async decisionsDurable(): Promise<void> {
    while (this.savedVersion < this.decisionVersion) await this.save();
  }

  /** Writes the registry as it is now (one write at a time; a request during a write starts another after it). */
  async save(): Promise<void> {
    while (this.saving) await this.saving;
    if (this.savedVersion === this.version && this.version > 0) return;
    const version = this.version;
    const text = JSON.stringify({ version: 1, files: [...this.byFileId.values()] });
    this.saving = writeFileDurably(this.path, text).then(() => {
      this.savedVersion = Math.max(this.savedVersion, version);
    }).finally(() => {
      this.saving = undefined;
    });
    await this.saving;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.save();
  }
}
