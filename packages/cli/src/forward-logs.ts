import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ForwarderOptions {
  /** `<dataDir>/logs`: one folder per service, `<service>.log` the live file. */
  logDir: string;
  platformUrl: string;
  /** How often files are checked (default 1 s). */
  intervalMs?: number;
  /** Most bytes read from one file per round (default 4 MiB). */
  maxBytesPerRound?: number;
  onError?: (message: string) => void;
}

interface FileState {
  inode: number;
  offset: number;
}

/**
 * The direct path from the workshop's log files to the platform until the shipper lands:
 * reads what each live `<service>.log` gained since the last round and posts it to `_bulk`
 * with an id per file and offset, so a re-sent batch is not stored twice. It keeps offsets in
 * memory only and does not read rotated files: lines written just before a rotation or while
 * it was not running may be missed. The shipper (R23) is what guarantees delivery.
 */
export function startLogForwarder(options: ForwarderOptions): { stop(): Promise<void> } {
  const files = new Map<string, FileState>();
  const maxBytes = options.maxBytesPerRound ?? 4 * 1024 * 1024;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const liveFiles = () => (existsSync(options.logDir) ? readdirSync(options.logDir) : [])
    .map((service) => join(options.logDir, service, `${service}.log`))
    .filter((path) => existsSync(path));

  async function round(): Promise<void> {
    for (const path of liveFiles()) {
      const stat = statSync(path);
      const state = files.get(path);
      // First sight: from the start (ids by inode and offset make a re-send harmless); a new inode or a shorter file: rotated.
      if (!state) {
        files.set(path, { inode: stat.ino, offset: 0 });
        continue;
      }
      if (state.inode !== stat.ino || stat.size < state.offset) Object.assign(state, { inode: stat.ino, offset: 0 });
      if (stat.size === state.offset) continue;
      const length = Math.min(stat.size - state.offset, maxBytes);
      const buffer = Buffer.alloc(length);
      const fd = openSync(path, 'r');
      try {
        readSync(fd, buffer, 0, length, state.offset);
      } finally {
        closeSync(fd);
      }
      const end = buffer.lastIndexOf(10);
      if (end === -1) continue;
      let body = '';
      let lineStart = 0;
      while (lineStart <= end) {
        const lineEnd = buffer.indexOf(10, lineStart);
        if (lineEnd > lineStart) body += `{"create":{"_id":"${stat.ino}:${state.offset + lineStart}"}}\n${buffer.toString('utf8', lineStart, lineEnd)}\n`;
        lineStart = lineEnd + 1;
      }
      const response = await fetch(`${options.platformUrl}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
      if (!response.ok) throw new Error(`the platform answered ${response.status}`);
      state.offset += end + 1;
    }
  }

  const timer = setInterval(() => {
    running = running.then(round).catch((error: unknown) => options.onError?.(`log forwarding paused: ${(error as Error).message}`));
  }, options.intervalMs ?? 1000);
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
      await round().catch(() => undefined);
    },
  };
}
