import { commandArgs, type Command } from '../command.js';
import { eventLine } from '../event-line.js';
import { openStream } from '../platform-client.js';
import { askForFields, unquotedQuery } from '../query-options.js';

/** One server-sent event: its type (`message` unless named) and its data lines joined. */
function parseEvent(block: string): { type: string; data: string } | undefined {
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
  return data.length > 0 ? { type, data: data.join('\n') } : undefined;
}

export const tailCommand: Command = {
  name: 'tail',
  summary: 'Follow events matching a KQL query as they arrive, as NDJSON (or --text lines), until Ctrl-C (R28)',
  usage: "loupe tail ['log.level:error'] [--indices logs-*] [--fields order.id,order.*] [--text]",
  async run(argv) {
    const parsed = commandArgs(tailCommand, { args: argv, allowPositionals: true, options: { indices: { type: 'string' }, fields: { type: 'string' }, text: { type: 'boolean', default: false } } });
    if (!parsed) return 2;
    if (unquotedQuery('tail', parsed.positionals.slice(1), "'service.name:mes-api and log.level:error'")) return 2;
    const params = new URLSearchParams({ q: parsed.positionals[0] ?? '*' });
    if (parsed.values.indices) params.set('indices', parsed.values.indices);
    const others = askForFields(params, parsed.values.fields, parsed.values.text);
    const response = await openStream(`/api/tail?${params}`);
    // `loupe tail | head` closes stdout: that ends the tail, quietly.
    process.stdout.on('error', () => process.exit(0));
    if (process.stderr.isTTY) console.error('loupe tail: the latest matches, then new ones as they arrive; Ctrl-C stops');
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of response.body!) {
      pending += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const event = parseEvent(pending.slice(0, end));
        pending = pending.slice(end + 2);
        if (!event) continue;
        if (event.type === 'error') {
          console.error(`loupe tail: the platform stopped the tail: ${(JSON.parse(event.data) as { message: string }).message}`);
          return 1;
        }
        process.stdout.write(`${parsed.values.text ? eventLine(JSON.parse(event.data) as Record<string, unknown>, others) : event.data}\n`);
      }
    }
    console.error('loupe tail: the platform closed the stream (stopped or restarted)');
    return 1;
  },
};
