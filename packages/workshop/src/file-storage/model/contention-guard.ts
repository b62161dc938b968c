/** Phases shorter than this say little about contention: a time slice of another process is ~4 ms. */
const minPhaseMs = 10;
/**
 * Below this many cores' worth of CPU time while both threads worked, the second core was
 * taken. Measured on a 2-core VM for a 1M-facet scan: 1.6–1.9 with the other core free (the
 * threads wait for each other here and there), 0.6–0.8 with one other busy process.
 */
const minCores = 1.1;
/** How long the helper sits out after a contended phase, before the next large model tries again. */
const pauseMs = 2000;

/**
 * Two threads pay only when both get a core. When the machine's other core is busy with other
 * work, the helper and the analysing thread take turns on the one left, and splitting the scan
 * costs more (the copy, the join) than it gains: on a 2-core VM with one core taken, a
 * 1M-facet analysis took ~30% longer on two threads than on one. So the two-thread scan
 * reports the CPU time the process got while both threads worked, and after a contended phase
 * large models run on one thread for a while. The answer is the same either way.
 */
export class ContentionGuard {
  /** Off, the helper always takes part: for tests, whose answers must not depend on the machine's load. */
  enabled = true;
  private pausedUntil = -Infinity;

  /** Whether the helper may take part in an analysis starting at `now` (ms). */
  allows(now: number): boolean {
    return !this.enabled || now >= this.pausedUntil;
  }

  /** Records a phase of `wallMs` that ended at `now`, in which the process used `cpuMs` of CPU time. */
  record(cpuMs: number, wallMs: number, now: number): void {
    if (wallMs >= minPhaseMs && cpuMs < wallMs * minCores) this.pausedUntil = now + pauseMs;
  }
}

/** The guard of this thread's helper (helper-thread.ts). */
export const contentionGuard = new ContentionGuard();
