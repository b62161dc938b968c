import { closeSync, existsSync, readSync } from 'node:fs';
import type { Logger } from '@loupe/log';
import type { BulkBatch } from './bulk-batch.js';
import type { ShipperConfig } from './config.js';
import { fileIdOf, fingerprintOf, matchesFingerprint, observePath } from './file-identity.js';
import { FileTailer } from './file-tailer.js';
import { compileGlob, expandGlob, type Glob } from './glob.js';
import { endOfLastLine, findCopy, findRenamed, inodeKey, isSameFile, openFile, type OpenFile } from './locate-file.js';
import { defaultParserFor, serviceFromPath, type ParserName } from './parsers/index.js';
import type { FileEntry, Registry } from './registry.js';

/**
 * The files being read: found by glob, followed through renames (the open descriptor keeps
 * reading the rotated file), copy-truncate (reading goes on in the copy, the truncated file
 * starts over under a new identity) and deletion (read to the end, then closed).
 */
export class TailedFiles {
  readonly tailers: FileTailer[] = [];
  private readonly globs: Array<{ glob: Glob; parser?: ParserName }>;
  /** Inodes found to be copies of a file being read (copy-truncate before the truncate): not read on their own. */
  private readonly copies = new Set<string>();
  /**
   * Files read to their end that are still around (rotated ones, mostly), by inode: their
   * registry entries are kept, with their current name, so they are never read twice.
   */
  private readonly finished = new Map<string, { entry: FileEntry; size: number }>();
  private firstScan = true;
  /** Paths a glob names that could not be opened, each reported once. */
  private readonly unreadable = new Set<string>();

  /** Files a glob names that the shipper cannot open: shown in its status, as their lines wait. */
  get unreadablePaths(): string[] {
    return [...this.unreadable].sort();
  }

  constructor(
    private readonly config: ShipperConfig,
    private readonly registry: Registry,
    private readonly log: Logger,
  ) {
    this.globs = config.inputs.map((input) => ({ glob: compileGlob(input.glob), parser: input.parser }));
  }

  /** At start: opens every file the registry was reading, wherever it lives now, at its registry offset. */
  resume(): void {
    const taken = new Set<string>();
    const entries = this.registry.entries().filter((entry) => !entry.finished);
    const startOver: Array<{ path: string; generation: number; parser: ParserName }> = [];
    // Files still where they were, as they were, first: their inodes are theirs.
    const inPlace = new Map<FileEntry, OpenFile>();
    for (const entry of entries) {
      const file = openFile(entry.path);
      if (file && isSameFile(file, entry)) {
        inPlace.set(entry, file);
        taken.add(inodeKey(file.observation));
      } else if (file) {
        closeSync(file.fd);
      }
    }
    for (const entry of entries) {
      const file = inPlace.get(entry) ?? findRenamed(entry) ?? findCopy(entry, entry.offset, taken);
      if (!file) {
        const there = observePath(entry.path);
        if (there && inodeKey(there) === inodeKey(entry)) {
          this.log.warn(`${entry.path} was truncated or overwritten while the shipper was stopped: it is read as a new file; lines written after byte ${entry.offset} before that were not shipped`, { 'log.file.path': entry.path });
        } else {
          this.log.warn(`${entry.path} is gone: if it had lines after byte ${entry.offset}, they were not shipped`, { 'log.file.path': entry.path });
        }
        this.registry.remove(entry);
        continue;
      }
      taken.add(inodeKey(file.observation));
      const moved = file.observation.dev !== entry.dev || file.observation.ino !== entry.ino;
      if (moved) {
        this.log.info(`${entry.path} was truncated after it was copied to ${file.observation.path}: reading on from the copy at byte ${entry.offset}`);
        startOver.push({ path: entry.path, generation: entry.generation + 1, parser: entry.parser });
      }
      // The whole identity, creation time included: a copy has its own, and a later scan must know the copy for this entry's file.
      Object.assign(entry, { path: file.observation.path, dev: file.observation.dev, ino: file.observation.ino, birthtimeNs: file.observation.birthtimeNs });
      this.tailers.push(new FileTailer(entry, file.fd, this.registry, this.config));
    }
    for (const { path, generation, parser } of startOver) this.startOver(path, generation, parser);
    for (const entry of this.registry.entries()) if (entry.finished) this.keepFinished(entry);
  }

