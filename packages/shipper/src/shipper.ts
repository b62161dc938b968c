/*
 * The shipper (R23): tails log files and delivers their lines to the platform's `_bulk` so
 * that, after any crash of the shipper or the platform, the store holds each line exactly once.
 *
 * How that holds:
 * 1. Every event's `_id` is `<fileId>:<byte offset of its first line>`, where fileId names the
 *    file's identity (device, inode, creation time, a fingerprint of its first bytes, and a
 *    generation for an inode that starts over). The store drops an `_id` it already holds, so
 *    an event sent twice is stored once, as long as it is the same event both times: the
 *    store looks for an id among events of the same index and time, so the `@timestamp` must
 *    not change between sends.
 * 2. An event is a function of the file's bytes plus decisions kept in the registry. JSON
 *    lines with an ISO `@timestamp` go byte for byte; every other event gets its `@timestamp`
 *    from its own text, else from the last timestamp in the file, else from a read-time stamp
 *    recorded in the registry; a multi-line event sent without its next line (the file went
 *    quiet) leaves a cut in the registry. Such decisions are saved durably before any batch
 *    that depends on them leaves the process, so a re-read rebuilds byte-identical events.
 * 3. A file's registry offset moves only over batches that are safe: acknowledged by the
 *    platform, or fsynced into the disk buffer. Everything past it is read again after a crash.
 * 4. A batch the platform does not take goes to the disk buffer (written and fsynced before
 *    its offsets move) and is removed only after the platform acknowledged it; a restart
 *    sends what the buffer holds first. Files that rotate away, or are deleted, while the
 *    platform is down are safe once their lines are in the buffer.
 * So every line is in the store, in the buffer, or past its file's offset; and whatever is
 * sent more than once carries the same `_id` and content, which the store drops.
 *
 * Not covered: lines of a file deleted, or truncated without a copy, before the shipper
 * read them while it was not running; and a lost registry, after which files are read again
 * (files that were over 1 KiB when first seen get the same ids, so the store drops those repeats).
 */
import { join } from 'node:path';
import { createLogger, startHeartbeat, type Logger } from '@loupe/log';
import type { ShipperConfig } from './config.js';
import { DiskBuffer } from './disk-buffer.js';
import { BulkClient } from './post-bulk.js';
import { ReadLoop } from './read-loop.js';
import { StateLock } from './state-lock.js';
import { Registry } from './registry.js';
import { Sender } from './sender.js';
import { newCounters, type FileStatus, type ShipperStatus } from './shipper-metrics.js';
import { buildStatusApp } from './status-server.js';
import { TailedFiles } from './tailed-files.js';
import { listenError } from '@loupe/schema';

export interface RunningShipper {
  /** `http://127.0.0.1:<port>/status`. */
  statusUrl: string;
  status(): ShipperStatus;
  /** Reads what is left of the current round, gives in-flight batches a few seconds, saves the registry. */
  stop(): Promise<void>;
}

/** How long stop() waits for batches on their way. */
const STOP_TIMEOUT_MS = 5_000;

function logStatus(log: Logger, status: ShipperStatus): void {
  const { counters, buffer, lag } = status;
  const behind = status.files.filter((file) => file.lagBytes > 0).sort((a, b) => b.lagBytes - a.lagBytes).slice(0, 10);
  log.info(`Shipped ${counters.eventsShipped} events in ${counters.batchesShipped} batches; ${lag.bytes} bytes behind (${lag.seconds} s); ${buffer.bytes} bytes in the disk buffer`, {
    'shipper.events_shipped': counters.eventsShipped,
    'shipper.events_rejected': counters.eventsRejected,
    'shipper.batches_shipped': counters.batchesShipped,
    'shipper.retries': counters.retries,
    'shipper.buffer.bytes': buffer.bytes,
    'shipper.buffer.segments': buffer.segments,
    'shipper.lag.bytes': lag.bytes,
    'shipper.lag.seconds': lag.seconds,
    'shipper.files_behind': behind.map((file) => ({ path: file.path, lag_bytes: file.lagBytes, lag_seconds: file.lagSeconds })),
    'shipper.platform_reachable': status.platformReachable,
    ...(status.unreadable.length > 0 && { 'shipper.unreadable_files': status.unreadable }),
  });
}

