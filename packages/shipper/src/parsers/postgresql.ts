import { ecsLevel } from './levels.js';
import type { EventSource, LogParser, ParsedEvent } from './parser.js';
import { parseFailure, textDocument } from './text-document.js';
import { parseLeadingTimestamp } from './timestamp.js';

/**
 * After the timestamp of Debian's default `log_line_prefix = '%m [%p] %q%u@%d '`: the
 * process id, then `user@database` for session processes (`%q` leaves it out for the
 * others), then `SEVERITY:  message`.
 */
const afterTimestamp = /^ \[(\d+)\] (?:(\S*)@(\S*) )?([A-Z][A-Z0-9]*):  ?(.*)$/s;
/** Lines PostgreSQL writes after a message, about that message (same process): they join it. */
const companions = new Set(['DETAIL', 'HINT', 'STATEMENT', 'CONTEXT', 'QUERY', 'LOCATION']);

interface PrefixedLine {
  timestampMs: number;
  pid: string;
  user?: string;
  database?: string;
  severity: string;
  message: string;
}

function readLine(line: string): PrefixedLine | undefined {
  const timestamp = parseLeadingTimestamp(line);
  if (!timestamp) return undefined;
  const rest = afterTimestamp.exec(line.slice(timestamp.length));
  if (!rest || !ecsLevel(rest[4]!)) return undefined;
  return { timestampMs: timestamp.ms, pid: rest[1]!, user: rest[2], database: rest[3], severity: rest[4]!, message: rest[5]! };
}

/** PostgreSQL's own server log (stderr format), with multi-line statements continued on tab-indented lines. */
export const postgresqlParser: LogParser = {
  name: 'postgresql',
  multiline: true,

  continues(line, first) {
    if (line.startsWith('\t')) return true;
    const next = readLine(line);
    if (!next || !companions.has(next.severity)) return false;
    return readLine(first)?.pid === next.pid;
  },

  parse(text: string, source: EventSource): ParsedEvent {
    const newline = text.indexOf('\n');
    const first = readLine(newline === -1 ? text : text.slice(0, newline));
    const service = { ...source, service: 'postgresql' };
    if (!first) return { document: parseFailure(text, service, 'not a PostgreSQL log line (expected "%m [%p] %q%u@%d SEVERITY:  message")') };
    // Continuation lines keep their text, without the tab PostgreSQL indents them with; a
    // DETAIL or STATEMENT line keeps its severity word but not the repeated prefix.
    const continuation = newline === -1 ? '' : text.slice(newline + 1).split('\n').map((line) => {
      if (line.startsWith('\t')) return `\n${line.slice(1)}`;
      const companion = readLine(line);
      return companion ? `\n${companion.severity}:  ${companion.message}` : `\n${line}`;
    }).join('');
    const fields: Record<string, unknown> = {
      'log.level': ecsLevel(first.severity),
      'process.pid': Number(first.pid),
      'postgresql.log.severity': first.severity,
    };
    if (first.user) fields['user.name'] = first.user;
    if (first.database) fields['postgresql.log.database'] = first.database;
    return { document: textDocument(first.message + continuation, service, fields), timestampMs: first.timestampMs };
  },
};
