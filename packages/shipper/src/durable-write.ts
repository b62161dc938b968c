import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

let sequence = 0;

/** Makes a directory's entries (a rename, a new or deleted file) survive a power cut. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` with `data` so that after a crash or a power cut it holds either the old
 * or the new content, never a mix: write a temporary file, fsync it, rename it over the
 * target, fsync the directory.
 */
export async function writeFileDurably(path: string, data: Buffer | string): Promise<void> {
  const temporary = `${path}.${process.pid}.${++sequence}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, path);
  fsyncDirectory(dirname(path));
}
