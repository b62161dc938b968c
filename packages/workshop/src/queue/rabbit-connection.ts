import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { describeFailure, withRetry, type Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import { describeServerUrl } from '../endpoint-names.js';

export interface BrokerConnectionOptions {
  url: string;
  log: Logger;
  /** First wait between connection attempts, doubled each time up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Runs after every (re)connection, before the connection is handed out: declare, consume. */
export type ConnectionSetup = (model: ChannelModel) => Promise<void>;

// Attempts per round of reconnection: a round that fails logs R3, then the next one starts.
const ATTEMPTS_PER_ROUND = 10;
// Waiting longer than this for the TCP connection counts as a failed attempt.
const CONNECT_TIMEOUT_MS = 5_000;

/** `host:port/vhost` of an AMQP URL, without credentials, for R2 / R3 lines. */
export function describeBrokerEndpoint(url: string): string {
  return describeServerUrl(url, { port: '5672', path: '/' }, 'amqp');
}

/**
 * One connection to RabbitMQ that comes back: when it closes or fails it reconnects with
 * backoff (R2 per failed attempt, R3 per failed round), re-runs every registered setup
 * (exchanges, queues, consumers) and opens a new confirm channel for publishing.
 */
export class BrokerConnection {
  readonly endpoint: string;
  #model: ChannelModel | undefined;
  #publisher: ConfirmChannel | undefined;
  #closed = false;
  #resetReason: string | undefined;
  /** When the live connection was lost, until the next one is up (for the INFO line on reconnecting). */
  #lostAt: number | undefined;
  readonly #setups = new Set<ConnectionSetup>();
  #connected: { promise: Promise<void>; resolve: () => void } = BrokerConnection.#signal();

  constructor(private readonly options: BrokerConnectionOptions) {
    this.endpoint = describeBrokerEndpoint(options.url);
  }

  static #signal(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  /** Connects; rejects with QUEUE_UNREACHABLE when a whole round of attempts failed. */
  async start(): Promise<void> {
    try {
      await this.#round();
    } catch (error) {
      throw new LoupeError('QUEUE_UNREACHABLE', `RabbitMQ at ${this.endpoint} did not accept a connection after ${ATTEMPTS_PER_ROUND} attempts (${describeFailure(error).errorMessage}): start it or fix AMQP_URL`, 503);
    }
  }

  /** The confirm channel to publish on; undefined while disconnected. */
  get publisher(): ConfirmChannel | undefined {
    return this.#publisher;
  }

  get model(): ChannelModel | undefined {
    return this.#model;
  }

  /**
   * Runs `setup` on the live connection (or waits for the next one) and again after every
   * reconnection, until the returned function is called.
   */
  async register(setup: ConnectionSetup): Promise<() => void> {
    this.#setups.add(setup);
    const unregister = () => void this.#setups.delete(setup);
    const model = this.#model;
    try {
      if (model) await setup(model);
      else await this.#connected.promise;
    } catch (error) {
      // Lost while setting up: the reconnection runs the setup again.
      if (model && model !== this.#model && !this.#closed) {
        await this.#connected.promise;
        return unregister;
      }
      unregister();
      throw error;
    }
    return unregister;
  }

  /** Drops the connection if `model` is still the live one, so everything is set up again. */
  reset(model: ChannelModel | undefined, reason: string): void {
    if (!model || model !== this.#model || this.#closed) return;
    this.#resetReason = reason;
    model.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const model = this.#model;
    this.#model = undefined;
    this.#publisher = undefined;
    this.#connected.resolve();
    await model?.close().catch(() => undefined);
  }

  async #round(): Promise<void> {
    const { log, baseDelayMs, maxDelayMs } = this.options;
    await withRetry(log, { target: 'amqp', method: 'connect', endpoint: this.endpoint }, () => this.#open(), {
      attempts: ATTEMPTS_PER_ROUND,
      baseDelayMs,
      maxDelayMs,
      retryable: () => !this.#closed,
    });
  }

  async #open(): Promise<void> {
    if (this.#closed) throw new LoupeError('QUEUE_CLOSED', 'The queue was closed while connecting to RabbitMQ', 500);
    const model = await connect(this.options.url, { timeout: CONNECT_TIMEOUT_MS });
    let lost = false;
    // 'error' is always followed by 'close'; without a listener it would crash the process.
    model.on('error', () => undefined);
    model.on('close', (error?: Error) => {
      lost = true;
      this.#lost(model, error);
    });
    model.on('blocked', (reason: string) => this.options.log.warn(`RabbitMQ at ${this.endpoint} blocks publishing: ${reason}`));
    try {
      const publisher = await model.createConfirmChannel();
      publisher.on('error', () => undefined);
      // A publishing channel that closes on its own (e.g. a deleted exchange) is replaced with the connection.
      publisher.on('close', () => this.reset(model, 'the publishing channel closed'));
      publisher.on('return', (message) => this.#unroutable(message.properties.messageId, message.fields.routingKey));
      for (const setup of this.#setups) await setup(model);
      if (lost) throw new LoupeError('QUEUE_CONNECTION_LOST', 'The connection closed while it was being set up', 503);
      if (this.#closed) throw new LoupeError('QUEUE_CLOSED', 'The queue was closed while connecting to RabbitMQ', 500);
      this.#model = model;
      this.#publisher = publisher;
    } catch (error) {
      await model.close().catch(() => undefined);
      throw error;
    }
    const lostAt = this.#lostAt;
    if (lostAt !== undefined) {
      this.#lostAt = undefined;
      const elapsedMs = Date.now() - lostAt;
      this.options.log.info(`Connected to RabbitMQ at ${this.endpoint} again after ${(elapsedMs / 1000).toFixed(1)} s: the relay and the consumers resume`, { 'event.duration': elapsedMs * 1e6 });
    }
    const connected = this.#connected;
    this.#connected = BrokerConnection.#signal();
    connected.resolve();
  }

  #lost(model: ChannelModel, error: Error | undefined): void {
    if (model !== this.#model) return;
    this.#model = undefined;
    this.#publisher = undefined;
    if (this.#closed) return;
    const reason = error ? describeFailure(error).errorMessage : (this.#resetReason ?? 'closed by the broker');
    this.#resetReason = undefined;
    this.#lostAt = Date.now();
    this.options.log.warn(`Lost the connection to RabbitMQ at ${this.endpoint} (${reason}): reconnecting`);
    void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    while (!this.#closed && !this.#model) {
      try {
        await this.#round();
      } catch {
        // The round logged R3; keep trying while the queue is open, so no message waits forever.
        if (!this.#closed) await sleep(this.options.maxDelayMs);
      }
    }
  }

  #unroutable(messageId: string | undefined, routingKey: string): void {
    this.options.log.warn(`Message ${messageId ?? '(no id)'} to ${routingKey} matched no queue: dropped by RabbitMQ`, {
      ...(messageId !== undefined && { 'message.id': messageId }),
      'message.routing_key': routingKey,
    });
  }
}
