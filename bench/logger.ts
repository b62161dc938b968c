// `npm run bench -- logger`: nanoseconds per line for raw pino against the Loupe logger
// (masking off, masking on) for a typical R5 event and a 200-character free-text message.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createLogger, type Logger } from '@loupe/log';
import { machineLine, nsPerCall } from './baseline.js';

const ITERATIONS = 300_000;
let bytes = 0;
// Caller-side figures: every variant writes to the same no-op destination, so they are the logger's own CPU cost.
const destination = { write: (line: string) => { bytes += line.length; } };

const event = { orderId: 'ORD-2026-001042', customerId: 'CUS-000731', from: 'PRICE_CALCULATING', to: 'PRICE_QUOTED' };
const pinoEvent = { 'order.id': event.orderId, 'customer.id': event.customerId, 'order.previous_status': event.from, 'order.status': event.to, 'event.action': 'order-status-changed' };
const eventMessage = `Order ${event.orderId} status changed from ${event.from} to ${event.to}`;
const freeText = 'Operator note on ORD-2026-001042: customer asked to change the ring size from 17 to 17.5 and to deliver to the office; call back after 14:00, duration 152ms, retry 2 of 3 ok.';
const freeTextWithPii = 'Operator note on ORD-2026-001042: customer Anna asked to call +7 (912) 345-67-89 or write to anna.petrova@mail.ru about ring size 17.5; call back after 14:00 ok.';

function callerSide(): Array<[string, number, string]> {
  const raw = pino({}, destination);
  const plain = createLogger({ service: 'mes-api', destination, mask: false });
  const masked = createLogger({ service: 'mes-api', destination, mask: true });
  return [
    ['raw pino, R5 event', nsPerCall(() => raw.info(pinoEvent, eventMessage), ITERATIONS), 'event'],
    ['loupe, masking off, R5 event', nsPerCall(() => plain.orderStatusChanged(event), ITERATIONS), 'event'],
    ['loupe, masking on, R5 event', nsPerCall(() => masked.orderStatusChanged(event), ITERATIONS), 'event'],
    ['raw pino, 200-char message', nsPerCall(() => raw.info(freeText), ITERATIONS), 'text'],
    ['loupe, masking off, 200-char message', nsPerCall(() => plain.info(freeText), ITERATIONS), 'text'],
    ['loupe, masking on, 200-char message', nsPerCall(() => masked.info(freeText), ITERATIONS), 'text'],
    ['loupe, masking on, 200-char message with PII', nsPerCall(() => masked.info(freeTextWithPii), ITERATIONS), 'text'],
  ];
}

/** Through real files: request-thread ns/line, then lines/s until the writer thread has written (and masked) everything. */
async function throughFiles(label: string, make: (dir: string) => { write: () => void; close: () => Promise<void> }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
  const target = make(dir);
  const lines = 200_000;
  const start = performance.now();
  for (let i = 0; i < lines; i++) target.write();
  const callerMs = performance.now() - start;
  await target.close();
  const totalMs = performance.now() - start;
  rmSync(dir, { recursive: true, force: true });
  return `${label.padEnd(46)} ${((callerMs * 1e6) / lines).toFixed(0).padStart(6)} ns/line on the request thread, ${Math.round(lines / (totalMs / 1000)).toLocaleString('en')} lines/s written`;
}

function closeable(logger: Logger) {
  return () => logger.close();
}

console.log(`logger benchmark — ${await machineLine()}`);
const rows = callerSide();
const baseline = (kind: string) => rows.find(([, , k]) => k === kind)![1];
console.log('Caller side (no-op destination; masking in the calling thread):');
for (const [label, ns, kind] of rows) console.log(`  ${label.padEnd(46)} ${ns.toFixed(0).padStart(6)} ns/line   ${(ns / baseline(kind)).toFixed(2)}× raw pino`);

console.log('To files through the writer thread (Loupe masks there, off the request thread):');
console.log(`  ${await throughFiles('raw pino (pino/file transport), 200-char message', (dir) => {
  const transport = pino.transport({ target: 'pino/file', options: { destination: join(dir, 'raw.log') } });
  const raw = pino({}, transport);
  return { write: () => raw.info(freeTextWithPii), close: () => new Promise<void>((resolve) => { transport.once('finish', resolve); transport.end(); }) };
})}`);
console.log(`  ${await throughFiles('loupe, masking on, 200-char message with PII', (dir) => {
  const log = createLogger({ service: 'mes-api', stdout: false, file: { dir } });
  return { write: () => log.info(freeTextWithPii), close: closeable(log) };
})}`);
console.log(`  ${await throughFiles('loupe, masking on, R5 event', (dir) => {
  const log = createLogger({ service: 'mes-api', stdout: false, file: { dir } });
  return { write: () => log.orderStatusChanged(event), close: closeable(log) };
})}`);
if (bytes === 0) throw new Error('nothing was written');
