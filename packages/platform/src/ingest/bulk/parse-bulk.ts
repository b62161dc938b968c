import { bodyLines, lineTooLarge } from '../body-lines.js';
import type { IngestItem } from '../ingest-item.js';

export type BulkAction = 'index' | 'create' | 'update' | 'delete';

export interface BulkEntry extends IngestItem {
  action: BulkAction;
  /** `_index` of the action line, or of the URL (`POST /<index>/_bulk`). */
  index?: string;
}

export interface ParseBulkOptions {
  /** `_index` from the URL, used when an action names none. */
  defaultIndex?: string;
  /** A longer line is rejected as its own item (413) and dead-lettered. */
  maxLineBytes: number;
}

const ACTIONS = new Set<BulkAction>(['index', 'create', 'update', 'delete']);

function parseJson(line: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(line) as unknown };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// The action lines shippers send, recognised without JSON.parse: `{"create":{}}`,
// `{"index":{"_id":"…"}}`, `{"index":{"_index":"…","_id":"…"}}` (no escapes inside). Anything else takes JSON.parse.
const PLAIN_ACTION = /^\{"(index|create)":\{(?:"_id":"([^"\\]*)"(?:,"_index":"([^"\\]*)")?|"_index":"([^"\\]*)"(?:,"_id":"([^"\\]*)")?)?\}\}$/;

function plainAction(line: string): { action: BulkAction; meta: Record<string, unknown> } | undefined {
  const first = line.charCodeAt(2);
  if (line.charCodeAt(0) !== 123 || (first !== 99 && first !== 105)) return undefined;
  const match = PLAIN_ACTION.exec(line);
  if (!match) return undefined;
  const meta: Record<string, unknown> = {};
  const id = match[2] ?? match[5];
  const index = match[3] ?? match[4];
  if (id !== undefined) meta._id = id;
  if (index !== undefined) meta._index = index;
  return { action: match[1] as BulkAction, meta };
}

function actionOf(value: unknown): { action: BulkAction; meta: Record<string, unknown> } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !ACTIONS.has(keys[0] as BulkAction)) return undefined;
  const meta = (value as Record<string, unknown>)[keys[0]!];
  return { action: keys[0] as BulkAction, meta: meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : {} };
}

/** Elasticsearch's limit on an `_id`, in UTF-8 bytes. */
const MAX_ID_BYTES = 512;

/**
 * The `_id` of an action's metadata as text, or why it cannot be one. Refused as Elasticsearch
 * refuses it: an empty id would make every such document a duplicate of the first.
 */
function idOf(meta: Record<string, unknown>): { id?: string; error?: string } {
  const raw = meta._id;
  // As in Elasticsearch, a null id is no id.
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'number' && !Number.isSafeInteger(raw)) return { error: `_id ${JSON.stringify(raw)} is not a whole number JSON carries exactly; send it as a string` };
  if (typeof raw !== 'string' && typeof raw !== 'number') return { error: `_id must be a string, not ${Array.isArray(raw) ? 'an array' : `a ${typeof raw}`}` };
  const id = String(raw);
  if (id === '') return { error: '_id must not be empty; leave it out to let Loupe derive one from the document' };
  // A UTF-16 unit is at most 3 UTF-8 bytes: most ids are measured without encoding them.
  const bytes = id.length * 3 > MAX_ID_BYTES ? Buffer.byteLength(id) : 0;
  if (bytes > MAX_ID_BYTES) return { error: `_id is ${bytes} bytes long; it must be no longer than ${MAX_ID_BYTES} bytes` };
  return { id };
}

/**
 * Splits an Elasticsearch `_bulk` body (NDJSON: an action line, then a document line for
 * index/create/update) into entries. A malformed line becomes an entry of its own with an
 * error instead of failing the request, so the rest of the batch is still stored (R24).
 */
export function parseBulk(body: string | Buffer, options: ParseBulkOptions): BulkEntry[] {
  return [...bulkEntries(typeof body === 'string' ? Buffer.from(body) : body, options)];
}

/** `parseBulk` one entry at a time, so a caller can be done with each before the next is parsed. */
export function* bulkEntries(body: Buffer, options: ParseBulkOptions): Generator<BulkEntry> {
  let pending: { action: BulkAction; meta: Record<string, unknown> } | undefined;
  for (const { bytes, text: line } of bodyLines(body, options.maxLineBytes)) {
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) continue;
    if (!pending) {
      const plain = plainAction(line);
      if (plain) {
        pending = plain;
        continue;
      }
    }

    const index = typeof pending?.meta._index === 'string' ? pending.meta._index : options.defaultIndex;
    const { id, error: idError } = pending ? idOf(pending.meta) : {};
    if (bytes > options.maxLineBytes) {
      yield { action: pending?.action ?? 'index', index, id, raw: line, error: lineTooLarge(bytes, options.maxLineBytes) };
      pending = undefined;
      continue;
    }
    const parsed = parseJson(line);
    if (!pending) {
      const action = parsed.error === undefined ? actionOf(parsed.value) : undefined;
      if (action && action.action !== 'delete') {
        pending = action;
        continue;
      }
      const metaIndex = action && typeof action.meta._index === 'string' ? action.meta._index : options.defaultIndex;
      const reason = action
        ? 'delete is not supported: Loupe keeps logs append-only; lifecycle policies remove whole indices'
        : parsed.error !== undefined
          ? `malformed action line: ${parsed.error}`
          : 'expected an action line such as {"index":{}} or {"create":{}}';
      yield { action: action?.action ?? 'index', index: metaIndex, raw: line, error: { status: 400, type: action ? 'action_request_validation_exception' : 'illegal_argument_exception', reason } };
      continue;
    }
    const { action } = pending;
    pending = undefined;
    if (idError !== undefined) {
      yield { action, index, raw: line, error: { status: 400, type: 'action_request_validation_exception', reason: idError } };
    } else if (parsed.error !== undefined) {
      yield { action, index, id, raw: line, error: { status: 400, type: 'mapper_parsing_exception', reason: `failed to parse document: ${parsed.error}` } };
    } else if (action === 'update') {
      yield { action, index, id, raw: line, error: { status: 400, type: 'action_request_validation_exception', reason: 'update is not supported: Loupe keeps logs append-only' } };
    } else {
      yield { action, index, id, raw: line, document: parsed.value };
    }
  }
  if (pending) {
    yield { action: pending.action, index: options.defaultIndex, raw: '', error: { status: 400, type: 'illegal_argument_exception', reason: 'the body ends after an action line without its document' } };
  }
}
