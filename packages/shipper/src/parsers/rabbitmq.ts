import { ecsLevel } from './levels.js';
import type { EventSource, LogParser, ParsedEvent } from './parser.js';
import { parseFailure, textDocument } from './text-document.js';
import { parseLeadingTimestamp } from './timestamp.js';

/** After the timestamp: `[level] <erlang pid> message` (RabbitMQ 3.9+ file log format). */
const afterTimestamp = /^ \[([a-z]+)\] <([\d.]+)> ?(.*)$/s;

interface PrefixedLine {
  timestampMs: number;
  /** Timestamp, level and process as written: a message RabbitMQ spreads over lines repeats it on each. */
  prefix: string;
  level: string;
  pid: string;
  message: string;
}

function readLine(line: string): PrefixedLine | undefined {
  const timestamp = parseLeadingTimestamp(line);
  if (!timestamp) return undefined;
  const rest = afterTimestamp.exec(line.slice(timestamp.length));
  if (!rest || !ecsLevel(rest[1]!)) return undefined;
  const message = rest[3]!;
  return { timestampMs: timestamp.ms, prefix: line.slice(0, line.length - message.length), level: rest[1]!, pid: rest[2]!, message };
}

/**
 * RabbitMQ's server log. A multi-line message comes either as lines that do not start with a
 * timestamp (crash reports) or, from RabbitMQ 3.9 on, as lines that repeat the same
 * timestamp, level and process; both join the event they continue.
 */
export const rabbitmqParser: LogParser = {
  name: 'rabbitmq',
  multiline: true,

  continues(line, first) {
    if (!parseLeadingTimestamp(line)) return true;
    const next = readLine(line);
    return next !== undefined && next.prefix === readLine(first)?.prefix;
  },

  parse(text: string, source: EventSource): ParsedEvent {
    const lines = text.split('\n');
    const first = readLine(lines[0]!);
    const service = { ...source, service: 'rabbitmq' };
    if (!first) return { document: parseFailure(text, service, 'not a RabbitMQ log line (expected "timestamp [level] <pid> message")') };
    const rest = lines.slice(1).map((line) => (line.startsWith(first.prefix) ? line.slice(first.prefix.length) : line));
    const message = [first.message, ...rest].join('\n').trim();
    return {
      document: textDocument(message, service, { 'log.level': ecsLevel(first.level), 'rabbitmq.log.pid': first.pid, 'rabbitmq.log.level': first.level }),
      timestampMs: first.timestampMs,
    };
  },
};