  /** Expands the globs: starts reading new files and notes which open files no glob names any more. */
  scan(): void {
    const byInode = new Map(this.tailers.map((tailer) => [inodeKey(tailer.entry), tailer]));
    const named = new Set<FileTailer>();
    const seen = new Set<string>();
    for (const { glob, parser } of this.globs) {
      const matches = expandGlob(glob);
      if (this.firstScan && matches.length === 0) this.noMatch(glob);
      for (const { path, rotated } of matches) {
        const observation = observePath(path);
        if (!observation) continue;
        const key = inodeKey(observation);
        seen.add(key);
        const tailer = byInode.get(key);
        if (tailer) {
          this.rename(tailer.entry, path);
          // A rotated copy is read to its end and closed; only a name the glob gives keeps a file open.
          if (!rotated) named.add(tailer);
          continue;
        }
        const done = this.finished.get(key);
        if (done) this.rename(done.entry, path);
        if (done?.size === observation.size || this.copies.has(key)) continue;
        const started = this.consider(path, parser);
        if (started) {
          byInode.set(key, started);
          if (!rotated) named.add(started);
        }
      }
    }
    for (const tailer of this.tailers) tailer.live = named.has(tailer);
    // A finished file no glob finds any more is forgotten once it is gone from its path. One still
    // there keeps its entry: globs changed for one run must not make the next run read it twice.
    for (const [key, { entry }] of this.finished) {
      if (seen.has(key)) continue;
      const there = observePath(entry.path);
      if (there && inodeKey(there) === key) continue;
      this.finished.delete(key);
      this.registry.remove(entry);
    }
    for (const key of this.copies) if (!seen.has(key)) this.copies.delete(key);
    this.firstScan = false;
  }

  /** Says once, at start, that a glob names no file yet (often a typo in LOUPE_SHIPPER_PATHS, or a folder not made yet). */
  private noMatch(glob: Glob): void {
    const folder = existsSync(glob.base) ? '' : ` (the folder ${glob.base} does not exist)`;
    this.log.info(`No file matches ${glob.pattern} yet${folder}: it is looked for again every ${this.config.scanMs} ms; check LOUPE_SHIPPER_PATHS if files are expected there`, { 'log.file.path': glob.pattern });
  }

  private rename(entry: FileEntry, path: string): void {
    if (entry.path === path) return;
    entry.path = path;
    this.registry.changed();
  }

  /**
   * The file of `tailer` got shorter or was overwritten: when a copy of it exists (copy-
   * truncate), reading goes on there from the same byte; either way the truncated file
   * starts over as a new file.
   */
  truncated(tailer: FileTailer, batch: BulkBatch): void {
    const path = tailer.entry.path;
    const taken = new Set(this.tailers.map((t) => inodeKey(t.entry)));
    const copy = findCopy(tailer.entry, tailer.bytesRead, taken);
    if (copy) {
      this.log.info(`${path} was copied to ${copy.observation.path} and truncated: reading on from the copy at byte ${tailer.bytesRead}`);
      tailer.switchTo(copy.fd, copy.observation);
      this.copies.delete(inodeKey(copy.observation));
    } else {
      this.log.warn(`${path} was truncated and no copy of it was found: lines written after byte ${tailer.bytesRead} before the truncation are lost`, { 'log.file.path': path });
      tailer.finish(batch);
    }
    tailer.live = false;
    this.startOver(path, tailer.entry.generation + 1, tailer.entry.parser);
  }

  /** Forgets closed files. */
  sweep(): void {
    for (let i = this.tailers.length - 1; i >= 0; i--) {
      const tailer = this.tailers[i]!;
      if (!tailer.closed) continue;
      this.tailers.splice(i, 1);
      if (tailer.entry.finished) this.keepFinished(tailer.entry);
      else this.registry.remove(tailer.entry);
    }
  }

  /** Remembers a finished file while it is still there (found by inode in its folder), so no glob reads it twice. */
  private keepFinished(entry: FileEntry): void {
    const file = findRenamed(entry);
    if (!file) {
      this.registry.remove(entry);
      return;
    }
    closeSync(file.fd);
    if (entry.path !== file.observation.path) {
      entry.path = file.observation.path;
      this.registry.changed();
    }
    // Its offset, not its size: a file that grew while the shipper was stopped is read on from there at the next scan.
    this.finished.set(inodeKey(entry), { entry, size: entry.offset });
  }

  close(): void {
    for (const tailer of this.tailers) tailer.close();
  }

