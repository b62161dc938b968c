import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The platform's cluster id, kept in `<dataDir>/cluster-uuid` so it stays the same across restarts (made on first use). */
export function clusterUuidIn(dataDir: string): string {
  const file = join(dataDir, 'cluster-uuid');
  try {
    const known = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/.test(known)) return known;
  } catch {
    // Not made yet.
  }
  const made = randomUUID();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${made}\n`);
  return made;
}
