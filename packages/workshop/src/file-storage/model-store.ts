import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import type { ModelAnalysis } from './model/index.js';

export interface StoredModelRecord {
  fileId: string;
  sizeBytes: number;
  sha256: string;
  orderId?: string;
  customerId?: string;
  uploadedAt: string;
  analysedAt: string;
  analysis: ModelAnalysis;
}

interface ModelRow {
  id: string; size_bytes: number; sha256: string; order_id: string | null; customer_id: string | null;
  uploaded_at: Date; analysed_at: Date; analysis: ModelAnalysis;
}

function toRecord(row: ModelRow): StoredModelRecord {
  return {
    fileId: row.id, sizeBytes: row.size_bytes, sha256: row.sha256,
    ...(row.order_id && { orderId: row.order_id }), ...(row.customer_id && { customerId: row.customer_id }),
    uploadedAt: row.uploaded_at.toISOString(), analysedAt: row.analysed_at.toISOString(), analysis: row.analysis,
  };
}

export const modelIdPattern = '^MDL-[0-9a-f]{16}$';

/** `MDL-` and 64 random bits: unguessable, so a model id is not a way to browse others' files. */
export function newModelId(): string {
  return `MDL-${randomBytes(8).toString('hex')}`;
}

/** Models as files in one directory (`<id>.stl`) with their metadata and analysis in the `models` table. */
export class ModelStore {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly db: Database, private readonly dir: string) {}

  pathOf(fileId: string): string {
    return join(this.dir, `${fileId}.stl`);
  }

  /** Writes the file (whole or not at all: written aside, then renamed) and its row; removes the file again when the row cannot be written. */
  async save(fileId: string, bytes: Uint8Array, analysis: ModelAnalysis, labels: { orderId?: string; customerId?: string }): Promise<StoredModelRecord> {
    await (this.ready ??= mkdir(this.dir, { recursive: true }));
    const path = this.pathOf(fileId);
    await writeFile(`${path}.part`, bytes);
    await rename(`${path}.part`, path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    try {
      const { rows } = await this.db.query<ModelRow>(
        `INSERT INTO models (id, size_bytes, sha256, encoding, triangles, analysis, order_id, customer_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [fileId, bytes.length, sha256, analysis.encoding, analysis.triangles, JSON.stringify(analysis), labels.orderId ?? null, labels.customerId ?? null],
        labels.orderId ? { orderId: labels.orderId } : undefined,
      );
      return toRecord(rows[0]!);
    } catch (error) {
      // Without its row nobody can name the file (the upload was refused): do not keep it.
      await rm(path, { force: true });
      throw error;
    }
  }

  async find(fileId: string): Promise<StoredModelRecord> {
    const { rows } = await this.db.query<ModelRow>('SELECT * FROM models WHERE id = $1', [fileId]);
    if (!rows[0]) throw new LoupeError('MODEL_NOT_FOUND', `No model ${fileId} in file storage`, 404);
    return toRecord(rows[0]);
  }

  async read(fileId: string): Promise<Buffer> {
    await this.find(fileId);
    return readFile(this.pathOf(fileId));
  }

  async updateAnalysis(fileId: string, analysis: ModelAnalysis): Promise<void> {
    await this.db.query('UPDATE models SET analysis = $2, triangles = $3, analysed_at = now() WHERE id = $1', [fileId, JSON.stringify(analysis), analysis.triangles]);
  }
}
