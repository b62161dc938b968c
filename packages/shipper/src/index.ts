export { loadShipperConfig, type ShipperConfig, type InputPattern } from './config.js';
export { startShipper, type RunningShipper } from './shipper.js';
export type { ShipperStatus, FileStatus, ShipperCounters } from './shipper-metrics.js';
export { parserNames, PARSE_FAILURE_TAG, type ParserName } from './parsers/index.js';
export { TRUNCATED_TAG } from './event-assembler.js';
export { BulkClient, readBulkAnswer, type BulkOutcome } from './post-bulk.js';