/** Starts tailing, shipping and the status endpoint. */
export async function startShipper(config: ShipperConfig, log?: Logger): Promise<RunningShipper> {
  const logger = log ?? createLogger({ service: 'loupe-shipper', file: { dir: join(config.dataDir, 'logs', 'loupe-shipper') } });
  const lock = StateLock.acquire(config.stateDir);
  let registry: Registry;
  let buffer: DiskBuffer;
  try {
    registry = Registry.open(config.stateDir);
    buffer = DiskBuffer.open(join(config.stateDir, 'buffer'));
  } catch (error) {
    lock.release();
    throw error;
  }
  const counters = newCounters();
  const client = new BulkClient(config.platformUrl);
  const sender = new Sender({
    client, buffer, counters, log: logger,
    compression: config.compression,
    maxInFlightBatches: config.maxInFlightBatches,
    bufferMaxBytes: config.bufferMaxBytes,
    retryMaxMs: config.retryMaxMs,
  });
  const files = new TailedFiles(config, registry, logger);
  const loop = new ReadLoop(config, files, registry, sender, logger);

  const status = (): ShipperStatus => {
    const now = Date.now();
    const fileStatuses: FileStatus[] = files.tailers.filter((tailer) => !tailer.closed).map((tailer) => ({
      path: tailer.entry.path,
      fileId: tailer.entry.fileId,
      parser: tailer.entry.parser,
      size: tailer.size,
      offset: tailer.entry.offset,
      read: tailer.bytesRead,
      lagBytes: tailer.lagBytes,
      lagSeconds: tailer.behindSince === undefined ? 0 : Math.round((now - tailer.behindSince) / 100) / 10,
      live: tailer.live,
    }));
    return {
      platformUrl: config.platformUrl,
      platformReachable: sender.reachable,
      ...(sender.lastError !== undefined && { lastError: sender.lastError, lastErrorAt: sender.lastErrorAt }),
      counters: { ...counters },
      buffer: { bytes: buffer.bytes, segments: buffer.size, maxBytes: config.bufferMaxBytes, dir: buffer.dir },
      inFlightBatches: sender.inFlightBatches,
      readingPaused: loop.paused,
      lag: {
        bytes: fileStatuses.reduce((sum, file) => sum + file.lagBytes, 0),
        seconds: fileStatuses.reduce((most, file) => Math.max(most, file.lagSeconds), 0),
      },
      files: fileStatuses,
      unreadable: files.unreadablePaths,
    };
  };

  // The status port first: when it is taken, the start fails before any file is opened.
  const app = await buildStatusApp({ log: logger, status });
  let address: string;
  try {
    address = await app.listen({ host: '127.0.0.1', port: config.port });
  } catch (error) {
    await app.close();
    lock.release();
    if (!log) await logger.close();
    throw listenError(error, { what: "shipper's status port", address: `127.0.0.1:${config.port}`, likely: 'another shipper on the same machine?', setting: 'LOUPE_SHIPPER_PORT' });
  }
  try {
    files.resume();
  } catch (error) {
    // Nothing may keep the process alive after a failed start: it would hang instead of exiting with the message.
    files.close();
    client.close();
    await app.close();
    lock.release();
    if (!log) await logger.close();
    throw error;
  }
  const resumed = files.tailers.length;
  if (buffer.size > 0) {
    logger.info(`The disk buffer holds ${buffer.size} batches (${buffer.bytes} bytes) from before the restart: sending them first`);
    sender.drain();
  }
  loop.start();
  const metricsTimer = setInterval(() => logStatus(logger, status()), config.metricsIntervalMs);
  metricsTimer.unref();
  const stopHeartbeat = startHeartbeat(logger);
  logger.info(`Shipper started: ${resumed} ${resumed === 1 ? 'file' : 'files'} resumed from the registry, shipping ${config.inputs.map((input) => input.glob).join(', ')} to ${config.platformUrl}`, {
    'shipper.state_dir': config.stateDir,
  });

  return {
    statusUrl: `${address}/status`,
    status,
    async stop() {
      clearInterval(metricsTimer);
      stopHeartbeat();
      await loop.stop();
      await sender.stop(STOP_TIMEOUT_MS);
      logStatus(logger, status());
      files.close();
      await registry.close();
      client.close();
      await app.close();
      lock.release();
      if (!log) await logger.close();
    },
  };
}
