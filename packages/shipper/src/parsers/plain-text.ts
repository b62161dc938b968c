import { ecsLevel } from './levels.js';
import type { EventSource, LogParser, ParsedEvent } from './parser.js';
import { textDocument } from './text-document.js';
import { parseLeadingTimestamp } from './timestamp.js';

/** Lines that continue a stack trace or a wrapped message: indented, `at …`, `Caused by: …`, `... 12 more`. */
const continuation = /^(?:\s|at |Caused by|\.\.\. \d+ more)/;
/** A severity word near the start, bare or in brackets: `ERROR`, `[warn]`, `level=info`. */
const levelWord = /^[\s[(|-]*(?:level=)?([A-Za-z]+)\b/;

/**
 * Any other text log: one event per line, with the lines of a stack trace joined to the line
 * before them. In a log whose lines start with a timestamp, a line without one (the
 * exception under a Java error line) belongs to the event before it too. A leading
 * timestamp and a severity word after it are read when present.
 */
export const plainTextParser: LogParser = {
  name: 'plain',
  multiline: true,

  continues(line, first) {
    return continuation.test(line) || (parseLeadingTimestamp(line) === undefined && parseLeadingTimestamp(first) !== undefined);
  },

  parse(text: string, source: EventSource): ParsedEvent {
    const timestamp = parseLeadingTimestamp(text);
    const fields: Record<string, unknown> = {};
    if (timestamp) {
      const word = levelWord.exec(text.slice(timestamp.length, timestamp.length + 40));
      const level = word ? ecsLevel(word[1]!) : undefined;
      if (level) fields['log.level'] = level;
    }
    return { document: textDocument(text, source, fields), timestampMs: timestamp?.ms };
  },
};
