import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DuckDBInstance, DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '@loupe/schema';
import { indexDay, matchesIndexPattern } from '../index-names.js';
import {
  MAX_SPLIT_SIZE, MAX_TOP_VALUES,
  type AppendResult, type HistogramBucket, type HistogramRequest, type IndexInfo, type JourneyEvents, type JourneyRequest, type LogStore, type SearchPage,
  type SearchRequest, type TopValuesRequest, type AbsentField, type AbsentFieldsRequest, type FieldList, type FieldsRequest, type ArrivalsPage, type ArrivalsRequest,
} from '../log-store.js';
import { absentFields } from './absent-fields.js';
import { fieldList } from './field-list.js';
import { toRecord, type StoredEvent } from '../stored-event.js';
import { appendStaged, type AppendOptions } from './append-batch.js';
import { STAGING_PREFIX, stageBatch, type StagedBatch } from './stage-batch.js';
import { finishColdMoves, moveIndexToCold, type ColdMove } from './cold-tier.js';
import { IndexSources } from './index-sources.js';
import { readJourney } from './journey-sql.js';
import { addArrivalStamps, addOrderKeys } from './upgrade-tables.js';
import { ORDER_DAYS, OrderDayMemory, prepareOrderDays } from './order-indices.js';
import { fieldExpression, filteredUnion, selectIndices } from './search-sql.js';
import { STORAGE_COMPATIBILITY_VERSION, supportsZstdColumns } from './storage-format.js';
import { ARRIVED, readColumnsSql, tableIdentifier } from './table-sql.js';
import { ReaderPool, type ReaderPoolOptions } from './reader-pool.js';
import { readyBatches } from './ready-files.js';
import { openInstance } from './open-instance.js';
import { WriteQueue } from './write-queue.js';

export interface DuckDbStoreOptions {
  /** Database file, or `:memory:`. */
  path: string;
  /** Where staging files are written during ingest. */
  tmpDir: string;
  /** DuckDB worker threads (default: all cores). */
  threads?: number;
  /** Where cold indices are kept as zstd Parquet (default: `cold/` beside the database file). */
  coldDir?: string;
  /**
   * How long a batch acknowledged once on disk may wait to be loaded with the next ones (ms,
   * default 1000; 0 loads each batch before acknowledging it). Readers never miss one: they
   * load what waits first. See write-queue.ts.
   */
  loadIntervalMs?: number;
  /** Whether an idle writer loads an acknowledged batch at once, unless many gathered during its last load (default true): at a modest rate nothing waits, and searches have nothing to load first. */
  loadWhenIdle?: boolean;
  /** Told when acknowledged batches failed to load (they are kept and tried again). */
  onLoadError?: (error: unknown) => void;
  /** Read connections and how long one read may run (see reader-pool.ts). */
  readers?: ReaderPoolOptions;
}

/** Acknowledged rows waiting past which they are loaded at once. */
const MAX_WAITING_ROWS = 100_000;

const MAX_LIMIT = 10_000;

/** The embedded store: one DuckDB table per index, one writer with group commit (write-queue.ts), a pool of readers. */
export class DuckDbStore implements LogStore {
  private readonly newestStored = new Map<string, number>();
  private readonly orderDays = new OrderDayMemory();
  private readonly writes: WriteQueue;
  private zstdAttrs = false;

  private constructor(
    private readonly sources: IndexSources,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly readers: ReaderPool,
    private readonly options: DuckDbStoreOptions,
  ) {
    this.writes = new WriteQueue((batches) => appendStaged(this.writer, batches, this.appendOptions()), {
      dir: options.tmpDir,
      loadIntervalMs: options.loadIntervalMs ?? 1000,
      loadWhenIdle: options.loadWhenIdle ?? true,
      maxWaitingRows: MAX_WAITING_ROWS,
      newestStored: (index) => this.newestStored.get(index) ?? (this.sources.has(index) ? undefined : -Infinity),
      onLoadError: options.onLoadError ?? ((error) => console.error(`Loading acknowledged events failed; they are kept and tried again: ${(error as Error).message}`)),
    });
  }

