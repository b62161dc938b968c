export interface IngestLimits {
  /** Largest request body, after decompression (default 100 MiB, as Elasticsearch's http.max_content_length). */
  maxBodyBytes: number;
  /** Longest single event line; a longer one is rejected as its own item (default 1 MiB). */
  maxLineBytes: number;
  /** Bytes of requests being processed at once; past it ingest answers 429 so clients back off (default 256 MiB). */
  maxInFlightBytes: number;
}

export const defaultIngestLimits: IngestLimits = {
  maxBodyBytes: 100 * 1024 * 1024,
  maxLineBytes: 1024 * 1024,
  maxInFlightBytes: 256 * 1024 * 1024,
};
