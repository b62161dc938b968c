import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { utf8Text } from '@loupe/schema';
import type { BodyEncoding } from './disk-buffer.js';

/** What the platform said to one `_bulk` request. */
export type BulkOutcome =
  | { delivered: true; rejected: number; firstRejection?: string }
  | { delivered: false; reason: string; status?: number; retryAfterMs?: number };

interface BulkItem {
  status?: number;
  error?: { type?: string; reason?: string };
}

const REQUEST_TIMEOUT_MS = 120_000;
/** The platform (and Elasticsearch) answer `{"took":…,"errors":false,…}`: no need to read thousands of items. */
const NO_ERRORS = /^\{\s*"took"\s*:\s*\d+\s*,\s*"errors"\s*:\s*false\b/;
/** What the answer keeps (Elasticsearch's `filter_path`): all `readBulkAnswer` reads. */
const FILTER_PATH = 'took,errors,items.*.status,items.*.error';
/** How much of an answer's start `NO_ERRORS` reads. */
const CLEAN_PREFIX_BYTES = 80;

/**
 * Reads a `_bulk` answer item by item. An item stored (2xx) or already there (409 on
 * `create`) is delivered; one the platform refused for good (any other 4xx) is delivered
 * too, since the platform keeps it in its dead-letter index; a 429 or 5xx item means the
 * whole body is sent again (the store drops the items it already has by `_id`).
 */
export function readBulkAnswer(status: number, text: string): BulkOutcome {
  if (status === 429 || status >= 500) return { delivered: false, status, reason: `the platform answered ${status}: ${text.slice(0, 200)}` };
  if (status < 200 || status >= 300) return { delivered: false, status, reason: `the platform refused the request with ${status}: ${text.slice(0, 300)}` };
  if (NO_ERRORS.test(text.slice(0, CLEAN_PREFIX_BYTES))) return { delivered: true, rejected: 0 };
  let items: Array<Record<string, BulkItem>>;
  try {
    items = (JSON.parse(text) as { items: Array<Record<string, BulkItem>> }).items;
    if (!Array.isArray(items)) throw new Error('no items');
  } catch (error) {
    return { delivered: false, status, reason: `the platform's answer is not a _bulk response (${(error as Error).message})` };
  }
  let rejected = 0;
  let firstRejection: string | undefined;
  for (const entry of items) {
    const item = Object.values(entry)[0] ?? {};
    const itemStatus = item.status ?? 0;
    if (itemStatus === 429 || itemStatus >= 500) return { delivered: false, status: itemStatus, reason: `an item was refused for now (${itemStatus} ${item.error?.type ?? ''})` };
    if ((itemStatus >= 200 && itemStatus < 300) || itemStatus === 409) continue;
    rejected++;
    firstRejection ??= `${itemStatus} ${item.error?.type ?? 'error'}: ${item.error?.reason ?? ''}`.slice(0, 300);
  }
  return { delivered: true, rejected, firstRejection };
}

function retryAfter(response: IncomingMessage): number | undefined {
  const seconds = Number(response.headers['retry-after']);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** Posts `_bulk` bodies to the platform over keep-alive connections. */
export class BulkClient {
  private readonly url: URL;
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;

  constructor(platformUrl: string) {
    // Only each item's status and error, as Logstash asks: an item of the full answer is ~190
    // bytes that the platform writes and this client reads for nothing, ~25 this way.
    this.url = new URL(`${platformUrl}/_bulk?filter_path=${FILTER_PATH}`);
    const https = this.url.protocol === 'https:';
    this.agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: 8 }) : new HttpAgent({ keepAlive: true, maxSockets: 8 });
    this.request = https ? httpsRequest : httpRequest;
  }

  get endpoint(): string {
    return `${this.url.origin}${this.url.pathname}`;
  }

  post(body: Buffer, encoding: BodyEncoding): Promise<BulkOutcome> {
    return new Promise((resolve) => {
      const headers: Record<string, string | number> = { 'content-type': 'application/x-ndjson', 'content-length': body.length };
      if (encoding === 'gzip') headers['content-encoding'] = 'gzip';
      const request = this.request(this.url, { method: 'POST', agent: this.agent, headers, timeout: REQUEST_TIMEOUT_MS }, (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let received = 0;
        // An answer that starts `{"took":…,"errors":false` needs no more reading: its items
        // (about half the body's size) are drained, not gathered and decoded.
        let clean = false;
        let checked = false;
        response.on('data', (chunk: Buffer) => {
          if (clean) return;
          chunks.push(chunk);
          received += chunk.length;
          if (!checked && received >= CLEAN_PREFIX_BYTES) {
            checked = true;
            clean = status >= 200 && status < 300 && NO_ERRORS.test(utf8Text(Buffer.concat(chunks).subarray(0, CLEAN_PREFIX_BYTES)));
            if (clean) chunks.length = 0;
          }
        });
        response.on('error', (error) => resolve({ delivered: false, reason: error.message }));
        response.on('end', () => {
          const outcome: BulkOutcome = clean ? { delivered: true, rejected: 0 } : readBulkAnswer(status, utf8Text(Buffer.concat(chunks)));
          const wait = outcome.delivered ? undefined : retryAfter(response);
          resolve(wait !== undefined && !outcome.delivered ? { ...outcome, retryAfterMs: wait } : outcome);
        });
      });
      request.on('timeout', () => request.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS / 1000} s`)));
      request.on('error', (error: NodeJS.ErrnoException) => resolve({ delivered: false, reason: error.code ? `${error.code} ${error.message}` : error.message }));
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
