import { count } from '../count.js';
import { commandArgs, type Command } from '../command.js';
import { getJson } from '../platform-client.js';
import { queryParams, rangeOptions, rangeWords, reportAbsentFields, unquotedQuery, type AbsentField } from '../query-options.js';

interface TopAnswer {
  field: string;
  values: Array<{ value: unknown; count: number }>;
  absentFields?: AbsentField[];
}

/** The longest bar, in characters. */
const BAR = 30;

export const topCommand: Command = {
  name: 'top',
  summary: 'Show the most frequent values of a field among the events matching a KQL query, with counts (R28)',
  usage: "loupe top FIELD ['log.level:error'] [--limit 10] [--from 24h] [--to now] [--indices logs-*] [--json]",
  async run(argv) {
    const parsed = commandArgs(topCommand, { args: argv, allowPositionals: true, options: { ...rangeOptions, limit: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } } });
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    const [field, query, ...extra] = positionals;
    if (!field) {
      console.error(`loupe top: name the field, e.g. loupe top service.name 'log.level:error'\nUsage: ${topCommand.usage}`);
      return 2;
    }
    if (unquotedQuery('top', extra, `${field} 'log.level:error and service.name:mes-api'`)) return 2;
    const params = queryParams(query ?? '*', values);
    params.set('field', field);
    params.set('limit', values.limit);
    const answer = await getJson<TopAnswer>(`/api/top-values?${params}`, 'values');
    if (values.json) {
      console.log(JSON.stringify(answer));
      return 0;
    }
    if (answer.values.length === 0) {
      console.error(`loupe top: no event matching in ${rangeWords(values)} has a value for ${field}`);
      reportAbsentFields('top', answer.absentFields);
      return 0;
    }
    const shown = answer.values.map(({ value, count: events }) => ({ text: typeof value === 'string' ? value : JSON.stringify(value), count: count(events) }));
    const width = Math.max(field.length, ...shown.map((row) => row.text.length)) + 2;
    const countWidth = Math.max(6, ...shown.map((row) => row.count.length));
    const most = answer.values[0]!.count;
    console.log(`${field.padEnd(width)}${'EVENTS'.padStart(countWidth)}`);
    shown.forEach((row, i) => {
      const bar = '█'.repeat(Math.max(1, Math.round((answer.values[i]!.count / most) * BAR)));
      console.log(`${row.text.padEnd(width)}${row.count.padStart(countWidth)}  ${bar}`);
    });
    return 0;
  },
};
