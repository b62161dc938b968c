// `npm run bench -- mask`: nanoseconds per call of maskText for a clean 200-character message
// and for one with an e-mail and a phone, against String.prototype.includes over the same text
// (the least any scan can cost) and against one pass of a one-class regex over it (what a
// regex-based masker pays per pattern); and of maskRecord for a typical R5 record, against
// JSON.stringify of that record, which the logger does to every line anyway.
import { F } from '@loupe/schema';
import { maskRecord, maskText } from '@loupe/log';
import { machineLine, nsPerCall } from './baseline.js';

const ITERATIONS = 200_000;
const RUNS = 5;
let sink = 0;

// The median of a few runs, so one burst of load on a shared machine does not set the figure.
function medianNsPerCall(fn: () => void): number {
  const runs = Array.from({ length: RUNS }, () => nsPerCall(fn, ITERATIONS)).sort((a, b) => a - b);
  return runs[Math.floor(RUNS / 2)]!;
}

const clean = 'Order ORD-2026-000123 status changed from PRICE_CALCULATING to IN_PRODUCTION by operator op-17 after 152ms; GET /api/orders/ORD-2026-000123 -> 200 in 1.5s, trace 4bf92f3577b34da6a3ce929d0e0e4736';
const cleanRussian = 'Заказ ORD-2026-000123 передан в производство оператором op-17 за 152ms: модель проверена, стоимость рассчитана, статус IN_PRODUCTION, уведомление отправлено, trace 4bf92f3577b34da6a3ce929d0e0e4736';
const withPii = 'Customer asked to confirm order ORD-2026-000123 by e-mail anna.petrova@mail.ru or by phone +7 (912) 345-67-89 before the price of 12 500.00 RUB is fixed; operator op-17 will call back today.';
const record = {
  [F.timestamp]: '2026-11-21T10:15:30.123Z',
  [F.level]: 'info',
  [F.service]: 'crm-api',
  [F.message]: 'Order ORD-2026-000123 status changed from NEW to PRICE_CALCULATING',
  [F.action]: 'order-status-changed',
  [F.orderId]: 'ORD-2026-000123',
  [F.customerId]: 'CUST-00042',
  [F.orderPreviousStatus]: 'NEW',
  [F.orderStatus]: 'PRICE_CALCULATING',
  [F.traceId]: '4bf92f3577b34da6a3ce929d0e0e4736',
  [F.spanId]: '00f067aa0ba902b7',
};

// A character class that no sample contains, so the regex reads the whole text, as a clean scan does.
const onePass = /[~^|]/;
const texts: Array<[string, string]> = [['clean message', clean], ['clean Russian message', cleanRussian], ['message with e-mail and phone', withPii]];

console.log(`mask benchmark — ${await machineLine()}`);
console.log(`sample with PII masks to: ${maskText(withPii)}`);
for (const [label, text] of texts) {
  const includes = medianNsPerCall(() => { sink += text.includes('@') ? 1 : 0; });
  const regexPass = medianNsPerCall(() => { sink += onePass.test(text) ? 1 : 0; });
  const ns = medianNsPerCall(() => { sink += maskText(text).length; });
  console.log(`maskText, ${`${label} (${text.length} chars)`.padEnd(44)} ${ns.toFixed(0).padStart(6)} ns/call   ${(ns / includes).toFixed(0)}× includes (${includes.toFixed(0)} ns), ${(ns / regexPass).toFixed(1)}× one regex pass (${regexPass.toFixed(0)} ns)`);
}
const stringify = medianNsPerCall(() => { sink += JSON.stringify(record).length; });
const masked = medianNsPerCall(() => { sink += Object.keys(maskRecord(record)).length; });
console.log(`maskRecord, R5 order-status-changed (${Object.keys(record).length} fields)`.padEnd(62), `${masked.toFixed(0).padStart(6)} ns/call   ${(masked / stringify).toFixed(2)}× JSON.stringify (${stringify.toFixed(0)} ns)`);
if (sink === 0) throw new Error('the benchmark computed nothing');
