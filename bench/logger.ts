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
// What a caller of raw pino writes for the same event: the fields and the message, built per line.
const rawPinoEvent = (e: typeof event) => raw.info(
  { 'event.action': 'order-status-changed', 'order.id': e.orderId, 'customer.id': e.customerId, 'order.previous_status': e.from, 'order.status': e.to },
  `Order ${e.orderId} status changed from ${e.from} to ${e.to}`,
);
const freeText = 'Operator note on ORD-2026-001042: customer asked to change the ring size from 17 to 17.5 and to deliver to the office; call back after 14:00, duration 152ms, retry 2 of 3 ok.';
const freeTextWithPii = 'Operator note on ORD-2026-001042: customer Anna asked to call +7 (912) 345-67-89 or write to anna.petrova@mail.ru about ring size 17.5; call back after 14:00 ok.';

const raw = pino({}, destination);

/**
 * Every variant in turn, round after round, keeping each one's fastest round: measured one
 * after the other, whichever runs first meets a cleaner heap and looks faster.
 */
function callerSide(): Array<[string, number, string]> {
  const plain = createLogger({ service: 'mes-api', destination, mask: false });
  const masked = createLogger({ service: 'mes-api', destination, mask: true });
  const variants: Array<[string, () => void, string]> = [
    ['raw pino, R5 event', () => rawPinoEvent(event), 'event'],
    ['loupe, masking off, R5 event', () => plain.orderStatusChanged(event), 'event'],
    ['loupe, masking on, R5 event', () => masked.orderStatusChanged(event), 'event'],
    ['raw pino, 200-char message', () => raw.info(freeText), 'text'],
    ['loupe, masking off, 200-char message', () => plain.info(freeText), 'text'],
    ['loupe, masking on, 200-char message', () => masked.info(freeText), 'text'],
    ['loupe, masking on, 200-char message with PII', () => masked.info(freeTextWithPii), 'text'],
  ];
  const best = variants.map(() => Infinity);
  for (let round = 0; round < 8; round++) {
    variants.forEach(([, fn], i) => {
      best[i] = Math.min(best[i]!, nsPerCall(fn, ITERATIONS / 8));
    });
  }
  return variants.map(([label, , kind], i) => [label, best[i]!, kind]);
}

/**
 * Through real files, as services run: request-thread ns/line over bursts of 10,000 lines
 * (the fastest of five, each written once the writer has caught up), then lines/s until the
 * writer thread has written (and, for Loupe, masked) a 100,000-line run.
 */
async function throughFiles(label: string, make: (dir: string) => { write: () => void; flush: () => Promise<void>; close: () => Promise<void> }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
  const target = make(dir);
  let best = Infinity;
  for (let burst = 0; burst < 6; burst++) {
    const start = performance.now();
    for (let i = 0; i < 10_000; i++) target.write();
    const ns = ((performance.now() - start) * 1e6) / 10_000;
    await target.flush();
    if (burst > 0) best = Math.min(best, ns);
  }
  const start = performance.now();
  for (let i = 0; i < 100_000; i++) target.write();
  await target.close();
  const linesPerSecond = 100_000 / ((performance.now() - start) / 1000);
  rmSync(dir, { recursive: true, force: true });
  return `${label.padEnd(50)} ${best.toFixed(0).padStart(6)} ns/line on the request thread, ${Math.round(linesPerSecond).toLocaleString('en')} lines/s written`;
}

function loupeTarget(logger: Logger, write: () => void) {
  return { write, flush: () => logger.flush(), close: () => logger.close() };
}

console.log(`logger benchmark — ${await machineLine()}`);
const rows = callerSide();
const baseline = (kind: string) => rows.find(([, , k]) => k === kind)![1];
console.log('Caller side (no-op destination; masking in the calling thread):');
for (const [label, ns, kind] of rows) console.log(`  ${label.padEnd(46)} ${ns.toFixed(0).padStart(6)} ns/line   ${(ns / baseline(kind)).toFixed(2)}× raw pino`);
const nsOf = (label: string) => rows.find(([l]) => l === label)![1];
for (const kind of ['R5 event', '200-char message']) {
  const cost = nsOf(`loupe, masking on, ${kind}`) - nsOf(`loupe, masking off, ${kind}`);
  console.log(`  masking's own cost, ${kind.padEnd(27)} ${cost.toFixed(0).padStart(6)} ns/line   ${(cost / nsOf(`raw pino, ${kind}`)).toFixed(2)}× a raw pino line`);
}

console.log('To files through the writer thread (Loupe masks there, off the request thread):');
console.log(`  ${await throughFiles('raw pino (pino/file transport), message with PII', (dir) => {
  const transport = pino.transport({ target: 'pino/file', options: { destination: join(dir, 'raw.log') } });
  const rawToFile = pino({}, transport);
  return {
    write: () => rawToFile.info(freeTextWithPii),
    flush: () => new Promise<void>((resolve, reject) => rawToFile.flush((error) => (error ? reject(error) : resolve()))),
    close: () => new Promise<void>((resolve) => { transport.once('finish', resolve); transport.end(); }),
  };
})}`);
console.log(`  ${await throughFiles('raw pino (pino/file transport), R5 event', (dir) => {
  const transport = pino.transport({ target: 'pino/file', options: { destination: join(dir, 'raw.log') } });
  const rawToFile = pino({}, transport);
  return {
    write: () => rawToFile.info({ 'event.action': 'order-status-changed', 'order.id': event.orderId, 'customer.id': event.customerId, 'order.previous_status': event.from, 'order.status': event.to }, `Order ${event.orderId} status changed from ${event.from} to ${event.to}`),
    flush: () => new Promise<void>((resolve, reject) => rawToFile.flush((error) => (error ? reject(error) : resolve()))),
    close: () => new Promise<void>((resolve) => { transport.once('finish', resolve); transport.end(); }),
  };
})}`);
console.log(`  ${await throughFiles('loupe, masking on, 200-char message with PII', (dir) => {
  const log = createLogger({ service: 'mes-api', stdout: false, file: { dir } });
  return loupeTarget(log, () => log.info(freeTextWithPii));
})}`);
console.log(`  ${await throughFiles('loupe, masking on, R5 event', (dir) => {
  const log = createLogger({ service: 'mes-api', stdout: false, file: { dir } });
  return loupeTarget(log, () => log.orderStatusChanged(event));
})}`);
if (bytes === 0) throw new Error('nothing was written');
