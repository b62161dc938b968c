/** One event offered to ingest, from any protocol, before the pipeline. */
export interface IngestItem {
  /** The parsed event, or undefined when the line could not be parsed (then `error` says why). */
  document?: unknown;
  /** The shipper's id (`_id` of a bulk action). */
  id?: string;
  /** The line as received (kept in the dead-letter index when the item fails). */
  raw: string;
  /** Set when the item is already known to be bad. */
  error?: ItemError;
}

export interface ItemError {
  /** HTTP-like status for the item: 400 malformed, 413 too large. */
  status: number;
  /** Elasticsearch-style error type, e.g. `mapper_parsing_exception`. */
  type: string;
  reason: string;
}

export interface ItemOutcome {
  /** 201 stored, 200 already stored (duplicate id), 4xx rejected and dead-lettered. */
  status: number;
  id: string;
  index: string;
  error?: ItemError;
}
