import { join } from 'node:path';
import pino, { type DestinationStream } from 'pino';
import { F, isLogLevel, LoupeError, type LogLevel } from '@loupe/schema';
import { EcsLineWriter, levelNumber } from './ecs-line.js';
import { compileEventMethods, type EventMethods, type EventSink } from './event-methods.js';
import { maskRecord, maskText, type FieldCipher } from './mask/index.js';
import { DEFAULT_MAX_FILES, DEFAULT_MAX_SIZE_BYTES } from './rotating-file.js';
import { activeTraceIds, installTraceContext } from './trace-context.js';
import type { TransportOptions } from './transport.js';

export interface LoggerOptions {
  /** Written as `service.name` on every line. */
  service: string;
  /** Lowest level written. Debug detail (R18) is off by default and can be switched on at run time. */
  level?: LogLevel;
  /** Copy lines to standard output (default true). */
  stdout?: boolean;
  /** Size-rotated files: `<dir>/<service>.log`, rotated to `.1`, `.2`, … (default: no files). */
  file?: { dir: string; maxSizeBytes?: number; maxFiles?: number };
  /** Write here instead of stdout and files (tests, benchmarks, embedding). */
  destination?: DestinationStream;
  /**
   * Mask personal data in messages and free-text fields (R22, default true). With stdout or
   * files the writer thread masks every line before it leaves the process, so the request
   * thread does not pay for it; with a `destination` the caller masks.
   */
  mask?: boolean;
  /** Fields kept, but encrypted with `cipher` instead of masked (R22). */
  encryptFields?: readonly string[];
  cipher?: FieldCipher;
}

export interface Logger extends EventMethods {
  readonly service: string;
  /** The current level; assigning switches it at run time (R18). */
  level: LogLevel;
  isLevelEnabled(level: LogLevel): boolean;
  trace(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  fatal(message: string, fields?: Record<string, unknown>): void;
  /** Waits until every line written so far has reached its destination. */
  flush(): Promise<void>;
  /** Flushes and closes the destination; later lines are dropped. */
  close(): Promise<void>;
}

/** The line's fields with the active trace context in front (R21). */
function withTrace(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const ids = activeTraceIds();
  if (!ids) return fields;
  return fields ? { [F.traceId]: ids.traceId, [F.spanId]: ids.spanId, ...fields } : { [F.traceId]: ids.traceId, [F.spanId]: ids.spanId };
}

/** How long lines wait to be handed to the writer thread together. */
const batchWindowMs = 10;
/** A batch this large is handed over at once. */
const maxBatchChars = 64 * 1024;

type WriterThread = DestinationStream & { flush(callback: (error?: Error) => void): void; on(event: 'error', listener: (error: Error) => void): void };

const unsentBatches = new Set<BatchedTransport>();
// Registered when this module loads, before pino adds its own exit hook with the first transport,
// so on exit the last batch reaches the writer thread before pino flushes that synchronously.
process.on('exit', () => {
  for (const batch of unsentBatches) batch.handOver();
});

/**
 * Collects lines for up to `batchWindowMs` before handing them to the writer thread. Every
 * handover costs the request thread a futex call and wakes the writer thread, which on a
 * two-core machine takes the core from a request; a request writes its lines in separate
 * ticks, so without batching that happened for nearly every line.
 */
class BatchedTransport {
  private unsent = '';
  /** Set while lines wait: hands them over when it fires. */
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly onTimer = () => this.handOver();

  constructor(readonly writer: WriterThread) {}

  write(line: string): boolean {
    if (this.closed) return false;
    this.unsent += line;
    if (this.unsent.length >= maxBatchChars) {
      this.handOver();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(this.onTimer, batchWindowMs);
      unsentBatches.add(this);
    }
    return true;
  }

  handOver(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      unsentBatches.delete(this);
    }
    if (this.unsent === '') return;
    const lines = this.unsent;
    this.unsent = '';
    this.writer.write(lines);
  }

  flush(callback: (error?: Error) => void): void {
    this.handOver();
    this.writer.flush(callback);
  }

  close(): Promise<void> {
    this.handOver();
    this.closed = true;
    return closeDestination(this.writer);
  }
}

