/** A pino destination that keeps lines in memory: for tests and for embedding a logger in a tool. */
export class MemoryDestination {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  /** Every line parsed as JSON. */
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Lines whose `event.action` is `action`. */
  events(action: string): Record<string, unknown>[] {
    return this.records().filter((record) => record['event.action'] === action);
  }

  clear(): void {
    this.lines.length = 0;
  }
}
