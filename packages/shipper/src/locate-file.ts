import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { matchesFingerprint, observeDescriptor, observePath, type FileObservation } from './file-identity.js';
import type { FileEntry } from './registry.js';

export interface OpenFile {
  fd: number;
  observation: FileObservation;
}

export function inodeKey(observation: { dev: string; ino: string }): string {
  return `${observation.dev}:${observation.ino}`;
}

/** Opens a file for reading and says what it is; undefined when it is gone or unreadable. */
export function openFile(path: string): OpenFile | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    return undefined;
  }
  return { fd, observation: observeDescriptor(fd, path) };
}

/** Whether an open file is the one an entry describes: same inode, same creation time, same first bytes. */
export function isSameFile(file: OpenFile, entry: FileEntry): boolean {
  const o = file.observation;
  return o.dev === entry.dev && o.ino === entry.ino && o.birthtimeNs === entry.birthtimeNs
    && matchesFingerprint(file.fd, { hash: entry.fingerprint, bytes: entry.fingerprintBytes });
}

function filesBeside(path: string): string[] {
  try {
    return readdirSync(dirname(path)).map((name) => join(dirname(path), name));
  } catch {
    return [];
  }
}

/** The file an entry describes, renamed within its folder (rotation by rename keeps the inode). */
export function findRenamed(entry: FileEntry): OpenFile | undefined {
  for (const path of filesBeside(entry.path)) {
    const observation = observePath(path);
    if (!observation || observation.dev !== entry.dev || observation.ino !== entry.ino) continue;
    const file = openFile(path);
    if (file && isSameFile(file, entry)) return file;
    if (file) closeSync(file.fd);
  }
  return undefined;
}

/**
 * A copy of an entry's file (copy-truncate): another inode in its folder, named after it
 * (`x.log.1`, `x.log-20261121`), starting with the same fingerprinted bytes and at least
 * `minBytes` long. `taken` holds inodes other files are read from.
 */
export function findCopy(entry: FileEntry, minBytes: number, taken: ReadonlySet<string>): OpenFile | undefined {
  if (entry.fingerprintBytes === 0) return undefined;
  const stem = basename(entry.path).replace(/(\.\d+)+$/, '');
  for (const path of filesBeside(entry.path)) {
    const observation = observePath(path);
    if (!observation || !basename(path).startsWith(stem) || observation.size < minBytes) continue;
    if (taken.has(inodeKey(observation)) || (observation.dev === entry.dev && observation.ino === entry.ino)) continue;
    const file = openFile(path);
    if (file && matchesFingerprint(file.fd, { hash: entry.fingerprint, bytes: entry.fingerprintBytes })) return file;
    if (file) closeSync(file.fd);
  }
  return undefined;
}

/** Offset just past the last newline: where reading starts for LOUPE_SHIPPER_START_AT=end. */
export function endOfLastLine(fd: number, size: number): number {
  const step = 65_536;
  const buffer = Buffer.allocUnsafe(step);
  for (let end = size; end > 0; end -= step) {
    const start = Math.max(0, end - step);
    const bytes = readSync(fd, buffer, 0, end - start, start);
    const newline = buffer.subarray(0, bytes).lastIndexOf(10);
    if (newline !== -1) return start + newline + 1;
  }
  return 0;
}
