// An ingest worker thread: decodes, parses, runs the pipeline on and stages the bodies the
// platform's request thread hands it (see ingest-workers.ts), so that thread only serves
// HTTP and drives the store's writer.
import { parentPort, workerData } from 'node:worker_threads';
import { LoupeError } from '@loupe/schema';
import { createPipeline, type PipelineOptions } from '../../pipeline/pipeline.js';
import { prepareIngest, type IngestJob } from './prepare-ingest.js';
import { transferList } from './transfer-list.js';

export interface IngestWorkerData {
  pipeline: PipelineOptions;
  stagingDir: string;
}

export interface JobMessage {
  seq: number;
  job: IngestJob;
  /** Names the job's staging files, so the pool can remove them if this worker stops mid-job. */
  stagingTag: string;
}

const { pipeline: pipelineOptions, stagingDir } = workerData as IngestWorkerData;
const pipeline = createPipeline(pipelineOptions);
const port = parentPort!;

port.on('message', ({ seq, job, stagingTag }: JobMessage) => {
  try {
    const prepared = prepareIngest(job, pipeline, stagingDir, stagingTag);
    // The answer's bytes are moved, not copied.
    port.postMessage({ seq, prepared }, transferList(prepared.bulk?.items, prepared.bulk?.filteredItems));
  } catch (error) {
    const known = error instanceof LoupeError ? { code: error.code, status: error.status } : { code: 'INGEST_WORKER_FAILED', status: 500 };
    port.postMessage({ seq, error: { ...known, message: (error as Error).message } });
  }
});