  static async open(options: DuckDbStoreOptions): Promise<DuckDbStore> {
    mkdirSync(options.tmpDir, { recursive: true });
    // Checkpoints every 128 MB of log rather than 16 MB: each one rewrites the partly filled
    // row group of every table written since, so frequent ones cost time and leave holes in the file.
    const config: Record<string, string> = { checkpoint_threshold: '128MB', storage_compatibility_version: STORAGE_COMPATIBILITY_VERSION };
    if (options.threads) config.threads = String(options.threads);
    const instance = await openInstance(options.path, config);
    // The database is ours now (DuckDB locks its file). Staging files left by a process that
    // stopped mid-batch were never acknowledged, so they are not needed; ready files were.
    for (const file of readdirSync(options.tmpDir)) if (file.startsWith(STAGING_PREFIX)) rmSync(join(options.tmpDir, file), { force: true });
    const coldDir = options.coldDir ?? (options.path === ':memory:' ? join(options.tmpDir, 'cold') : join(dirname(options.path), 'cold'));
    const store = new DuckDbStore(new IndexSources(coldDir), instance, await instance.connect(), await ReaderPool.open(instance, options.readers), options);
    store.zstdAttrs = await supportsZstdColumns(store.writer);
    await prepareOrderDays(store.writer);
    await finishColdMoves(store.writer, store.sources);
    const tables = await store.read(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'`, []);
    for (const { table_name: name } of tables) if (!String(name).startsWith('_')) store.sources.hot.add(String(name));
    await addOrderKeys(store.writer, store.sources.hot);
    await addArrivalStamps(store.writer, store.sources.hot);
    await store.writes.recover(await readyBatches(store.writer, options.tmpDir));
    return store;
  }

  async append(events: readonly StoredEvent[]): Promise<AppendResult> {
    // Staged in this thread: fine for the small batches of OTLP and tests; bulk ingest stages in its workers.
    if (events.length === 0) return { stored: 0, duplicate: [] };
    const { staged, repeated } = stageBatch(events, this.options.tmpDir);
    const existing = await this.appendStaged(staged);
    const duplicate = events.map((event, i) => repeated[i]! || existing.has(event.id));
    return { stored: duplicate.filter((d) => !d).length, duplicate };
  }

  /** Where `stageBatch` writes staging files for this store. */
  get stagingDir(): string {
    return this.options.tmpDir;
  }

  /**
   * Stores a batch staged by `stageBatch` (on any thread) durably; resolves with the ids
   * that were already stored. The staging files are removed once loaded.
   */
  appendStaged(staged: StagedBatch): Promise<Set<string>> {
    return this.writes.append(staged);
  }

  private appendOptions(): AppendOptions {
    return { sources: this.sources, newestStored: this.newestStored, orderDays: this.orderDays, zstdAttrs: this.zstdAttrs };
  }

  async search(request: SearchRequest): Promise<SearchPage> {
    await this.writes.loaded();
    const limit = clampLimit(request.limit);
    const order = request.order === 'asc' ? 'ASC' : 'DESC';
    const indices = selectIndices(this.sources.names(), request.indices, request);
    const after = request.after
      ? { where: order === 'DESC' ? '(ts < CAST($1 AS TIMESTAMP) OR (ts = CAST($1 AS TIMESTAMP) AND id < $2))' : '(ts > CAST($1 AS TIMESTAMP) OR (ts = CAST($1 AS TIMESTAMP) AND id > $2))', params: [new Date(request.after.ts).toISOString(), request.after.id] }
      : undefined;
    const union = filteredUnion(indices, this.relationOf, readColumnsSql, request.query, request, after);
    if (!union.sql) return { events: [] };
    const rows = await this.read(`SELECT * FROM (${union.sql}) ORDER BY ts ${order}, id ${order} LIMIT ${limit}`, union.params);
    const events = rows.map((row) => toRecord({ ...(row as unknown as StoredEvent), index: String(row._index) }));
    const last = rows.at(-1);
    return rows.length === limit && last ? { events, next: { ts: Number(last.ts), id: String(last.id) } } : { events };
  }

  async arrivals(request: ArrivalsRequest): Promise<ArrivalsPage> {
    await this.writes.loaded();
    // Hot tables only: the stamp is not kept in the cold tier, where nothing new arrives.
    const indices = selectIndices(this.sources.hot, request.indices, { from: request.since });
    if (!request.after) {
      const stamps = indices.map((index) => `SELECT max(${ARRIVED}) AS a FROM ${tableIdentifier(index)}`).join(' UNION ALL ');
      const rows = stamps ? await this.read(`SELECT CAST(max(a) AS DOUBLE) AS a FROM (${stamps})`, []) : [];
      return { events: [], cursor: { arrived: Number(rows[0]?.a ?? 0) }, more: false };
    }
    const { arrived, id } = request.after;
    const after = id === undefined
      ? { where: `${ARRIVED} > $1`, params: [arrived] }
      : { where: `(${ARRIVED} > $1 OR (${ARRIVED} = $1 AND id > $2))`, params: [arrived, id] };
    const union = filteredUnion(indices, tableIdentifier, `${readColumnsSql}, CAST(${ARRIVED} AS DOUBLE) AS _arrived`, request.query, {}, after);
    const limit = clampLimit(request.limit);
    const rows = union.sql ? await this.read(`SELECT * FROM (${union.sql}) ORDER BY _arrived, id LIMIT ${limit}`, union.params) : [];
    const last = rows.at(-1);
    return {
      events: rows.map(({ _arrived: _, ...row }) => toRecord({ ...(row as unknown as StoredEvent), index: String(row._index) })),
      cursor: last ? { arrived: Number(last._arrived), id: String(last.id) } : request.after,
      more: rows.length === limit,
    };
  }

  async histogram(request: HistogramRequest): Promise<HistogramBucket[]> {
    await this.writes.loaded();
    if (!(request.intervalMs >= 1000)) throw new LoupeError('SEARCH_BAD_INTERVAL', 'The histogram interval must be at least 1 second');
    const split = request.splitBy ? fieldExpression(request.splitBy) : undefined;
    const indices = selectIndices(this.sources.names(), request.indices, request);
    const union = filteredUnion(indices, this.relationOf, `ts${split ? `, ${split} AS split_key` : ''}`, request.query, request);
    if (!union.sql) return [];
    const bucket = `CAST(epoch_ms(time_bucket(to_milliseconds(${Math.trunc(request.intervalMs)}), ts)) AS DOUBLE)`;
    if (!split) {
      const rows = await this.read(`SELECT ${bucket} AS bucket, CAST(count(*) AS DOUBLE) AS n FROM (${union.sql}) GROUP BY ALL ORDER BY bucket`, union.params);
      return rows.map((row) => ({ ts: Number(row.bucket), count: Number(row.n) }));
    }
    // The split values with the most events keep their own buckets; the rest are summed per time as "other".
    const size = Math.min(Math.max(1, Math.trunc(request.splitSize ?? 10)), MAX_SPLIT_SIZE);
    const rows = await this.read(
      `WITH counted AS (SELECT ${bucket} AS bucket, split_key AS key, count(*) AS n FROM (${union.sql}) GROUP BY ALL),
        kept AS (SELECT key FROM counted WHERE key IS NOT NULL GROUP BY key ORDER BY sum(n) DESC, key LIMIT ${size})
      SELECT bucket, CASE WHEN other THEN NULL ELSE key END AS key, other, CAST(sum(n) AS DOUBLE) AS n
      FROM (SELECT bucket, key, n, key IS NOT NULL AND key NOT IN (SELECT key FROM kept) AS other FROM counted)
      GROUP BY ALL ORDER BY bucket, other, key`,
      union.params,
    );
    return rows.map((row) => (row.other === true ? { ts: Number(row.bucket), count: Number(row.n), other: true as const } : { ts: Number(row.bucket), count: Number(row.n), key: row.key === null ? null : String(row.key) }));
  }

  async topValues(request: TopValuesRequest): Promise<Array<{ value: unknown; count: number }>> {
    await this.writes.loaded();
    const expression = fieldExpression(request.field);
    const indices = selectIndices(this.sources.names(), request.indices, request);
    const union = filteredUnion(indices, this.relationOf, `${expression} AS value`, request.query, request);
    if (!union.sql) return [];
    const limit = Math.min(Math.max(1, request.limit ?? 10), MAX_TOP_VALUES);
    const rows = await this.read(`SELECT value, CAST(count(*) AS DOUBLE) AS n FROM (${union.sql}) WHERE value IS NOT NULL GROUP BY value ORDER BY n DESC, value LIMIT ${limit}`, union.params);
    return rows.map((row) => ({ value: typeof row.value === 'bigint' ? Number(row.value) : row.value, count: Number(row.n) }));
  }

  async listIndices(): Promise<IndexInfo[]> {
    await this.writes.loaded();
    this.sources.refreshCold();
    const names = this.sources.names().sort();
    if (names.length === 0) return [];
    const rows = await this.read(names.map((name) => `SELECT '${name}' AS name, CAST(count(*) AS DOUBLE) AS n FROM ${this.sources.relation(name)}`).join(' UNION ALL '), []);
    return rows.map((row) => {
      const name = String(row.name);
      return { name, events: Number(row.n), tier: this.sources.isCold(name) ? 'cold' as const : 'hot' as const, day: indexDay(name) };
    });
  }

  async absentFields(request: AbsentFieldsRequest): Promise<AbsentField[]> {
    await this.writes.loaded();
    return absentFields((sql, params) => this.read(sql, params), selectIndices(this.sources.names(), request.indices, request), this.relationOf, request.fields, request);
  }

  async fields(request: FieldsRequest): Promise<FieldList> {
    await this.writes.loaded();
    return fieldList((sql, params) => this.read(sql, params), selectIndices(this.sources.names(), request.indices, request), this.relationOf, request.query, request, request.sampleSize);
  }

  /**
   * The cold phase of R27: writes an index to zstd Parquet (about a third of its size in
   * DuckDB) and drops its table; search reads the file from then on. Appends wait meanwhile.
   */
  moveToCold(index: string): Promise<ColdMove> {
    return this.writes.exclusive(() => moveIndexToCold(this.writer, this.sources, index));
  }

  async orderScopes(orderId: string): Promise<string[]> {
    await this.writes.loaded();
    const rows = await this.read(`SELECT DISTINCT scope FROM ${ORDER_DAYS} WHERE order_id = $1 ORDER BY scope`, [orderId]);
    const names = this.sources.names();
    return rows.map((row) => String(row.scope)).filter((scope) => names.some((name) => matchesIndexPattern(name, scope)));
  }

  async journeyEvents(indices: string, request: JourneyRequest): Promise<JourneyEvents> {
    await this.writes.loaded();
    const names = selectIndices(this.sources.names(), indices, {});
    if (names.length === 0) return { events: [], traceIds: [], truncated: false };
    const coldBefore = names.filter((name) => this.sources.isCold(name)).length;
    const run = () => readJourney((sql, params) => this.read(sql, params), this.sources, names, request);
    try {
      return await run();
    } catch (error) {
      // An index moved to the cold tier between the reads: read again from where it is now.
      if (names.filter((name) => this.sources.isCold(name)).length === coldBefore) throw error;
      return run();
    }
  }

  async close(): Promise<void> {
    await this.writes.close();
    await this.writer.run('CHECKPOINT').catch(() => undefined);
    this.writer.closeSync();
    this.readers.close();
    this.instance.closeSync();
  }

  private readonly relationOf = (index: string): string => this.sources.relation(index);

  private read(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    return this.readers.read(sql, params);
  }
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1) throw new LoupeError('SEARCH_BAD_LIMIT', 'limit must be a whole number from 1 to 10000');
  return Math.min(limit, MAX_LIMIT);
}