  /** A file a glob names that no open tailer reads: a known file, a copy of one, or a new file. */
  private consider(path: string, parser: ParserName | undefined): FileTailer | undefined {
    const file = openFile(path);
    if (!file) {
      // Gone since the glob listed it: nothing to say.
      if (!observePath(path)) {
        this.unreadable.delete(path);
        return undefined;
      }
      if (!this.unreadable.has(path)) this.log.warn(`Cannot open ${path} (no read permission?): its lines are not shipped until it can be read`, { 'log.file.path': path });
      this.unreadable.add(path);
      return undefined;
    }
    this.unreadable.delete(path);
    const key = inodeKey(file.observation);
    const known = this.registry.entries().find((entry) => isSameFile(file, entry));
    if (known?.finished && file.observation.size <= known.offset) {
      this.finished.set(key, { entry: known, size: file.observation.size });
      closeSync(file.fd);
      return undefined;
    }
    if (known) {
      this.finished.delete(key);
      known.finished = false;
      known.path = path;
      return this.open(known, file);
    }
    if (this.isCopy(file)) {
      this.copies.add(key);
      closeSync(file.fd);
      return undefined;
    }
    const previous = this.registry.entries().filter((entry) => inodeKey(entry) === key);
    for (const entry of previous) this.registry.remove(entry);
    const generation = previous.reduce((highest, entry) => Math.max(highest, entry.generation + 1), 0);
    return this.start(path, file, parser ?? defaultParserFor(path, this.config.workshopLogDir), generation);
  }

  /** Whether a file is a copy of one being read from another inode: named after it, starting with its fingerprinted bytes. */
  private isCopy(file: OpenFile): boolean {
    return this.tailers.some((tailer) => {
      const entry = tailer.entry;
      return entry.fingerprintBytes > 0 && file.observation.path.startsWith(entry.path) && file.observation.size >= entry.fingerprintBytes
        && matchesFingerprint(file.fd, { hash: entry.fingerprint, bytes: entry.fingerprintBytes });
    });
  }

  private startOver(path: string, generation: number, parser: ParserName): void {
    const file = openFile(path);
    if (!file) return;
    const key = inodeKey(file.observation);
    if (this.tailers.some((tailer) => inodeKey(tailer.entry) === key && !tailer.finishing)) {
      closeSync(file.fd);
      return;
    }
    this.start(path, file, parser, generation, 0);
  }

  /** Starts reading a file not seen before: from its start, or from its end when LOUPE_SHIPPER_START_AT=end and the shipper just started. */
  private start(path: string, file: OpenFile, parser: ParserName, generation: number, from?: number): FileTailer {
    const { observation, fd } = file;
    const fingerprint = fingerprintOf(fd, observation.size);
    const offset = from ?? (this.firstScan && this.config.startAt === 'end' ? endOfLastLine(fd, observation.size) : 0);
    const entry: FileEntry = {
      fileId: fileIdOf(observation, fingerprint, generation),
      path, dev: observation.dev, ino: observation.ino, birthtimeNs: observation.birthtimeNs, generation,
      fingerprint: fingerprint.hash, fingerprintBytes: fingerprint.bytes,
      parser, service: serviceFromPath(path, this.config.workshopLogDir),
      offset, carriedTs: Date.now(), carriedFromLine: false, cuts: [], stamps: [], stampedUntil: offset, finished: false,
    };
    this.registry.add(entry);
    if (startsUtf16(fd)) {
      this.log.warn(`${path} starts with a UTF-16 byte-order mark: the shipper reads UTF-8 (or Latin-1) text, so its lines are shipped garbled; convert it, e.g. iconv -f UTF-16 -t UTF-8`, { 'log.file.path': path });
    }
    return this.open(entry, file);
  }

  private open(entry: FileEntry, file: OpenFile): FileTailer {
    Object.assign(entry, { dev: file.observation.dev, ino: file.observation.ino });
    const tailer = new FileTailer(entry, file.fd, this.registry, this.config);
    this.tailers.push(tailer);
    return tailer;
  }
}

/** Whether a file begins with a UTF-16 byte-order mark (FF FE or FE FF). */
function startsUtf16(fd: number): boolean {
  const head = Buffer.alloc(2);
  try {
    if (readSync(fd, head, 0, 2, 0) < 2) return false;
  } catch {
    return false;
  }
  return (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
}
