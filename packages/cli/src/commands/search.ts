import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { eventLine } from '../event-line.js';
import { getJson } from '../platform-client.js';

export const searchCommand: Command = {
  name: 'search',
  summary: 'Print events matching a KQL query as NDJSON (or --text lines), newest first (R28)',
  usage: "loupe search 'service.name:mes-api and log.level:error' [--from 1h] [--to now] [--limit 100] [--indices logs-*] [--text]",
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { from: { type: 'string', default: '24h' }, to: { type: 'string' }, limit: { type: 'string', default: '100' }, indices: { type: 'string' }, text: { type: 'boolean', default: false } },
      });
    } catch (error) {
      console.error(`loupe search: ${(error as Error).message}\nUsage: ${searchCommand.usage}`);
      return 2;
    }
    const { values, positionals } = parsed;
    if (positionals.length > 1) {
      console.error(`loupe search: quote the query as one argument, e.g. loupe search 'order.id:ORD-1042'`);
      return 2;
    }
    const params = new URLSearchParams({ q: positionals[0] ?? '', from: values.from, limit: values.limit });
    if (values.to) params.set('to', values.to);
    if (values.indices) params.set('indices', values.indices);
    const page = await getJson<{ events: Array<Record<string, unknown>>; next?: string; absentFields?: Array<{ field: string; similar: string[] }> }>(`/api/search?${params}`);
    for (const event of page.events) process.stdout.write(`${values.text ? eventLine(event) : JSON.stringify(event)}\n`);
    // On stderr, so a script reading stdout still gets nothing; a person sees the search ran.
    if (page.events.length === 0) {
      console.error(`loupe search: no events match in ${values.to ? `${values.from} to ${values.to}` : `the last ${values.from}`}`);
      // The platform names the fields no event of the range holds: most often a misspelling.
      for (const { field, similar } of page.absentFields ?? []) {
        console.error(`loupe search: no event in that range has the field ${field}${similar.length > 0 ? `; did you mean ${similar.join(' or ')}?` : ` (loupe search '*' --limit 1 shows an event's fields)`}`);
      }
    }
    if (page.next && process.stderr.isTTY) console.error(`loupe search: more events match; raise --limit or narrow --from`);
    return 0;
  },
};
