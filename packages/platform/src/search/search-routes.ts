import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LoupeError } from '@loupe/schema';
import { explainKql, kqlFields, kqlToElasticsearch, parseKql, type KqlNode } from '../kql/index.js';
import { FIELD_SAMPLE_SIZE, MAX_SPLIT_SIZE, MAX_TOP_VALUES, type AbsentField, type LogStore, type TimeRange } from '../store/log-store.js';
import { orderJourney } from './journey.js';
import { liveTail } from './live-tail.js';
import { fieldPicker } from './pick-fields.js';
import { decodeCursor, encodeCursor, parseInterval, parseTimeParam } from './time-params.js';

type Params = Record<string, string | undefined>;

/** The default range of a search without `from`: the last 24 hours. */
const DEFAULT_RANGE_MS = 86_400_000;

/** Parameters that may be given several times, joined with commas: `indices=logs-mes-*&indices=logs-shop-*`. */
const listParams = new Set(['indices']);

/**
 * The indices a request reads: those it names, or, by default, `logs-*`; a query on `_index`
 * itself (`_index:dead-letter-*`) reads every index, so it can find what it names.
 */
function indicesOf(named: string | undefined, query: KqlNode): string | undefined {
  return named ?? (kqlFields(query).includes('_index') ? '*' : undefined);
}

/** The parameters each read endpoint takes; any other is refused, as Elasticsearch refuses an unrecognized one. */
const RANGE = ['q', 'from', 'to', 'indices'] as const;
const endpointParams = {
  search: [...RANGE, 'limit', 'order', 'after', 'fields'],
  histogram: [...RANGE, 'interval', 'split', 'splitSize'],
  topValues: [...RANGE, 'field', 'limit'],
  fields: [...RANGE, 'sample'],
  explain: ['q'],
  tail: ['q', 'indices', 'fields'],
} as const;

/**
 * A request's parameters, from its query string and (for POST) its JSON body. An empty value
 * counts as not given; a parameter the endpoint does not take, or one given in both places,
 * is refused rather than ignored: `limt=5` must not quietly return 100 events.
 */
function readParams(request: FastifyRequest, allowed: readonly string[]): Params {
  const query = (request.query ?? {}) as Record<string, string | string[] | undefined>;
  const merged: Params = {};
  const take = (key: string, value: string, where: string) => {
    if (!allowed.includes(key)) {
      throw new LoupeError('SEARCH_UNKNOWN_PARAM', `${request.routeOptions.url ?? 'this endpoint'} does not take the parameter "${key.slice(0, 40)}"${where}; it takes ${allowed.join(', ')}`);
    }
    if (value !== '') merged[key] = value;
  };
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (!Array.isArray(value)) take(key, value, '');
    else if (listParams.has(key)) take(key, value.filter((part) => part !== '').join(','), '');
    else throw new LoupeError('SEARCH_REPEATED_PARAM', `${key.slice(0, 40)} is given ${value.length} times; give it once`);
  }
  for (const [key, value] of Object.entries(bodyParams(request.body))) {
    if (value === undefined || value === null) continue;
    // An object would search for "[object Object]", true for a field named "true": refused rather than answered.
    if (typeof value !== 'string' && typeof value !== 'number') throw new LoupeError('VALIDATION', `${key.slice(0, 40)} in the body must be a string or a number, e.g. {"q": "log.level:error"}`);
    if (key in query) throw new LoupeError('SEARCH_REPEATED_PARAM', `${key.slice(0, 40)} is given both in the URL and in the body; give it once`);
    take(key, String(value), ' (in the body)');
  }
  return merged;
}

/** The parameters of a POST body: a JSON object, or nothing. */
function bodyParams(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) return body as Record<string, unknown>;
  throw new LoupeError('VALIDATION', 'The body must be a JSON object of parameters (Content-Type: application/json), e.g. {"q": "log.level:error", "from": "1h"}');
}

function orderOf(value: string | undefined): 'asc' | 'desc' {
  const order = (value ?? 'desc').toLowerCase();
  if (order === 'asc' || order === 'desc') return order;
  throw new LoupeError('SEARCH_BAD_ORDER', `order="${value!.slice(0, 20)}" must be desc (newest first, the default) or asc`);
}

function rangeOf(params: Params, now: number) {
  const to = parseTimeParam(params.to, 'to', now) ?? now;
  const from = parseTimeParam(params.from, 'from', now) ?? to - DEFAULT_RANGE_MS;
  if (from >= to) throw new LoupeError('SEARCH_BAD_TIME', 'from must be before to');
  return { from, to };
}

function limitOf(value: string | undefined, fallback: number, max = 10_000, name = 'limit'): number {
  if (value === undefined) return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new LoupeError('SEARCH_BAD_LIMIT', `${name} must be a whole number from 1 to ${max}`);
  return limit;
}

/**
 * When a request found nothing: the fields it used that no event of its range holds, with
 * the names likely meant (`{absentFields: [{field: "odrer.id", similar: ["order.id"]}]}`),
 * so a misspelt field is told apart from a question with no answer.
 */
