import { rm } from 'node:fs/promises';
import { checkedOnEveryDay } from './append-batch.js';
import { makeReady } from './ready-files.js';
import type { StagedBatch } from './stage-batch.js';

/** Writes staged batches in one transaction; per batch, the ids it found already stored. */
export type LoadBatches = (batches: readonly StagedBatch[]) => Promise<Array<Set<string>>>;

export interface WriteQueueOptions {
  /** Where staging and ready files are. */
  dir: string;
  /**
   * How long an acknowledged batch may wait to be loaded together with the next ones (ms);
   * 0 loads every batch before acknowledging it.
   */
  loadIntervalMs: number;
  /** Whether an idle writer loads an acknowledged batch at once rather than letting it wait for the interval. */
  loadWhenIdle: boolean;
  /** Rows waiting past which they are loaded at once. */
  maxWaitingRows: number;
  /** The newest timestamp (epoch ms) an index holds: -Infinity for a new index, undefined while not known. */
  newestStored(index: string): number | undefined;
  /** Told when acknowledged batches failed to load; they stay on disk and are tried again. */
  onLoadError(error: unknown): void;
}

interface Queued {
  staged: StagedBatch;
  /** Acknowledged already: when it fails to load, its files are kept and it waits to be tried again. */
  acknowledged: boolean;
  /** Failed to load before: tried in a transaction of its own, so it cannot fail the others again. */
  alone: boolean;
  resolve(existing: Set<string>): void;
  reject(error: unknown): void;
}

/** Loads of `maxWaitingRows` acknowledged and not yet done, past which batches are loaded before they are acknowledged. */
const MAX_BACKLOG_BATCHES = 4;
/** An idle writer loads what waits at once while it is below this fraction of `maxWaitingRows`. */
const AT_ONCE_FRACTION = 5;
const rowsOf = (staged: StagedBatch) => staged.slices.reduce((rows, slice) => rows + slice.rows, 0);
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
const removeFiles = (staged: StagedBatch) => Promise.all(staged.slices.map((slice) => rm(slice.file, { force: true })));

/**
 * The DuckDB store's writer (R24, R26). DuckDB's cost per row falls steeply with the rows per
 * `INSERT` (BENCHMARKS.md), so a batch that cannot hold a stored id, being newer than all its
 * indices hold, is acknowledged as soon as its staging files are synced to disk and renamed
 * ready, as Elasticsearch acknowledges once its translog is synced. An idle writer loads it
 * at once; a busy one lets it gather with the batches that follow within `loadIntervalMs`,
 * so loads grow with the rate (at a modest one nothing waits for readers to load). Any other
 * batch (one that may repeat ids, an older one, dead letters) is loaded before it is
 * acknowledged, after the waiting ones, so its ids are checked against theirs. Every reader
 * first calls `loaded()`, so what was acknowledged is found. Whatever loads together goes in
 * one transaction (group commit). An acknowledged batch that fails to load stays on disk and
 * is tried again, alone; until it loads, no batch is acknowledged before it is loaded, so
 * clients see the failure.
 */
export class WriteQueue {
  private readonly queue: Queued[] = [];
  private writing = false;
  /** Acknowledged, not yet handed to the writer. */
  private waiting: Array<{ staged: StagedBatch; alone: boolean }> = [];
  private waitingRows = 0;
  /** Rows of acknowledged batches handed to the writer and not yet loaded. */
  private loadingRows = 0;
  /** Batches being synced and renamed ready. */
  private readonly becomingReady = new Set<Promise<unknown>>();
  /** Acknowledged batches handed to the writer and not yet loaded. */
  private readonly loading = new Set<Promise<void>>();
  /** Per index, the time spans of batches not yet loaded (until the index's newest stored event passes them). */
  private readonly acknowledgedSpans = new Map<string, Array<{ minTs: number; maxTs: number }>>();
  private timer: NodeJS.Timeout | undefined;
  /** Acknowledged batches that failed to load and wait to be tried again. */
  private failing = 0;

  constructor(private readonly load: LoadBatches, private readonly options: WriteQueueOptions) {}

  /** Stores a staged batch durably; resolves with the ids that were already stored. */
  append(staged: StagedBatch): Promise<Set<string>> {
    return this.canWait(staged) ? this.acknowledgeReady(staged) : this.loadNow(staged);
  }

  /** Batches a stopped process left ready (see `readyBatches`): acknowledged, so loaded like waiting ones. */
  recover(batches: readonly StagedBatch[]): Promise<void> {
    for (const staged of batches) this.wait(staged);
    return this.loaded();
  }

  /**
   * Resolves once every batch acknowledged before the call is loaded: what a client was told
   * is stored, a reader finds. Batches still being synced are not acknowledged yet, and those
   * acknowledged meanwhile are not waited for, so a reader is not held up by a steady stream.
   */
  async loaded(): Promise<void> {
    if (this.waiting.length > 0) this.startLoading();
    await Promise.all([...this.loading]);
  }

