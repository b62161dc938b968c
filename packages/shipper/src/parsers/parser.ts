export const parserNames = ['json', 'postgresql', 'rabbitmq', 'plain'] as const;

/** How a file's lines become events: the workshop's JSON lines, PostgreSQL's and RabbitMQ's server logs, or plain text. */
export type ParserName = (typeof parserNames)[number];

/** Where an event came from, for the fields a text parser adds (`log.file.path`, `log.offset`, a fallback `service.name`). */
export interface EventSource {
  path: string;
  offset: number;
  service: string;
}

export interface ParsedEvent {
  /** The event as an ECS document, without `@timestamp` when the text had none. */
  document: Record<string, unknown>;
  /** The event's own time (epoch ms), when the text had one the parser could read. */
  timestampMs?: number;
}

export interface LogParser {
  readonly name: ParserName;
  /** Whether events can span lines (then an event ends only when the next one starts). */
  readonly multiline: boolean;
  /**
   * The fast path for lines that go to the platform untouched: a check (one per file, it
   * may keep state between lines) that is true when the bytes `[start, end)` of `line` are
   * already a document the platform reads with its own timestamp.
   */
  createPassThrough?(): (line: Buffer, start: number, end: number) => boolean;
  /** Whether `line` continues the event whose first line is `first`. */
  continues(line: string, first: string): boolean;
  /** The document for one event; `text` is its lines joined with "\n". */
  parse(text: string, source: EventSource): ParsedEvent;
}
