import { performance } from 'node:perf_hooks';

/** Runs `fn` `iterations` times after a warm-up and returns nanoseconds per call. */
export function nsPerCall(fn: () => void, iterations: number): number {
  for (let i = 0; i < Math.min(iterations, 50_000); i++) fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return ((performance.now() - start) * 1e6) / iterations;
}

/** The machine line every benchmark prints, for BENCHMARKS.md. */
export async function machineLine(): Promise<string> {
  const os = await import('node:os');
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}
