import type { KqlNode } from '../kql/index.js';
import type { StoredEvent } from './stored-event.js';

export interface AppendResult {
  /** Events newly stored. */
  stored: number;
  /** Per input event, in order: true when its id was already stored (or came earlier in the batch) and it was dropped, as at-least-once delivery expects. */
  duplicate: boolean[];
}

export interface TimeRange {
  /** Inclusive, epoch ms. */
  from?: number;
  /** Exclusive, epoch ms. */
  to?: number;
}

export interface SearchRequest extends TimeRange {
  query: KqlNode;
  /** Index name pattern with `*` (default `logs-*`). */
  indices?: string;
  /** At most this many events (default 100, at most 10,000). */
  limit?: number;
  /** Newest first (default) or oldest first. */
  order?: 'desc' | 'asc';
  /** The sort key of the last event of the previous page: stable paging while data arrives. */
  after?: SortKey;
}

export interface SortKey {
  ts: number;
  id: string;
}

export interface SearchPage {
  events: Record<string, unknown>[];
  /** Pass as `after` for the next page; absent on the last page. */
  next?: SortKey;
}

/** Where a live tail has got to in the order events were stored: after every event stored at `arrived`, or after `id` among them. */
export interface ArrivalCursor {
  /** Epoch ms of a load; each load stamps its events with a later one. */
  arrived: number;
  id?: string;
}

export interface ArrivalsRequest {
  query: KqlNode;
  indices?: string;
  /** Only indices whose day is not older than this (epoch ms): events stamped long ago are not followed. */
  since: number;
  /** Without it, no events: the cursor of what is stored now, to follow from. */
  after?: ArrivalCursor;
  limit: number;
}

export interface ArrivalsPage {
  /** In the order they were stored. */
  events: Record<string, unknown>[];
  /** Pass as `after` next time. */
  cursor: ArrivalCursor;
  /** True when the page was full: more may follow at once. */
  more: boolean;
}

export interface HistogramRequest extends TimeRange {
  query: KqlNode;
  indices?: string;
  /** Bucket width in ms. */
  intervalMs: number;
  /** Split each bucket by this field too (e.g. `log.level`). */
  splitBy?: string;
  /** With `splitBy`, the values with the most events over the range that get buckets of their own (default 10); the others share `other` buckets. */
  splitSize?: number;
}

/** The most split values one histogram gives buckets of their own. */
export const MAX_SPLIT_SIZE = 100;

export interface HistogramBucket {
  /** Bucket start, epoch ms. */
  ts: number;
  count: number;
  /** Set on the bucket summing the split values past `splitSize` (it has no `key`). */
  other?: true;
  /** The split field's value, when splitBy was given. */
  key?: string | null;
}

/** The most values one top-values request returns. */
export const MAX_TOP_VALUES = 1000;

export interface TopValuesRequest extends TimeRange {
  query: KqlNode;
  indices?: string;
  field: string;
  /** 1 to `MAX_TOP_VALUES` (default 10). */
  limit?: number;
}

export interface AbsentFieldsRequest extends TimeRange {
  /** Field names a query or request used. */
  fields: string[];
  indices?: string;
}

/** A field no event of a range holds: a misspelling, most often, so a search on it matches nothing. */
export interface AbsentField {
  field: string;
  /** Fields that events of the range do hold whose names are close to it (see `closestNames`), closest first. */
  similar: string[];
}

/** Events of a range whose fields a field list (R28) is read from: the newest, as Kibana samples. */
export const FIELD_SAMPLE_SIZE = 5_000;

export interface FieldsRequest extends TimeRange {
  query: KqlNode;
  indices?: string;
  /** The newest this many matching events are read (default and most `FIELD_SAMPLE_SIZE`). */
  sampleSize?: number;
}

/**
 * How a field's values compare in a search: the typed columns as KQL treats them (`keyword`
 * exactly, `text` word by word, `number` and `date` as values), other fields by the JSON
 * type of their values, `mixed` when the events disagree.
 */
export type FieldType = 'keyword' | 'text' | 'number' | 'date' | 'string' | 'boolean' | 'array' | 'object' | 'mixed';

export interface FieldInfo {
  field: string;
  type: FieldType;
  /** With `mixed`, the JSON types seen. */
  types?: string[];
  /** Events of the sample holding a value (null counts as none). */
  events: number;
  /** Kept in a column of its own: searched, sorted and grouped fastest. */
  column: boolean;
}

/** The fields of a range's matching events (R28): what can be searched, and how often each is there. */
export interface FieldList {
  /** Matching events the list was read from: all of them when fewer than the sample size. */
  sampled: number;
  /** By name. */
  fields: FieldInfo[];
}

export interface IndexInfo {
  name: string;
  events: number;
  /** Where it lives: hot (DuckDB table) today; cold (Parquet) comes with lifecycle. */
  tier: 'hot' | 'cold';
  /** Day the index covers, epoch ms at 00:00 UTC; null for a shared index. */
  day: number | null;
}

export interface JourneyRequest {
  /** One of the two keys: an order's events, or a trace's. */
  orderId?: string;
  traceId?: string;
  /** At most this many events. */
  limit: number;
  /** At most this many of the key's traces are followed. */
  maxTraces: number;
}

export interface JourneyEvents {
  /** Oldest first. */
  events: Record<string, unknown>[];
  /** The traces the key's events belong to. */
  traceIds: string[];
  /** True when there were more events or traces than the limits. */
  truncated: boolean;
}

/**
 * Where events live. The embedded DuckDB store implements it today; an Elasticsearch
 * backend implements the same contract for organisations that outgrow one machine.
 */
export interface LogStore {
  /** Stores a batch durably (on disk for good before the promise resolves, found by every read after), dropping known ids. */
  append(events: readonly StoredEvent[]): Promise<AppendResult>;
  search(request: SearchRequest): Promise<SearchPage>;
  /** Matching events stored after a cursor, in the order they were stored, whatever their timestamps: the live tail (R28). */
  arrivals(request: ArrivalsRequest): Promise<ArrivalsPage>;
  histogram(request: HistogramRequest): Promise<HistogramBucket[]>;
  topValues(request: TopValuesRequest): Promise<Array<{ value: unknown; count: number }>>;
  listIndices(): Promise<IndexInfo[]>;
  /** Of `fields`, those no event of the range holds, with the likely meant ones (R28): why a search found nothing. */
  absentFields(request: AbsentFieldsRequest): Promise<AbsentField[]>;
  /** The fields of the newest matching events of a range, with their types and how many hold each (R28). */
  fields(request: FieldsRequest): Promise<FieldList>;
  /** Index patterns for the days holding an order's events (`logs-*-2026.11.21`): a journey reads only those (R29). */
  orderScopes(orderId: string): Promise<string[]>;
  /** The key's events in the given indices (a pattern), with every event of the traces they belong to (R29). */
  journeyEvents(indices: string, request: JourneyRequest): Promise<JourneyEvents>;
  close(): Promise<void>;
}
