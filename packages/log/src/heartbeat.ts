import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from './create-logger.js';

export interface HeartbeatOptions {
  /** How often the heartbeat is written (default 30 s). */
  intervalMs?: number;
}

/** Writes R19 (CPU %, memory, event-loop delay, uptime) every interval; returns a stop function. */
export function startHeartbeat(log: Logger, options: HeartbeatOptions = {}): () => void {
  const intervalMs = options.intervalMs ?? 30_000;
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  let lastCpu = process.cpuUsage();
  let lastTime = process.hrtime.bigint();

  const beat = () => {
    const cpu = process.cpuUsage(lastCpu);
    const now = process.hrtime.bigint();
    const elapsedUs = Number(now - lastTime) / 1e3;
    lastCpu = process.cpuUsage();
    lastTime = now;
    const memory = process.memoryUsage();
    log.heartbeat({
      cpuPercent: Math.round(((cpu.user + cpu.system) / Math.max(elapsedUs, 1)) * 1000) / 10,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      eventLoopDelayMs: Math.round((Number.isFinite(delay.mean) ? delay.mean : 0) / 1e4) / 100,
      uptimeSeconds: Math.round(process.uptime()),
    });
    delay.reset();
  };
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    delay.disable();
  };
}
