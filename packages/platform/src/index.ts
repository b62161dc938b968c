export * from './kql/index.js';
export { loadPlatformConfig, platformAddress, type PlatformConfig } from './config.js';
export { buildPlatformApp, type PlatformDeps } from './app.js';
export { startPlatform, type RunningPlatform } from './start-platform.js';
export { createPipeline, contentId, type PipelineOptions, type PipelineInput, type PipelineResult } from './pipeline/pipeline.js';
export { DuckDbStore, type DuckDbStoreOptions } from './store/duckdb/duckdb-store.js';
/** The store's table layout, for tools that generate a store's data in bulk (the search benchmark). */
export { tableColumnsSql } from './store/duckdb/table-sql.js';
export { orderKeySql } from './store/duckdb/order-key.js';
export type { LogStore, SearchRequest, SearchPage, HistogramRequest, HistogramBucket, TopValuesRequest, IndexInfo, AppendResult, SortKey } from './store/log-store.js';
export { typedColumns, toRecord, type StoredEvent } from './store/stored-event.js';
export { indexFor, deadLetterIndexFor, defaultIndexLayout, DEAD_LETTER_PREFIX, type IndexLayout } from './store/index-names.js';
export { orderJourney, statusSpans, type Journey, type StatusSpan } from './search/journey.js';
export { parseTimeParam } from './search/time-params.js';
