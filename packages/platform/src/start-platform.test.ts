import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { takenPort } from '@loupe/schema';
import { createLogger, MemoryDestination } from '@loupe/log';
import { loadPlatformConfig } from './config.js';
import { startPlatform } from './start-platform.js';

test('a platform port already taken stops the start naming the address and LOUPE_PLATFORM_PORT to set, instead of a bare listen EADDRINUSE', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'loupe-platform-port-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const port = await takenPort(t);
  const log = createLogger({ service: 'loupe-platform', destination: new MemoryDestination() });
  await assert.rejects(startPlatform(loadPlatformConfig({ LOUPE_DATA_DIR: dataDir, LOUPE_PLATFORM_PORT: String(port) }), log), {
    message: `The platform's port 127.0.0.1:${port} is in use (another Loupe platform, or another program): stop it, or set LOUPE_PLATFORM_PORT to another port (0 picks a free one)`,
  });
});
