import { count } from '../count.js';
import { commandArgs, type Command } from '../command.js';
import { getJson } from '../platform-client.js';
import { queryParams, rangeOptions, rangeWords, reportAbsentFields, unquotedQuery, type AbsentField } from '../query-options.js';

interface FieldsAnswer {
  sampleSize: number;
  sampled: number;
  fields: Array<{ field: string; type: string; types?: string[]; events: number; column: boolean }>;
  absentFields?: AbsentField[];
}


/** A share as a person reads it: 100%, 37%, <1%. */
function share(part: number, whole: number): string {
  const percent = (part / whole) * 100;
  return percent >= 1 || part === 0 ? `${Math.round(percent)}%` : '<1%';
}

export const fieldsCommand: Command = {
  name: 'fields',
  summary: 'List the fields of the events matching a KQL query: type, and how many events hold each (R28)',
  usage: "loupe fields ['service.name:mes-api'] [--from 24h] [--to now] [--indices logs-*] [--json]",
  async run(argv) {
    const parsed = commandArgs(fieldsCommand, { args: argv, allowPositionals: true, options: { ...rangeOptions, json: { type: 'boolean', default: false } } });
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    if (unquotedQuery('fields', positionals.slice(1), "'service.name:mes-api and log.level:error'")) return 2;
    const answer = await getJson<FieldsAnswer>(`/api/fields?${queryParams(positionals[0] ?? '*', values)}`, 'fields');
    if (values.json) {
      console.log(JSON.stringify(answer));
      return 0;
    }
    if (answer.sampled === 0) {
      console.error(`loupe fields: no events match in ${rangeWords(values)}`);
      reportAbsentFields('fields', answer.absentFields);
      return 0;
    }
    const sample = answer.sampled < answer.sampleSize ? `the ${count(answer.sampled)} events` : `the newest ${count(answer.sampled)} events`;
    console.log(`${answer.fields.length} fields in ${sample} matching in ${rangeWords(values)} (* in a column of its own: fastest to search)`);
    const width = Math.max(5, ...answer.fields.map((field) => field.field.length)) + 4;
    const counts = answer.fields.map((field) => `${share(field.events, answer.sampled).padStart(4)}  ${count(field.events)}`);
    const countWidth = Math.max(6, ...counts.map((text) => text.length)) + 2;
    console.log(`${'FIELD'.padEnd(width)}${'EVENTS'.padEnd(countWidth)}TYPE`);
    answer.fields.forEach((field, i) => {
      const type = field.type === 'mixed' ? `mixed (${field.types!.join(', ')})` : field.type;
      console.log(`${(field.field + (field.column ? ' *' : '')).padEnd(width)}${counts[i]!.padEnd(countWidth)}${type}`);
    });
    return 0;
  },
};
