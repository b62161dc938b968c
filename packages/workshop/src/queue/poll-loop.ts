import { setImmediate as yieldToEvents } from 'node:timers/promises';

export interface PollLoop {
  /** Looks for work now instead of at the end of the idle wait. */
  wake(): void;
  /** Ends the loop after the current round, which it waits for; the round is told to give up waiting (its signal is aborted). */
  stop(): Promise<void>;
}

export interface PollLoopOptions {
  /** Wait between two rounds that found nothing to do. */
  intervalMs: number;
  /** After a failed round the wait doubles from `intervalMs` up to this. */
  maxErrorDelayMs: number;
  /** Told about a failed round; the loop goes on. */
  onError: (error: unknown) => void;
}

/**
 * Calls `work` in a loop: at once again while it reports it did something, after
 * `intervalMs` (or a `wake()`) when it found nothing, and later and later while it fails.
 */
export function startPollLoop(work: (stopping: AbortSignal) => Promise<boolean>, options: PollLoopOptions): PollLoop {
  let running = true;
  const stopping = new AbortController();
  let woken = false;
  let endWait: (() => void) | undefined;

  function wait(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        endWait = undefined;
        resolve();
      }
      endWait = done;
    });
  }

  const finished = (async () => {
    let failures = 0;
    while (running) {
      let busy = false;
      try {
        busy = await work(stopping.signal);
        failures = 0;
      } catch (error) {
        failures += 1;
        options.onError(error);
      }
      if (!running) break;
      if (busy) await yieldToEvents();
      else await wait(failures === 0 ? options.intervalMs : Math.min(options.maxErrorDelayMs, options.intervalMs * 2 ** failures));
    }
  })();

  return {
    wake() {
      if (endWait) endWait();
      else woken = true;
    },
    async stop() {
      running = false;
      stopping.abort();
      endWait?.();
      await finished;
    },
  };
}
