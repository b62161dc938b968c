import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulkBatch } from './bulk-batch.js';
import { fileIdOf, fingerprintOf, observeDescriptor } from './file-identity.js';
import { FileTailer } from './file-tailer.js';
import type { ParserName } from './parsers/index.js';
import { Registry, type FileEntry } from './registry.js';

const options = { maxLineBytes: 1_000_000, multilineWaitMs: 0, closeInactiveMs: 60_000 };

function newEntry(path: string, fd: number, parser: ParserName): FileEntry {
  const observation = observeDescriptor(fd, path);
  const fingerprint = fingerprintOf(fd, observation.size);
  return {
    fileId: fileIdOf(observation, fingerprint, 0), path, dev: observation.dev, ino: observation.ino, birthtimeNs: observation.birthtimeNs,
    generation: 0, fingerprint: fingerprint.hash, fingerprintBytes: fingerprint.bytes, parser, service: 'replay',
    // Discovered a while ago: the first event without a timestamp gets a read-time stamp.
    offset: 0, carriedTs: Date.now() - 60_000, carriedFromLine: false, cuts: [], stamps: [], stampedUntil: 0, finished: false,
  };
}

/** Reads everything the file has now, then lets it go quiet (a multi-line event at the end is sent, with a cut). */
function readAll(tailer: FileTailer): Buffer {
  const batch = new BulkBatch(1 << 16);
  const scratch = Buffer.allocUnsafe(1 << 20);
  while (tailer.read(scratch, batch, scratch.length) > 0);
  tailer.idle(batch, Date.now());
  return batch.seal().body;
}

test('R23 after a crash, re-reading a file from its registry offset rebuilds byte-identical events: read-time stamps and cuts come back from the registry', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-replay-'));
  try {
    const path = join(dir, 'worker.log');
    writeFileSync(path, 'worker started\nError: queue closed\n    at consume (worker.js:10:3)\n');
    const registry = Registry.open(join(dir, 'state'));
    const fd = openSync(path, 'r');
    const entry = newEntry(path, fd, 'plain');
    registry.add(entry);
    const sent = readAll(new FileTailer(entry, fd, registry, options));
    // The batch left the process (so its decisions were saved first), and then the shipper was killed before any acknowledgement.
    await registry.decisionsDurable();

    // Meanwhile the stack trace went on, and time passed.
    appendFileSync(path, '    at main (worker.js:2:1)\nworker stopped\n');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const reopened = Registry.open(join(dir, 'state'));
    const saved = reopened.get(entry.fileId)!;
    assert.equal(saved.offset, 0, 'nothing was acknowledged');
    const again = readAll(new FileTailer(saved, openSync(path, 'r'), reopened, options));

    assert.ok(again.length > sent.length);
    assert.equal(again.subarray(0, sent.length).toString(), sent.toString(), 'the events sent before the crash come back byte for byte');
    const documents = again.toString().split('\n').filter((_, i) => i % 2 === 1).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(documents.map((document) => document.message), [
      'worker started',
      'Error: queue closed\n    at consume (worker.js:10:3)',
      // The stack trace was sent as it stood when the file went quiet; its later line is an event of its own.
      '    at main (worker.js:2:1)',
      'worker stopped',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
