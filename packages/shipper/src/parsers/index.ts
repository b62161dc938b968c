import { basename, dirname, relative, sep } from 'node:path';
import { jsonLinesParser } from './json-lines.js';
import type { LogParser, ParserName } from './parser.js';
import { plainTextParser } from './plain-text.js';
import { postgresqlParser } from './postgresql.js';
import { rabbitmqParser } from './rabbitmq.js';

export type { EventSource, LogParser, ParsedEvent, ParserName } from './parser.js';
export { parserNames } from './parser.js';
export { PARSE_FAILURE_TAG } from './text-document.js';

const parsers: Record<ParserName, LogParser> = {
  json: jsonLinesParser,
  postgresql: postgresqlParser,
  rabbitmq: rabbitmqParser,
  plain: plainTextParser,
};

export function parserFor(name: ParserName): LogParser {
  return parsers[name];
}

function isUnder(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}

/**
 * The parser a file gets when its glob names none: PostgreSQL's and RabbitMQ's logs by their
 * usual names, the workshop's `*.log` files as JSON lines, anything else as plain text.
 */
export function defaultParserFor(path: string, workshopLogDir: string): ParserName {
  const name = basename(path);
  if (/^postgresql.*\.log(\.\d+)?$/.test(name)) return 'postgresql';
  if (/^rabbit.*\.log(\.\d+)?$/.test(name)) return 'rabbitmq';
  if (isUnder(path, workshopLogDir) && /\.log(\.\d+)?$/.test(name)) return 'json';
  return 'plain';
}

/** `service.name` for text events: the workshop's folder per service, else the file name without its extension (`.log`, `.txt`, `.out` …) and rotation suffix. */
export function serviceFromPath(path: string, workshopLogDir: string): string {
  if (isUnder(path, workshopLogDir)) {
    const first = relative(workshopLogDir, path).split(sep)[0];
    if (first && first !== basename(path)) return first;
  }
  const stem = basename(path).replace(/(\.\d+)+$/, '').replace(/\.[a-z]{1,4}$/i, '');
  return stem || basename(dirname(path)) || 'unknown';
}