  /** Runs `work` with the writer to itself, once what was acknowledged is loaded (moving an index to the cold tier). */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    await this.loaded();
    while (this.writing) await pause();
    this.writing = true;
    try {
      return await work();
    } finally {
      this.writing = false;
      void this.drain();
    }
  }

  /** Loads what waits and finishes what was queued. Batches that failed to load stay on disk for the next start. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.becomingReady]);
    await this.loaded();
    while (this.writing || this.queue.length > 0) await pause();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Whether no slice of the batch can hold a stored id, nor one of a batch acknowledged and
   * not yet loaded: an id always comes with the same timestamp, so a slice newer than its
   * index and apart from those batches' spans holds none. Spans rather than only the newest
   * timestamp, because batches prepared side by side can arrive out of order.
   */
  private canWait(staged: StagedBatch): boolean {
    // While loads fail, nothing more is acknowledged before it is loaded: clients get the error and keep their batches.
    if (this.options.loadIntervalMs <= 0 || staged.slices.length === 0 || this.failing > 0) return false;
    // Nor while loading lags behind: clients then wait for their batches to load, and ingest's back-pressure (429) applies.
    if (this.waitingRows + this.loadingRows >= MAX_BACKLOG_BATCHES * this.options.maxWaitingRows) return false;
    return staged.slices.every((slice) => {
      const stored = this.options.newestStored(slice.index);
      if (checkedOnEveryDay(slice) || stored === undefined || !(slice.minTs > stored)) return false;
      const spans = (this.acknowledgedSpans.get(slice.index) ?? []).filter((span) => span.maxTs > stored);
      this.acknowledgedSpans.set(slice.index, spans);
      return spans.every((span) => slice.maxTs < span.minTs || slice.minTs > span.maxTs);
    });
  }

  private async acknowledgeReady(staged: StagedBatch): Promise<Set<string>> {
    // Noted before the files are synced: a batch that comes meanwhile is judged against this one.
    this.noteSpans(staged);
    const ready = makeReady(staged, this.options.dir);
    this.becomingReady.add(ready);
    try {
      this.wait(await ready);
    } finally {
      this.becomingReady.delete(ready);
    }
    return new Set();
  }

  private noteSpans(staged: StagedBatch): void {
    for (const { index, minTs, maxTs } of staged.slices) {
      const spans = this.acknowledgedSpans.get(index);
      if (spans) spans.push({ minTs, maxTs });
      else this.acknowledgedSpans.set(index, [{ minTs, maxTs }]);
    }
  }

  private wait(staged: StagedBatch, alone = false): void {
    this.waiting.push({ staged, alone });
    this.waitingRows += rowsOf(staged);
    // An idle writer loads what waits at once, so at a modest rate nothing waits and readers
    // have nothing to load. When batches gathered while it was busy (a high rate), they keep
    // gathering for the interval and load together, since larger loads cost less per row.
    const idle = this.options.loadWhenIdle && !this.writing && this.queue.length === 0 && this.loading.size === 0;
    if ((idle && this.waitingRows < this.options.maxWaitingRows / AT_ONCE_FRACTION) || this.waitingRows >= this.options.maxWaitingRows) this.startLoading();
    else this.timer ??= setTimeout(() => this.startLoading(), this.options.loadIntervalMs).unref();
  }

  /** Hands the waiting batches to the writer. */
  private startLoading(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = this.waiting;
    this.waiting = [];
    this.waitingRows = 0;
    if (batches.length === 0) return;
    const done = Promise.all(batches.map(({ staged, alone }) => new Promise<void>((resolve) => {
      const rows = rowsOf(staged);
      this.loadingRows += rows;
      this.queue.push({
        staged,
        acknowledged: true,
        alone,
        resolve: () => {
          this.loadingRows -= rows;
          if (alone) this.failing--;
          resolve();
        },
        reject: (error) => {
          this.loadingRows -= rows;
          if (!alone) this.failing++;
          this.options.onLoadError(error);
          this.wait(staged, true);
          resolve();
        },
      });
    }))).then(() => undefined);
    this.loading.add(done);
    void done.then(() => this.loading.delete(done));
    void this.drain();
  }

  private async loadNow(staged: StagedBatch): Promise<Set<string>> {
    // A batch that comes meanwhile and overlaps this one in time is loaded after it, not acknowledged first.
    this.noteSpans(staged);
    // The batches acknowledged before this one are loaded first, so its ids are checked against theirs.
    await Promise.allSettled([...this.becomingReady]);
    this.startLoading();
    return new Promise<Set<string>>((resolve, reject) => {
      this.queue.push({ staged, acknowledged: false, alone: false, resolve, reject });
      void this.drain();
    });
  }

  /** Group commit: batches that arrive while one group is written go together in the next transaction. */
  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const taken = this.queue.splice(0, this.queue.length);
        for (const queued of taken.filter(({ alone }) => alone)) await this.loadAlone(queued);
        const group = taken.filter(({ alone }) => !alone);
        if (group.length === 0) continue;
        let existing: Array<Set<string>>;
        try {
          existing = await this.load(group.map((queued) => queued.staged));
        } catch (error) {
          // A batch DuckDB cannot load must not fail the others that shared its transaction: each is tried alone.
          if (group.length === 1) await this.failed(group[0]!, error);
          else for (const queued of group) await this.loadAlone(queued);
          continue;
        }
        await Promise.all(group.map((queued) => removeFiles(queued.staged)));
        group.forEach((queued, i) => queued.resolve(existing[i]!));
      }
    } finally {
      this.writing = false;
    }
  }

  private async loadAlone(queued: Queued): Promise<void> {
    try {
      const [existing] = await this.load([queued.staged]);
      await removeFiles(queued.staged);
      queued.resolve(existing!);
    } catch (error) {
      await this.failed(queued, error);
    }
  }

  private async failed(queued: Queued, error: unknown): Promise<void> {
    // A batch not yet acknowledged is the client's to send again; an acknowledged one is kept.
    if (!queued.acknowledged) await removeFiles(queued.staged);
    queued.reject(error);
  }
}
