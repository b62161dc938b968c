import { performance } from 'node:perf_hooks';

/**
 * Runs `fn` `iterations` times after a warm-up, in five rounds, and returns nanoseconds per
 * call of the fastest round: on a shared machine other work only ever slows a round down.
 */
export function nsPerCall(fn: () => void, iterations: number): number {
  for (let i = 0; i < Math.min(iterations, 50_000); i++) fn();
  const rounds = 5;
  const perRound = Math.max(1, Math.floor(iterations / rounds));
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let i = 0; i < perRound; i++) fn();
    best = Math.min(best, ((performance.now() - start) * 1e6) / perRound);
  }
  return best;
}

/** The machine line every benchmark prints, for BENCHMARKS.md. */
export async function machineLine(): Promise<string> {
  const os = await import('node:os');
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc on Linux; undefined
 * elsewhere. On a shared machine, CPU time per event is steadier than events per second.
 */
export async function processCpuSeconds(pid: number): Promise<number | undefined> {
  const { readFile } = await import('node:fs/promises');
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
