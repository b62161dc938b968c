import type { LogStore } from '../store/log-store.js';
import type { StagedBatch } from '../store/duckdb/stage-batch.js';
import { createPipeline, type PipelineOptions } from '../pipeline/pipeline.js';
import type { ItemOutcome } from './ingest-item.js';
import { ingestItems, markStored, type Pipeline } from './ingest-items.js';
import { bulkAnswer, withStored, type BulkAnswer } from './bulk/bulk-response.js';
import { jobItems, prepareIngest, type IngestJob, type PreparedIngest } from './worker/prepare-ingest.js';
import { IngestWorkers } from './worker/ingest-workers.js';

/** A store that takes batches staged off its writer's thread (the DuckDB store). */
interface StagingStore extends LogStore {
  readonly stagingDir: string;
  appendStaged(staged: StagedBatch): Promise<Set<string>>;
}

function canStage(store: LogStore): store is StagingStore {
  return typeof (store as Partial<StagingStore>).appendStaged === 'function';
}

/**
 * Bulk and NDJSON bodies into the store (R24, R25). With a store that stages and `workers`
 * above 0, a body is decoded, parsed, run through the pipeline and staged in a worker thread;
 * the request thread only commits it. Otherwise all of it runs in the request thread.
 */
export class Ingestor {
  readonly pipeline: Pipeline;
  private readonly workers?: IngestWorkers;

  constructor(
    private readonly store: LogStore,
    pipelineOptions: PipelineOptions,
    workers: number,
  ) {
    this.pipeline = createPipeline(pipelineOptions);
    if (workers > 0 && canStage(store)) this.workers = new IngestWorkers(workers, { pipeline: pipelineOptions, stagingDir: store.stagingDir });
  }

  /** A `_bulk` body stored; its answer's `errors` and `items`. */
  async ingestBulk(job: IngestJob): Promise<BulkAnswer> {
    const store = this.store;
    if (!canStage(store)) {
      const items = [...jobItems(job)];
      return bulkAnswer(items, await ingestItems(store, this.pipeline, items, job.protocol), job.filterPath);
    }
    const prepared = await this.prepare(job, store);
    return withStored(prepared.bulk!, await store.appendStaged(prepared.staged), job.filterPath);
  }

  /** An NDJSON body stored; each line's outcome. */
  async ingestNdjson(job: IngestJob): Promise<ItemOutcome[]> {
    const store = this.store;
    if (!canStage(store)) return ingestItems(store, this.pipeline, [...jobItems(job)], job.protocol);
    const prepared = await this.prepare(job, store);
    const outcomes = prepared.outcomes!;
    markStored(outcomes, await store.appendStaged(prepared.staged));
    return outcomes;
  }

  private prepare(job: IngestJob, store: StagingStore): Promise<PreparedIngest> {
    return this.workers ? this.workers.prepare(job) : Promise.resolve(prepareIngest(job, this.pipeline, store.stagingDir));
  }

  close(): Promise<void> {
    return this.workers?.close() ?? Promise.resolve();
  }
}
