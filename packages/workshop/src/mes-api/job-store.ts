import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import type { Metal, OrderStatus, PricingStatus, Product, QuoteLine, ToManufacturingMessage } from '../domain/index.js';

/** MES's record of an order it prices or makes; `status` is the order's status as MES last set or saw it. */
export interface ProductionJob extends Omit<ToManufacturingMessage, 'stage'> {
  status: OrderStatus;
  operatorId?: string;
  createdAt: string;
  updatedAt: string;
}

export interface PriceCalculation {
  id: number;
  messageId: string;
  status: PricingStatus;
  triangles?: number;
  metalGrams?: number;
  total?: number;
  currency?: string;
  lines?: QuoteLine[];
  failureCode?: string;
  failureReason?: string;
  startedAt: string;
  finishedAt?: string;
}

interface JobRow {
  order_id: string; customer_id: string; product: Product; metal: Metal; scale: number; ring_size_mm: number | null;
  model_file_id: string; status: OrderStatus; operator_id: string | null; created_at: Date; updated_at: Date;
}

function toJob(row: JobRow): ProductionJob {
  return {
    orderId: row.order_id, customerId: row.customer_id, product: row.product, metal: row.metal, scale: row.scale,
    ...(row.ring_size_mm !== null && { ringSizeMm: row.ring_size_mm }), modelFileId: row.model_file_id, status: row.status,
    ...(row.operator_id && { operatorId: row.operator_id }), createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

/** Records (or refreshes) the job a hand-off message describes, in `status`. */
export async function upsertJob(tx: Database, order: ToManufacturingMessage, status: OrderStatus): Promise<void> {
  await tx.query(
    `INSERT INTO production_jobs (order_id, customer_id, product, metal, scale, ring_size_mm, model_file_id, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (order_id) DO UPDATE SET product = $3, metal = $4, scale = $5, ring_size_mm = $6, model_file_id = $7, status = $8, updated_at = now()`,
    [order.orderId, order.customerId, order.product, order.metal, order.scale, order.ringSizeMm ?? null, order.modelFileId, status],
    { orderId: order.orderId },
  );
}

export async function requireJob(db: Database, orderId: string, options: { forUpdate?: boolean } = {}): Promise<ProductionJob> {
  const { rows } = await db.query<JobRow>(`SELECT * FROM production_jobs WHERE order_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [orderId], { orderId });
  if (!rows[0]) throw new LoupeError('JOB_NOT_FOUND', `Manufacturing has no job for order ${orderId}; CRM hands orders on first`, 404);
  return toJob(rows[0]);
}

export async function listJobs(db: Database, filter: { statuses?: OrderStatus[]; operatorId?: string; limit?: number }): Promise<ProductionJob[]> {
  const { rows } = await db.query<JobRow>(
    `SELECT * FROM production_jobs WHERE ($1::text[] IS NULL OR status = ANY($1)) AND ($2::text IS NULL OR operator_id = $2)
     ORDER BY updated_at, order_id LIMIT $3`,
    [filter.statuses ?? null, filter.operatorId ?? null, filter.limit ?? 100],
  );
  return rows.map(toJob);
}

export async function setJobStatus(tx: Database, orderId: string, status: OrderStatus): Promise<void> {
  await tx.query('UPDATE production_jobs SET status = $2, updated_at = now() WHERE order_id = $1', [orderId, status], { orderId });
}

/** A step the floor reported (`POST /jobs/:orderId/status`). */
export interface ProductionStep {
  from: OrderStatus;
  to: OrderStatus;
  operatorId: string;
  note?: string;
  changedAt: string;
}

interface StepRow { from_status: OrderStatus; to_status: OrderStatus; operator_id: string; note: string | null; reported_at: Date }

const toStep = (row: StepRow): ProductionStep => ({
  from: row.from_status, to: row.to_status, operatorId: row.operator_id, ...(row.note !== null && { note: row.note }), changedAt: row.reported_at.toISOString(),
});

/** Records a step the floor reported, with the Idempotency-Key of the request that made it. */
export async function recordStep(tx: Database, orderId: string, step: Omit<ProductionStep, 'changedAt'> & { requestKey?: string }): Promise<void> {
  await tx.query(
    'INSERT INTO production_steps (order_id, from_status, to_status, operator_id, note, request_key) VALUES ($1, $2, $3, $4, $5, $6)',
    [orderId, step.from, step.to, step.operatorId, step.note ?? null, step.requestKey ?? null], { orderId },
  );
}

/** The job's reported steps, oldest first. */
export async function stepsOf(db: Database, orderId: string): Promise<ProductionStep[]> {
  const { rows } = await db.query<StepRow>('SELECT from_status, to_status, operator_id, note, reported_at FROM production_steps WHERE order_id = $1 ORDER BY id', [orderId], { orderId });
  return rows.map(toStep);
}

/** The step the request with this Idempotency-Key reported, if it reported one. */
export async function stepMadeBy(db: Database, orderId: string, requestKey: string): Promise<ProductionStep | undefined> {
  const { rows } = await db.query<StepRow>(
    'SELECT from_status, to_status, operator_id, note, reported_at FROM production_steps WHERE order_id = $1 AND request_key = $2', [orderId, requestKey], { orderId },
  );
  return rows.map(toStep)[0];
}

/** Makes `operatorId` the job's operator, ending the previous assignment. */
export async function assignOperator(tx: Database, orderId: string, operatorId: string, assignedBy: string): Promise<void> {
  await tx.query('UPDATE operator_assignments SET released_at = now() WHERE order_id = $1 AND released_at IS NULL', [orderId], { orderId });
  await tx.query('INSERT INTO operator_assignments (order_id, operator_id, assigned_by) VALUES ($1, $2, $3)', [orderId, operatorId, assignedBy], { orderId });
  await tx.query('UPDATE production_jobs SET operator_id = $2, updated_at = now() WHERE order_id = $1', [orderId, operatorId], { orderId });
}

interface CalculationRow {
  id: number; message_id: string; status: PricingStatus; triangles: number | null; metal_grams: number | null; total: string | null;
  currency: string | null; lines: QuoteLine[] | null; failure_code: string | null; failure_reason: string | null; started_at: Date; finished_at: Date | null;
}

function toCalculation(row: CalculationRow): PriceCalculation {
  return {
    id: row.id, messageId: row.message_id, status: row.status, startedAt: row.started_at.toISOString(),
    ...(row.triangles !== null && { triangles: row.triangles }), ...(row.metal_grams !== null && { metalGrams: row.metal_grams }),
    ...(row.total !== null && { total: Number(row.total) }), ...(row.currency && { currency: row.currency }), ...(row.lines && { lines: row.lines }),
    ...(row.failure_code && { failureCode: row.failure_code }), ...(row.failure_reason && { failureReason: row.failure_reason }),
    ...(row.finished_at && { finishedAt: row.finished_at.toISOString() }),
  };
}

/** The calculation started for this hand-off message, if any. */
export async function findCalculation(tx: Database, orderId: string, messageId: string): Promise<PriceCalculation | undefined> {
  const { rows } = await tx.query<CalculationRow>('SELECT * FROM price_quotes WHERE message_id = $1', [messageId], { orderId });
  return rows[0] && toCalculation(rows[0]);
}

/** The calculation for this hand-off message, created QUEUED on first delivery (`created`). */
export async function calculationFor(tx: Database, orderId: string, messageId: string): Promise<PriceCalculation & { created: boolean }> {
  const inserted = await tx.query<CalculationRow>(
    `INSERT INTO price_quotes (order_id, message_id, status) VALUES ($1, $2, 'QUEUED') ON CONFLICT (message_id) DO NOTHING RETURNING *`,
    [orderId, messageId], { orderId },
  );
  if (inserted.rows[0]) return { ...toCalculation(inserted.rows[0]), created: true };
  const { rows } = await tx.query<CalculationRow>('SELECT * FROM price_quotes WHERE message_id = $1', [messageId], { orderId });
  return { ...toCalculation(rows[0]!), created: false };
}

/**
 * Changes a calculation that is not finished yet; false when it is QUOTED or FAILED already,
 * so a slower delivery of the same hand-off cannot pull a finished one back.
 */
export async function updateCalculation(tx: Database, id: number, orderId: string, fields: Record<string, unknown>): Promise<boolean> {
  const names = Object.keys(fields);
  const { rowCount } = await tx.query(
    `UPDATE price_quotes SET ${names.map((name, i) => `${name} = $${i + 2}`).join(', ')} WHERE id = $1 AND status NOT IN ('QUOTED', 'FAILED')`,
    [id, ...names.map((name) => fields[name])],
    { orderId },
  );
  return rowCount > 0;
}

export async function calculationsOf(db: Database, orderId: string): Promise<PriceCalculation[]> {
  const { rows } = await db.query<CalculationRow>('SELECT * FROM price_quotes WHERE order_id = $1 ORDER BY id', [orderId], { orderId });
  return rows.map(toCalculation);
}
