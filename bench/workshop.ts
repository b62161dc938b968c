// `npm run bench -- workshop [orders] [rounds]`: Shop API request latency (p50, p99) and orders per
// second with logging on (files, masked in the writer thread) against logging off (level fatal),
// on PGlite and the embedded queue in this process; then points to `-- stl` for the model analysis.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, startWorkshop } from '@loupe/workshop';
import { machineLine } from './baseline.js';

const orders = Number(process.argv[2] ?? 1500);
const concurrency = 8;

interface RunResult {
  p50: number;
  p99: number;
  ordersPerSecond: number;
  /** Processor time per order over all threads (the writer threads included), in ms. */
  cpuMsPerOrder: number;
}

async function run(logging: boolean): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-workshop-'));
  const workshop = await startWorkshop({ dataDir: dir, stdout: false, logLevel: logging ? 'info' : 'fatal', passwordHashing: { cost: 1024 }, heartbeatIntervalMs: 60_000 });
  try {
    const shop = new ApiClient(workshop.urls.shop);
    await shop.call('POST', '/customers', { json: { email: 'bench@example.ru', password: 'bench-password-1', name: 'Bench Customer' } });
    await shop.login('bench@example.ru', 'bench-password-1');
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next++ < orders) {
        const begin = performance.now();
        const response = await shop.call('POST', '/orders', { json: { product: 'ring', metal: 'gold-585', ringSizeMm: 17 } });
        if (response.status !== 201) throw new Error(`order failed: ${response.status}`);
        latencies.push(performance.now() - begin);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    latencies.sort((a, b) => a - b);
    return {
      p50: latencies[Math.floor(latencies.length / 2)]!,
      p99: latencies[Math.floor(latencies.length * 0.99)]!,
      ordersPerSecond: orders / seconds,
      cpuMsPerOrder: (cpu.user + cpu.system) / 1000 / orders,
    };
  } finally {
    await workshop.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`workshop benchmark — ${await machineLine()}`);
console.log(`  ${orders} POST /orders on the Shop API, ${concurrency} in flight, PGlite + embedded queue`);
// Rounds of one run each way, the order alternating (off-on, on-off, …) so a drift in the shared
// machine's load hits both alike; the cost is taken within each round, then the median over rounds.
const roundCount = Number(process.argv[3] ?? 7);
await run(false);
const rounds: Array<{ off: RunResult; on: RunResult }> = [];
for (let round = 0; round < roundCount; round++) {
  if (round % 2 === 0) {
    const off = await run(false);
    rounds.push({ off, on: await run(true) });
  } else {
    const on = await run(true);
    rounds.push({ off: await run(false), on });
  }
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const spread = (values: number[], digits = 0) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
for (const key of ['off', 'on'] as const) {
  const results = rounds.map((r) => r[key]);
  const [p50, p99, perSecond, cpu] = [results.map((r) => r.p50), results.map((r) => r.p99), results.map((r) => r.ordersPerSecond), results.map((r) => r.cpuMsPerOrder)];
  console.log(
    `  logging ${key.padEnd(3)}  p50 ${median(p50).toFixed(1)} ms (${spread(p50, 1)}), p99 ${median(p99).toFixed(1)} ms (${spread(p99, 1)}), ` +
      `${median(perSecond).toFixed(0)} orders/s (${spread(perSecond)}), CPU ${median(cpu).toFixed(2)} ms/order (${spread(cpu, 2)})`,
  );
}
const cpuCosts = rounds.map((r) => ((r.on.cpuMsPerOrder - r.off.cpuMsPerOrder) / r.off.cpuMsPerOrder) * 100);
console.log(`  logging adds ${median(cpuCosts).toFixed(1)}% processor time per order, all threads (rounds: ${cpuCosts.map((c) => c.toFixed(1)).join(', ')})`);
const costs = rounds.map((r) => ((r.off.ordersPerSecond - r.on.ordersPerSecond) / r.off.ordersPerSecond) * 100);
console.log(`  logging costs ${median(costs).toFixed(1)}% of throughput, median of ${roundCount} rounds (rounds: ${costs.map((c) => c.toFixed(1)).join(', ')}; goal ≤ 10%)`);
console.log('  STL analysis: npm run bench -- stl');
