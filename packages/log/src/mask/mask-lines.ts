import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { maskRecord } from './mask-record.js';
import { maskText } from './mask-text.js';

/**
 * Masks one line: a JSON object goes through `maskRecord` and comes back as one JSON line (the
 * line itself when nothing needed masking), anything else through `maskText`.
 */
export function maskLine(line: string): string {
  const start = line.trimStart();
  if (start.startsWith('{') && line.trimEnd().endsWith('}')) {
    const record = parseObject(line);
    if (record !== undefined) {
      const masked = maskRecord(record);
      return masked === record ? line : JSON.stringify(masked);
    }
  }
  return maskText(line);
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    // Not JSON after all (`{user} logged in`): masked as text.
    return undefined;
  }
}

/**
 * Reads `input` line by line and writes every line masked to `output`: what `loupe mask`
 * runs. Invalid UTF-8 is read as U+FFFD; lines of any length are handled; `output`'s
 * back-pressure is respected. Resolves with the number of lines once all are written.
 */
export async function maskLines(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<{ lines: number }> {
  const reader = createInterface({ input, crlfDelay: Infinity, terminal: false });
  let lines = 0;
  for await (const line of reader) {
    lines++;
    if (!output.write(`${maskLine(line)}\n`)) await once(output, 'drain');
  }
  return { lines };
}
