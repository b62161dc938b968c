/**
 * What the maskers count instead of throwing (the logger's hot path must carry on): values that
 * could not be read or masked, which were replaced by `[REDACTED]` rather than written in clear.
 */
export interface MaskStats {
  failures: number;
}

const counters: MaskStats = { failures: 0 };

export function countMaskFailure(): void {
  counters.failures++;
}

/** Counters since the process started, for a heartbeat or a health endpoint to report. */
export function maskStats(): Readonly<MaskStats> {
  return { ...counters };
}
