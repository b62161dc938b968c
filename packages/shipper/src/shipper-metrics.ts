/** Counters the shipper keeps since it started; with the per-file lag they make its status (GET /status, logs). */
export interface ShipperCounters {
  /** Events the platform acknowledged (stored, already there, or dead-lettered). */
  eventsShipped: number;
  /** Events the platform refused for good and kept in its dead-letter index. */
  eventsRejected: number;
  batchesShipped: number;
  /** Attempts to send that failed and were tried again. */
  retries: number;
  /** Bodies written to the disk buffer because the platform could not take them. */
  batchesBuffered: number;
  /** Events in disk buffer segments found damaged (unreadable, not gzip) and set aside as `.corrupt` files. */
  eventsSetAside: number;
  /** Body bytes sent (as on the wire, compressed when gzip is on). */
  bytesSent: number;
}

export function newCounters(): ShipperCounters {
  return { eventsShipped: 0, eventsRejected: 0, batchesShipped: 0, retries: 0, batchesBuffered: 0, eventsSetAside: 0, bytesSent: 0 };
}

export interface FileStatus {
  path: string;
  fileId: string;
  parser: string;
  /** Bytes the file holds. */
  size: number;
  /** Registry offset: everything before it is in the store or in the disk buffer. */
  offset: number;
  /** Bytes read so far (ahead of `offset` while batches are on their way). */
  read: number;
  lagBytes: number;
  /** Age of the oldest byte not yet safe, in seconds (0 when none). */
  lagSeconds: number;
  /** Whether a glob names the file (false: renamed away or deleted, read to its end). */
  live: boolean;
}

export interface ShipperStatus {
  platformUrl: string;
  /** Whether the last request to the platform succeeded. */
  platformReachable: boolean;
  /** The last failed request to the platform, and when (ISO 8601): kept after it recovers, as a record. */
  lastError?: string;
  lastErrorAt?: string;
  counters: ShipperCounters;
  buffer: { bytes: number; segments: number; maxBytes: number; dir: string };
  /** Batches being sent from memory. */
  inFlightBatches: number;
  /** True while reading waits for room (in flight or in the disk buffer). */
  readingPaused: boolean;
  lag: { bytes: number; seconds: number };
  files: FileStatus[];
  /** Files a glob names that cannot be opened (no read permission): their lines are not shipped until they can be. */
  unreadable: string[];
}
