// `npm run bench -- logger`: nanoseconds per line for raw pino against the Loupe logger
// (masking off, masking on) for a typical R5 event and a 200-character free-text message.
import pino from 'pino';
import { createLogger } from '@loupe/log';
import { machineLine, nsPerCall } from './baseline.js';

const ITERATIONS = 400_000;
let bytes = 0;
// Every variant writes to the same no-op destination, so the figures are the logger's own CPU cost.
const destination = { write: (line: string) => { bytes += line.length; } };

const raw = pino({}, destination);
const plain = createLogger({ service: 'mes-api', destination, mask: false });
const masked = createLogger({ service: 'mes-api', destination, mask: true });

const event = { orderId: 'ORD-2026-001042', customerId: 'CUS-000731', from: 'PRICE_CALCULATING', to: 'PRICE_QUOTED' };
const freeText = 'Operator note on ORD-2026-001042: customer asked to change the ring size from 17 to 17.5 and to deliver to the office; call back after 14:00, duration 152ms, retry 2 of 3 ok.';
const freeTextWithPii = 'Operator note on ORD-2026-001042: customer Anna asked to call +7 (912) 345-67-89 or write to anna.petrova@mail.ru about ring size 17.5; call back after 14:00 ok.';

const rows: Array<[string, number]> = [
  ['raw pino, R5 event', nsPerCall(() => raw.info({ 'order.id': event.orderId, 'customer.id': event.customerId, 'order.previous_status': event.from, 'order.status': event.to, 'event.action': 'order-status-changed' }, `Order ${event.orderId} status changed from ${event.from} to ${event.to}`), ITERATIONS)],
  ['loupe, masking off, R5 event', nsPerCall(() => plain.orderStatusChanged(event), ITERATIONS)],
  ['loupe, masking on, R5 event', nsPerCall(() => masked.orderStatusChanged(event), ITERATIONS)],
  ['raw pino, 200-char message', nsPerCall(() => raw.info(freeText), ITERATIONS)],
  ['loupe, masking off, 200-char message', nsPerCall(() => plain.info(freeText), ITERATIONS)],
  ['loupe, masking on, 200-char message', nsPerCall(() => masked.info(freeText), ITERATIONS)],
  ['loupe, masking on, 200-char message with PII', nsPerCall(() => masked.info(freeTextWithPii), ITERATIONS)],
];

console.log(`logger benchmark — ${await machineLine()}`);
const baseline = (label: string) => rows.find(([name]) => name === label)![1];
for (const [label, ns] of rows) {
  const base = label.includes('R5') ? baseline('raw pino, R5 event') : baseline('raw pino, 200-char message');
  console.log(`${label.padEnd(46)} ${ns.toFixed(0).padStart(6)} ns/line   ${(ns / base).toFixed(2)}× raw pino`);
}
if (bytes === 0) throw new Error('nothing was written');