async function absentFieldsNote(store: LogStore, query: KqlNode, extraFields: Array<string | undefined>, range: TimeRange, indices: string | undefined): Promise<{ absentFields?: AbsentField[] }> {
  const fields = [...kqlFields(query), ...extraFields.filter((field): field is string => field !== undefined)];
  const absent = await store.absentFields({ fields, ...range, indices });
  return absent.length > 0 ? { absentFields: absent } : {};
}

/** Search (R28) and the order journey (R29) over HTTP. */
export async function searchRoutes(app: FastifyInstance, options: { store: LogStore }): Promise<void> {
  const { store } = options;

  const search = async (request: FastifyRequest) => {
    const started = performance.now();
    const params = readParams(request, endpointParams.search);
    const query = parseKql(params.q ?? '');
    const indices = indicesOf(params.indices, query);
    const range = rangeOf(params, Date.now());
    const after = decodeCursor(params.after);
    const pick = fieldPicker(params.fields);
    const page = await store.search({ query, ...range, indices, limit: limitOf(params.limit, 100), order: orderOf(params.order), after });
    const note = page.events.length === 0 && !after ? await absentFieldsNote(store, query, [], range, indices) : {};
    return { events: pick ? page.events.map(pick) : page.events, ...(page.next && { next: encodeCursor(page.next) }), ...note, tookMs: Math.round(performance.now() - started) };
  };
  app.get('/api/search', search);
  app.post('/api/search', search);

  app.get('/api/histogram', async (request) => {
    const params = readParams(request, endpointParams.histogram);
    const range = rangeOf(params, Date.now());
    const intervalMs = parseInterval(params.interval, range.from, range.to);
    const query = parseKql(params.q ?? '');
    const indices = indicesOf(params.indices, query);
    const splitBy = params.split || undefined;
    if (params.splitSize !== undefined && !splitBy) throw new LoupeError('SEARCH_BAD_LIMIT', 'splitSize needs split=FIELD: it is how many of that field\'s values get buckets of their own');
    const splitSize = limitOf(params.splitSize, 10, MAX_SPLIT_SIZE, 'splitSize');
    const buckets = await store.histogram({ query, ...range, indices, intervalMs, splitBy, splitSize });
    // Nothing matched, or the split field is in no matching event (every key null): say which field no event holds.
    const splitEmpty = splitBy !== undefined && buckets.length > 0 && buckets.every((bucket) => bucket.key === null);
    const note = buckets.length === 0 ? await absentFieldsNote(store, query, [splitBy], range, indices)
      : splitEmpty ? await absentFieldsNote(store, { kind: 'all' }, [splitBy], range, indices) : {};
    return { intervalMs, buckets, ...note };
  });

  app.get('/api/top-values', async (request) => {
    const params = readParams(request, endpointParams.topValues);
    if (!params.field) throw new LoupeError('SEARCH_NO_FIELD', 'field= names the field whose top values you want, e.g. field=service.name');
    const query = parseKql(params.q ?? '');
    const indices = indicesOf(params.indices, query);
    const range = rangeOf(params, Date.now());
    const values = await store.topValues({ query, ...range, indices, field: params.field, limit: limitOf(params.limit, 10, MAX_TOP_VALUES) });
    const note = values.length === 0 ? await absentFieldsNote(store, query, [params.field], range, indices) : {};
    return { field: params.field, values, ...note };
  });

  app.get('/api/fields', async (request) => {
    const params = readParams(request, endpointParams.fields);
    const query = parseKql(params.q ?? '');
    const indices = indicesOf(params.indices, query);
    const range = rangeOf(params, Date.now());
    const sampleSize = limitOf(params.sample, FIELD_SAMPLE_SIZE, FIELD_SAMPLE_SIZE, 'sample');
    const list = await store.fields({ query, ...range, indices, sampleSize });
    const note = list.sampled === 0 ? await absentFieldsNote(store, query, [], range, indices) : {};
    // `sampled` below `sampleSize`: the list covers every matching event.
    return { sampleSize, ...list, ...note };
  });

  app.get('/api/explain', async (request) => {
    const query = parseKql(readParams(request, endpointParams.explain).q ?? '');
    return { explanation: explainKql(query), elasticsearch: kqlToElasticsearch(query) };
  });

  app.get('/api/indices', async () => ({ indices: await store.listIndices() }));

  app.get('/api/journey/:orderId', async (request: FastifyRequest<{ Params: { orderId: string } }>) => orderJourney(store, { orderId: request.params.orderId }));
  app.get('/api/traces/:traceId', async (request: FastifyRequest<{ Params: { traceId: string } }>) => orderJourney(store, { traceId: request.params.traceId }));

  app.get('/api/tail', (request: FastifyRequest, reply: FastifyReply) => {
    const params = readParams(request, endpointParams.tail);
    const query = parseKql(params.q ?? '');
    const indices = indicesOf(params.indices, query);
    return liveTail(store, request, reply, { query, indices, pick: fieldPicker(params.fields) });
  });
}
