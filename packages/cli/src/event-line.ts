/** The fields every event line shows, in its columns. */
export const LINE_FIELDS = ['@timestamp', 'service.name', 'log.level', 'message'];

/**
 * One event as a line for people: time, service, level and message, in columns; with
 * `others`, the event's other fields after them as `name=value`.
 */
export function eventLine(event: Record<string, unknown>, others = false): string {
  const line = `${String(event['@timestamp'])}  ${String(event['service.name'] ?? '-').padEnd(13)} ${String(event['log.level'] ?? '-').padEnd(5)} ${String(event.message ?? '')}`;
  if (!others) return line;
  const rest = Object.keys(event).filter((field) => !LINE_FIELDS.includes(field)).map((field) => {
    const value = event[field];
    return `${field}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
  });
  return rest.length > 0 ? `${line}  ${rest.join(' ')}` : line;
}
