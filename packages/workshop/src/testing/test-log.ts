import { createLogger, MemoryDestination, type Logger } from '@loupe/log';
import type { LogLevel } from '@loupe/schema';

/** A logger whose lines stay in memory, for a test to read back. */
export function createTestLog(options: { service?: string; level?: LogLevel } = {}): { log: Logger; lines: MemoryDestination } {
  const lines = new MemoryDestination();
  const log = createLogger({ service: options.service ?? 'workshop-test', level: options.level ?? 'debug', destination: lines });
  return { log, lines };
}

/** Resolves once `check` returns a truthy value (which it returns); rejects after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, options: { timeoutMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${options.timeoutMs ?? 10_000} ms waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
