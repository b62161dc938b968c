import type { LogStore } from '../store/log-store.js';
import type { StagedBatch } from '../store/duckdb/stage-batch.js';
import { createPipeline, type PipelineOptions } from '../pipeline/pipeline.js';
import type { ItemOutcome } from './ingest-item.js';
import { ingestItems, type Pipeline } from './ingest-items.js';
import { jobItems, markStored, prepareIngest, type IngestJob, type JobItem } from './worker/prepare-ingest.js';
import { IngestWorkers } from './worker/ingest-workers.js';

/** A store that takes batches staged off its writer's thread (the DuckDB store). */
interface StagingStore extends LogStore {
  readonly stagingDir: string;
  appendStaged(staged: StagedBatch): Promise<Set<string>>;
}

function canStage(store: LogStore): store is StagingStore {
  return typeof (store as Partial<StagingStore>).appendStaged === 'function';
}

export interface IngestResult {
  entries: JobItem[];
  outcomes: ItemOutcome[];
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

  async ingest(job: IngestJob): Promise<IngestResult> {
    const store = this.store;
    if (!canStage(store)) {
      const items = [...jobItems(job)];
      return { entries: items, outcomes: await ingestItems(store, this.pipeline, items, job.protocol) };
    }
    const prepared = this.workers ? await this.workers.prepare(job) : prepareIngest(job, this.pipeline, store.stagingDir);
    markStored(prepared.outcomes, await store.appendStaged(prepared.staged));
    return { entries: prepared.entries, outcomes: prepared.outcomes };
  }

  close(): Promise<void> {
    return this.workers?.close() ?? Promise.resolve();
  }
}
