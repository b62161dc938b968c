import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isValidIndexName } from '../index-names.js';
import { tableIdentifier } from './table-sql.js';

const PARQUET = '.parquet';

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Where each index's rows live (R27): a hot DuckDB table, a cold zstd Parquet file, or both
 * (events that arrive for a day after it went cold land in a new hot table beside the file).
 * Every read goes through `relation()`, so search sees hot and cold alike.
 */
export class IndexSources {
  readonly hot = new Set<string>();
  private readonly cold = new Set<string>();

  constructor(readonly coldDir: string) {
    mkdirSync(coldDir, { recursive: true });
    for (const file of readdirSync(coldDir)) {
      const name = file.slice(0, -PARQUET.length);
      if (file.endsWith(PARQUET) && isValidIndexName(name)) this.cold.add(name);
    }
  }

  /** Every index, hot or cold. */
  names(): string[] {
    return [...new Set([...this.hot, ...this.cold])];
  }

  has(index: string): boolean {
    return this.hot.has(index) || this.cold.has(index);
  }

  isCold(index: string): boolean {
    return this.cold.has(index);
  }

  coldPath(index: string): string {
    return join(this.coldDir, `${index}${PARQUET}`);
  }

  markCold(index: string): void {
    this.hot.delete(index);
    this.cold.add(index);
  }

  /** Forgets a cold file that is gone from disk (deleted by hand or by a lifecycle policy). */
  refreshCold(): void {
    for (const index of this.cold) if (!existsSync(this.coldPath(index))) this.cold.delete(index);
  }

  /** A FROM-clause relation with every row of the index, hot and cold. */
  relation(index: string): string {
    const parts: string[] = [];
    if (this.hot.has(index)) parts.push(tableIdentifier(index));
    if (this.cold.has(index)) parts.push(`read_parquet(${sqlString(this.coldPath(index))})`);
    if (parts.length === 0) return tableIdentifier(index);
    if (parts.length === 1) return parts[0]!;
    return `(${parts.map((part) => `SELECT * FROM ${part}`).join(' UNION ALL BY NAME ')})`;
  }
}