function buildDestination(options: LoggerOptions): DestinationStream | BatchedTransport {
  if (options.destination) return options.destination;
  const transportOptions: TransportOptions = {
    stdout: options.stdout ?? true,
    mask: options.mask ?? true,
    ...(options.file && {
      file: {
        path: join(options.file.dir, `${options.service}.log`),
        maxSizeBytes: options.file.maxSizeBytes ?? DEFAULT_MAX_SIZE_BYTES,
        maxFiles: options.file.maxFiles ?? DEFAULT_MAX_FILES,
      },
    }),
  };
  // A worker thread does the writing, so a slow disk never blocks a request.
  const transport = pino.transport({ target: new URL('./transport.js', import.meta.url).href, options: transportOptions }) as WriterThread;
  // The logger never throws at its callers; a broken destination is reported once on stderr.
  transport.on('error', (error: Error) => process.stderr.write(`loupe log: cannot write ${options.service} logs: ${error.message}\n`));
  return new BatchedTransport(transport);
}

/** The logger every Loupe service uses: ECS JSON lines (R20), masked (R22), traced (R21), written through pino's transports. */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? 'info';
  if (!isLogLevel(level)) throw new LoupeError('LOG_BAD_LEVEL', `Unknown log level "${String(level)}"`);
  installTraceContext();
  const destination = buildDestination(options);
  const lines = new EcsLineWriter(options.service, destination);
  let current: LogLevel = level;
  const isLevelEnabled = (l: LogLevel) => levelNumber[l] >= levelNumber[current];

  // Lines to stdout and files are masked in the writer thread (see `mask`); others here.
  const masking = (options.mask ?? true) && options.destination !== undefined;
  const maskValue = masking ? maskText : (value: string) => value;
  const encrypted = new Set(options.encryptFields ?? []);
  if (encrypted.size > 0 && !options.cipher) {
    throw new LoupeError('LOG_NO_CIPHER', 'encryptFields needs a cipher: pass createFieldCipher({ keys, activeKeyId })');
  }

  function protect(fields: Record<string, unknown>): Record<string, unknown> {
    if (encrypted.size === 0) return masking ? maskRecord(fields) : fields;
    const kept: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (encrypted.has(key) && value !== undefined && value !== null) kept[key] = options.cipher!.encrypt(String(value));
      else rest[key] = value;
    }
    return { ...(masking ? maskRecord(rest) : rest), ...kept };
  }

  const sink: EventSink = {
    isLevelEnabled,
    maskValue,
    encrypterFor: (field) => (encrypted.has(field) ? (value) => options.cipher!.encrypt(value) : undefined),
    writeJson: (l, json, message) => lines.writeJson(l, json, message),
    traceIds: activeTraceIds,
  };

  const write = (l: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (!isLevelEnabled(l)) return;
    lines.write(l, withTrace(fields && protect(fields)), maskValue(message));
  };

  const logger: Logger = {
    ...compileEventMethods(sink),
    service: options.service,
    get level() {
      return current;
    },
    set level(next: LogLevel) {
      if (!isLogLevel(next)) throw new LoupeError('LOG_BAD_LEVEL', `Unknown log level "${String(next)}"; use one of trace, debug, info, warn, error, fatal`);
      current = next;
    },
    isLevelEnabled,
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    fatal: write('fatal'),
    flush: () => flushDestination(destination),
    close: () => (destination instanceof BatchedTransport ? destination.close() : closeDestination(destination)),
  };
  return logger;
}

function flushDestination(destination: DestinationStream | BatchedTransport): Promise<void> {
  const stream = destination as { flush?: (callback: (error?: Error) => void) => void };
  if (typeof stream.flush !== 'function') return Promise.resolve();
  return new Promise((resolve, reject) => stream.flush!((error) => (error ? reject(error) : resolve())));
}

function closeDestination(destination: DestinationStream): Promise<void> {
  const stream = destination as DestinationStream & { end?: () => void; once?: (event: string, fn: () => void) => void };
  if (typeof stream.end !== 'function' || typeof stream.once !== 'function') return Promise.resolve();
  // A transport emits 'finish' once its worker has taken (and synchronously written) every line.
  return new Promise((resolve) => {
    stream.once!('finish', resolve);
    stream.once!('close', resolve);
    stream.end!();
  });
}
