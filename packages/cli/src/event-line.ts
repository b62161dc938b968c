/** One event as a line for people: time, service, level and message, in columns. */
export function eventLine(event: Record<string, unknown>): string {
  return `${String(event['@timestamp'])}  ${String(event['service.name'] ?? '-').padEnd(13)} ${String(event['log.level'] ?? '-').padEnd(5)} ${String(event.message ?? '')}`;
}
