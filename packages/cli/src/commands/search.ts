import { count } from '../count.js';
import { commandArgs, type Command } from '../command.js';
import { eventLine } from '../event-line.js';
import { parseTimeParam } from '@loupe/platform';
import { getJson } from '../platform-client.js';
import { askForFields, queryParams, rangeOptions, rangeWords, reportAbsentFields, unquotedQuery, type AbsentField } from '../query-options.js';

interface SearchAnswer {
  events: Array<Record<string, unknown>>;
  next?: string;
  absentFields?: AbsentField[];
}

/** Events per request when --all pages through every match. */
const ALL_PAGE = 1000;

export const searchCommand: Command = {
  name: 'search',
  summary: 'Print events matching a KQL query as NDJSON (or --text lines), newest first (R28)',
  usage: "loupe search 'service.name:mes-api and log.level:error' [--from 1h] [--to now] [--limit 100 | --all] [--indices logs-*] [--fields order.id,order.*] [--text]",
  async run(argv) {
    const parsed = commandArgs(searchCommand, {
        args: argv,
        allowPositionals: true,
        options: { ...rangeOptions, limit: { type: 'string', default: '100' }, text: { type: 'boolean', default: false }, fields: { type: 'string' }, all: { type: 'boolean', default: false } },
      });
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    if (unquotedQuery('search', positionals.slice(1), "'order.id:ORD-1042'")) return 2;
    if (values.all && argv.some((arg) => arg === '--limit' || arg.startsWith('--limit='))) {
      console.error(`loupe search: --all prints every match; leave out --limit\nUsage: ${searchCommand.usage}`);
      return 2;
    }
    const params = queryParams(positionals[0] ?? '', values);
    params.set('limit', values.all ? String(ALL_PAGE) : values.limit);
    const others = askForFields(params, values.fields, values.text);
    if (values.all) {
      // Pages are read one after another: the range is fixed once, so "1h" means the same hour on every page.
      const now = Date.now();
      params.set('from', new Date(parseTimeParam(values.from, 'from', now)!).toISOString());
      params.set('to', new Date(parseTimeParam(values.to, 'to', now) ?? now).toISOString());
      // `loupe search --all | head` closes stdout: that ends the export, quietly.
      process.stdout.on('error', () => process.exit(0));
    }
    const progress = values.all && process.stderr.isTTY;
    let printed = 0;
    let page: SearchAnswer;
    do {
      page = await getJson<SearchAnswer>(`/api/search?${params}`, 'events');
      for (const event of page.events) process.stdout.write(`${values.text ? eventLine(event, others) : JSON.stringify(event)}\n`);
      printed += page.events.length;
      if (page.next) params.set('after', page.next);
      if (progress && page.next) process.stderr.write(`\rloupe search: ${count(printed)} events so far…`);
    } while (values.all && page.next);
    if (progress && printed >= ALL_PAGE) process.stderr.write(`\rloupe search: ${count(printed)} events\x1b[K\n`);
    // On stderr, so a script reading stdout still gets nothing; a person sees the search ran.
    if (printed === 0) {
      console.error(`loupe search: no events match in ${rangeWords(values)}`);
      reportAbsentFields('search', page.absentFields);
    }
    if (!values.all && page.next && process.stderr.isTTY) console.error(`loupe search: more events match; raise --limit, narrow --from, or print them all with --all`);
    return 0;
  },
};
