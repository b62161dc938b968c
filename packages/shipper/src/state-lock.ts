import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process with this id is running (a signal 0 reaches it, or it is another user's), and not a zombie. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !zombie(pid);
}

/**
 * Whether a process has exited but not been reaped by its parent yet (state Z in Linux's
 * /proc): a shipper killed with SIGKILL stays so until its parent waits for it, and must not
 * keep a restarted one out. Elsewhere, no /proc: taken as alive.
 */
function zombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may hold spaces or parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/** Lock files this process holds: a second shipper in the same process is refused too. */
const held = new Set<string>();

/**
 * The shipper's claim on its state directory: two shippers on one registry and disk buffer
 * would overwrite each other's offsets and segments. A `lock` file holds the owner's process
 * id; one left by a process that is gone (killed, crashed) is taken over.
 */
export class StateLock {
  private constructor(private readonly path: string) {}

  static acquire(stateDir: string): StateLock {
    mkdirSync(stateDir, { recursive: true });
    const path = join(stateDir, 'lock');
    for (;;) {
      try {
        writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
        held.add(path);
        return new StateLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = Number.parseInt(readText(path), 10);
      const alive = owner === process.pid ? held.has(path) : Number.isInteger(owner) && owner > 0 && running(owner);
      if (alive) {
        throw new Error(`Another shipper (process ${owner}) is using ${stateDir}: stop it, or give this one another LOUPE_DATA_DIR`);
      }
      // Left by a process that is gone (or an earlier one that had this id), or half written: taken over.
      rmSync(path, { force: true });
    }
  }

  release(): void {
    if (!held.delete(this.path)) return;
    if (readText(this.path).trim() === String(process.pid)) rmSync(this.path, { force: true });
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
