import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BulkBatch } from '../bulk-batch.js';
import { fileIdOf, fingerprintOf, observeDescriptor } from '../file-identity.js';
import { FileTailer } from '../file-tailer.js';
import { Registry, type FileEntry } from '../registry.js';
import { defaultParserFor, serviceFromPath, type ParserName } from './index.js';

const testdata = fileURLToPath(new URL('../../testdata/', import.meta.url));
const levels = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
/** The fields a golden file pins down. */
const goldenFields = ['@timestamp', 'log.level', 'service.name', 'message', 'process.pid', 'user.name', 'postgresql.log.database', 'rabbitmq.log.pid', 'tags'];

/** Runs a file through the shipper's reading path (splitter, multi-line assembler, parser) and returns the `_bulk` pairs it builds. */
function shipFile(path: string, parser: ParserName): Array<{ id: string; document: Record<string, unknown> }> {
  const state = mkdtempSync(join(tmpdir(), 'loupe-parsers-'));
  try {
    const fd = openSync(path, 'r');
    const observation = observeDescriptor(fd, path);
    const fingerprint = fingerprintOf(fd, observation.size);
    const entry: FileEntry = {
      fileId: fileIdOf(observation, fingerprint, 0), path, dev: observation.dev, ino: observation.ino, birthtimeNs: observation.birthtimeNs,
      generation: 0, fingerprint: fingerprint.hash, fingerprintBytes: fingerprint.bytes, parser, service: 'golden',
      offset: 0, carriedTs: Date.UTC(2026, 10, 21), carriedFromLine: false, cuts: [], stamps: [], stampedUntil: 0, finished: false,
    };
    const tailer = new FileTailer(entry, fd, Registry.open(state), { maxLineBytes: 1_000_000, multilineWaitMs: 0, closeInactiveMs: 0 });
    const batch = new BulkBatch(1 << 20);
    const scratch = Buffer.allocUnsafe(4 << 20);
    while (tailer.read(scratch, batch, scratch.length) > 0);
    tailer.finish(batch);
    tailer.close();
    const lines = batch.seal().body.toString('utf8').split('\n').slice(0, -1);
    const pairs = [];
    for (let i = 0; i < lines.length; i += 2) {
      pairs.push({ id: (JSON.parse(lines[i]!) as { create: { _id: string } }).create._id, document: JSON.parse(lines[i + 1]!) as Record<string, unknown> });
    }
    return pairs;
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

function golden(document: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(goldenFields.filter((field) => document[field] !== undefined).map((field) => [field, document[field]]));
}

/** Compares with `<name>.expected.json`; LOUPE_UPDATE_GOLDEN=1 writes it instead (review the diff). */
function assertGolden(name: string, parser: ParserName): void {
  const actual = shipFile(join(testdata, name), parser).map((pair) => golden(pair.document));
  const expectedPath = join(testdata, `${name}.expected.json`);
  if (process.env.LOUPE_UPDATE_GOLDEN) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
  assert.deepEqual(actual, JSON.parse(readFileSync(expectedPath, 'utf8')));
}

test('R23 PostgreSQL server log lines are parsed into timestamp, level, message, pid, user and database; tab-indented statements and DETAIL/STATEMENT lines join their event', () => {
  assertGolden('postgresql-15-main.log', 'postgresql');
});

test('R23 RabbitMQ server log lines are parsed into timestamp, level and message; a message spread over lines with the same prefix is one event', () => {
  assertGolden('rabbit@localhost.log', 'rabbitmq');
});

test('R23 plain text: a stack trace (indented, "at …", "Caused by", "... 3 more") joins the line before it; a leading timestamp and level are read', () => {
  assertGolden('java-service.log', 'plain');
});

test('R23 plain text without timestamps: one event per line, stack trace lines joined, each event stamped with the time it was read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-parsers-plain-'));
  try {
    const text = [
      'Server listening on 8080',
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
      'at Object.<anonymous> (/srv/app.js:3:1)',
      'Caused by: the database is still starting',
      '',
      'retrying in 5 s',
    ].join('\n');
    writeFileSync(join(dir, 'stderr.log'), `${text}\n`);
    const before = Date.now();
    const events = shipFile(join(dir, 'stderr.log'), 'plain').map((pair) => pair.document);
    assert.deepEqual(events.map((event) => event.message), [
      'Server listening on 8080',
      'Error: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)\nat Object.<anonymous> (/srv/app.js:3:1)\nCaused by: the database is still starting',
      'retrying in 5 s',
    ]);
    for (const event of events) assert.ok(Date.parse(String(event['@timestamp'])) >= before - 1000, `stamped ${String(event['@timestamp'])}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('R23 PostgreSQL and RabbitMQ logs are recognised by their file names; workshop *.log files are JSON lines; anything else is plain text', () => {
  assert.equal(defaultParserFor('/var/log/postgresql/postgresql-15-main.log', '/srv/data/logs'), 'postgresql');
  assert.equal(defaultParserFor('/var/log/postgresql/postgresql-15-main.log.1', '/srv/data/logs'), 'postgresql');
  assert.equal(defaultParserFor('/var/log/rabbitmq/rabbit@localhost.log', '/srv/data/logs'), 'rabbitmq');
  assert.equal(defaultParserFor('/srv/data/logs/mes-api/mes-api.log', '/srv/data/logs'), 'json');
  assert.equal(defaultParserFor('/srv/data/logs/mes-api/mes-api.log.3', '/srv/data/logs'), 'json');
  assert.equal(defaultParserFor('/var/log/nginx/access.log', '/srv/data/logs'), 'plain');
});

test('R23 a text file outside the workshop folders is named for its file, without extension or rotation suffix', () => {
  assert.equal(serviceFromPath('/srv/data/logs/mes-api/mes-api.log.3', '/srv/data/logs'), 'mes-api');
  assert.equal(serviceFromPath('/var/log/nginx/access.log.2', '/srv/data/logs'), 'access');
  assert.equal(serviceFromPath('/opt/app/notes.txt', '/srv/data/logs'), 'notes');
  assert.equal(serviceFromPath('/opt/tomcat/logs/catalina.out', '/srv/data/logs'), 'catalina');
  assert.equal(serviceFromPath('/var/log/rabbitmq/rabbit@localhost.log', '/srv/data/logs'), 'rabbit@localhost');
});

test('R23 a PostgreSQL or RabbitMQ line that does not follow the format is shipped as plain text tagged _parse_failure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-parsers-bad-'));
  try {
    writeFileSync(join(dir, 'pg.log'), 'pg_ctl: could not start server\n2026-11-22 01:31:45.900 UTC [2194] LOG:  ready\n');
    const [failed, parsed] = shipFile(join(dir, 'pg.log'), 'postgresql').map((pair) => pair.document);
    assert.deepEqual([failed!.tags, failed!.message, failed!['service.name']], [['_parse_failure'], 'pg_ctl: could not start server', 'postgresql']);
    assert.deepEqual([parsed!['log.level'], parsed!.message, parsed!.tags], ['info', 'ready', undefined]);
    writeFileSync(join(dir, 'rabbit.log'), '=INFO REPORT==== 21-Nov-2026::10:00:00 ===\n');
    assert.deepEqual(shipFile(join(dir, 'rabbit.log'), 'rabbitmq')[0]!.document.tags, ['_parse_failure']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** This machine's own server logs, when it has them and we may read them. */
function liveLogs(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => join(dir, name)).filter((path) => {
    if (!pattern.test(path) || statSync(path).size === 0) return false;
    try {
      accessSync(path, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const live = [...liveLogs('/var/log/postgresql', /postgresql-[^/]*\.log$/), ...liveLogs('/var/log/rabbitmq', /rabbit[^/]*\.log$/)];

test('R23 the live PostgreSQL and RabbitMQ logs of this machine parse without a failure: every event has a timestamp, a level and a message', { skip: live.length === 0 && 'no readable server logs in /var/log/postgresql or /var/log/rabbitmq' }, () => {
  for (const path of live) {
    const events = shipFile(path, defaultParserFor(path, '/nonexistent'));
    assert.ok(events.length > 0, `${path} gave no events`);
    for (const { id, document } of events) {
      const where = `${path} event ${id}`;
      assert.equal(document.tags, undefined, `${where} failed to parse: ${String(document.message).slice(0, 200)}`);
      assert.ok(levels.has(String(document['log.level'])), `${where} has level ${String(document['log.level'])}`);
      assert.ok(Number.isFinite(Date.parse(String(document['@timestamp']))), `${where} has no timestamp`);
      assert.equal(typeof document.message, 'string', `${where} has no message`);
    }
  }
});
