import { createHash } from 'node:crypto';
import { fstatSync, readSync, statSync, type BigIntStats } from 'node:fs';

/** How many leading bytes tell two files apart when the inode alone cannot (reuse, copy-truncate). */
export const FINGERPRINT_BYTES = 1024;

/** What stat says about a file: enough to tell whether it is one we know. */
export interface FileObservation {
  path: string;
  dev: string;
  ino: string;
  /** Creation time in ns (statx); a reused inode gets a new one. */
  birthtimeNs: string;
  size: number;
  /** 0 once the file is deleted while we hold it open. */
  nlink: number;
}

export interface Fingerprint {
  /** sha1 of the first `bytes` bytes, hex. */
  hash: string;
  bytes: number;
}

function fromStats(path: string, stats: BigIntStats): FileObservation {
  return { path, dev: String(stats.dev), ino: String(stats.ino), birthtimeNs: String(stats.birthtimeNs), size: Number(stats.size), nlink: Number(stats.nlink) };
}

/** The regular file at `path` now, or undefined when there is none. */
export function observePath(path: string): FileObservation | undefined {
  try {
    const stats = statSync(path, { bigint: true });
    return stats.isFile() ? fromStats(path, stats) : undefined;
  } catch {
    return undefined;
  }
}

/** The file an open descriptor refers to, wherever it now lives (renamed or deleted). */
export function observeDescriptor(fd: number, path: string): FileObservation {
  return fromStats(path, fstatSync(fd, { bigint: true }));
}

/** sha1 of exactly the first `bytes` bytes, or undefined when the file is shorter. */
export function prefixHash(fd: number, bytes: number): string | undefined {
  const buffer = Buffer.allocUnsafe(bytes);
  let read = 0;
  while (read < bytes) {
    const n = readSync(fd, buffer, read, bytes - read, read);
    if (n === 0) return undefined;
    read += n;
  }
  return createHash('sha1').update(buffer).digest('hex');
}

/** The fingerprint of what the file holds now: its first min(size, 1 KiB) bytes. */
export function fingerprintOf(fd: number, size: number): Fingerprint {
  const bytes = Math.min(size, FINGERPRINT_BYTES);
  return { hash: prefixHash(fd, bytes) ?? createHash('sha1').digest('hex'), bytes };
}

/** Whether the file still starts with the bytes a fingerprint was taken of. */
export function matchesFingerprint(fd: number, fingerprint: Fingerprint): boolean {
  return prefixHash(fd, fingerprint.bytes) === fingerprint.hash;
}

/**
 * The name a file's events carry in their ids (`<fileId>:<byte offset>`). It is derived from
 * the file's identity: device, inode, creation time, the fingerprint taken when the file was
 * first seen, and a generation that goes up when the same inode starts over (copy-truncate).
 * So a file read twice (a lost registry, a crash) gives the same ids and the store drops the
 * repeats, while a truncated or reused inode gives new ones.
 */
export function fileIdOf(observation: FileObservation, fingerprint: Fingerprint, generation: number): string {
  const identity = `${observation.dev}:${observation.ino}:${observation.birthtimeNs}:${generation}:${fingerprint.bytes}:${fingerprint.hash}`;
  return createHash('sha1').update(identity).digest('base64url').slice(0, 16);
}
