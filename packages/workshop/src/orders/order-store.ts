import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import { checkTransition, type Metal, type OrderActor, type OrderStatus, type Product, type Quote } from '../domain/index.js';

export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  product: Product;
  metal: Metal;
  ringSizeMm?: number;
  scale: number;
  comment?: string;
  model?: { fileId: string; sizeBytes: number; triangles: number };
  quote?: Quote;
  /** Why MES could not price the model (status MODEL_REJECTED). */
  rejectionReason?: string;
  createdAt: string;
  updatedAt: string;
  statusChangedAt: string;
}

export interface NewOrder {
  customerId: string;
  product: Product;
  metal: Metal;
  ringSizeMm?: number;
  scale?: number;
  comment?: string;
  /** The user who placed it: the customer, or a CRM operator taking it by phone. */
  createdBy: string;
}

/** One status change, as R5 logs it. */
export interface StatusChange {
  orderId: string;
  customerId: string;
  from: OrderStatus;
  to: OrderStatus;
}

export interface HistoryEntry {
  from: OrderStatus | null;
  to: OrderStatus;
  actor: string;
  actorId: string | null;
  note: string | null;
  changedAt: string;
}

interface OrderRow {
  id: string; customer_id: string; status: OrderStatus; product: Product; metal: Metal; ring_size_mm: number | null; scale: number;
  comment: string | null; model_file_id: string | null; model_size_bytes: number | null; model_triangles: number | null;
  quote: Quote | null; rejection_reason: string | null; created_at: Date; updated_at: Date; status_changed_at: Date;
}

const ORDER_COLUMNS = `id, customer_id, status, product, metal, ring_size_mm, scale, comment, model_file_id, model_size_bytes,
  model_triangles, quote, rejection_reason, created_at, updated_at, status_changed_at`;

function toOrder(row: OrderRow): Order {
  return {
    id: row.id, customerId: row.customer_id, status: row.status, product: row.product, metal: row.metal, scale: row.scale,
    ...(row.ring_size_mm !== null && { ringSizeMm: row.ring_size_mm }),
    ...(row.comment !== null && { comment: row.comment }),
    ...(row.model_file_id !== null && { model: { fileId: row.model_file_id, sizeBytes: row.model_size_bytes ?? 0, triangles: row.model_triangles ?? 0 } }),
    ...(row.quote !== null && { quote: row.quote }),
    ...(row.rejection_reason !== null && { rejectionReason: row.rejection_reason }),
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(), statusChangedAt: row.status_changed_at.toISOString(),
  };
}

export async function createOrder(db: Database, order: NewOrder): Promise<Order> {
  return (await createOrderUnlessKeyed(db, order))!;
}

/**
 * Places the order in one transaction with its NEW history row; with `order.requestKey`, only
 * when its creator placed no order under that key yet (undefined then: see `orderPlacedBy`).
 */
export async function createOrderUnlessKeyed(db: Database, order: NewOrder & { requestKey?: string }): Promise<Order | undefined> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<OrderRow>(
      `INSERT INTO orders (id, customer_id, status, product, metal, ring_size_mm, scale, comment, created_by, request_key)
       VALUES ('ORD-' || nextval('order_number_seq'), $1, 'NEW', $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (created_by, request_key) WHERE request_key IS NOT NULL DO NOTHING RETURNING ${ORDER_COLUMNS}`,
      [order.customerId, order.product, order.metal, order.ringSizeMm ?? null, order.scale ?? 1, order.comment ?? null, order.createdBy, order.requestKey ?? null],
    );
    if (!rows[0]) return undefined;
    const created = toOrder(rows[0]);
    await tx.query(
      `INSERT INTO order_status_history (order_id, from_status, to_status, actor, actor_id) VALUES ($1, NULL, 'NEW', $2, $3)`,
      [created.id, order.createdBy === order.customerId ? 'customer' : 'crm', order.createdBy],
      { orderId: created.id },
    );
    return created;
  });
}

/** The order `createdBy` placed with this Idempotency-Key, if any. */
export async function orderPlacedBy(db: Database, createdBy: string, requestKey: string): Promise<Order | undefined> {
  const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE created_by = $1 AND request_key = $2`, [createdBy, requestKey]);
  return rows[0] && toOrder(rows[0]);
}

export async function findOrder(db: Database, orderId: string, options: { forUpdate?: boolean } = {}): Promise<Order | undefined> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [orderId], { orderId },
  );
  return rows[0] && toOrder(rows[0]);
}

/** The order, or 404 ORDER_NOT_FOUND; with `customerId`, another customer's order is not found either. */
export async function requireOrder(db: Database, orderId: string, options: { customerId?: string; forUpdate?: boolean } = {}): Promise<Order> {
  const order = await findOrder(db, orderId, options);
  if (!order || (options.customerId !== undefined && order.customerId !== options.customerId)) {
    throw new LoupeError('ORDER_NOT_FOUND', `No order ${orderId}${options.customerId ? ' among your orders' : ''}`, 404);
  }
  return order;
}

export interface OrderFilter {
  customerId?: string;
  statuses?: OrderStatus[];
  metal?: Metal;
  product?: Product;
  createdFrom?: string;
  createdTo?: string;
  /** Orders whose status has not changed since before this instant (stuck orders). */
  statusChangedBefore?: string;
  limit?: number;
  offset?: number;
}

/** Newest first, with the count of all matches for paging. */
export async function listOrders(db: Database, filter: OrderFilter): Promise<{ orders: Order[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (filter.customerId) add('customer_id = ?', filter.customerId);
  if (filter.statuses?.length) add('status = ANY(?)', filter.statuses);
  if (filter.metal) add('metal = ?', filter.metal);
  if (filter.product) add('product = ?', filter.product);
  if (filter.createdFrom) add('created_at >= ?', filter.createdFrom);
  if (filter.createdTo) add('created_at < ?', filter.createdTo);
  if (filter.statusChangedBefore) add('status_changed_at < ?', filter.statusChangedBefore);
  const condition = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const { rows } = await db.query<OrderRow & { total: string | number }>(
    `SELECT ${ORDER_COLUMNS}, count(*) OVER () AS total FROM orders ${condition}
     ORDER BY created_at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, filter.limit ?? 50, filter.offset ?? 0],
  );
  return { orders: rows.map(toOrder), total: Number(rows[0]?.total ?? 0) };
}

export async function orderHistory(db: Database, orderId: string): Promise<HistoryEntry[]> {
  const { rows } = await db.query<HistoryRow>(
    'SELECT from_status, to_status, actor, actor_id, note, changed_at FROM order_status_history WHERE order_id = $1 ORDER BY id',
    [orderId], { orderId },
  );
  return rows.map(toHistoryEntry);
}

interface HistoryRow { from_status: OrderStatus | null; to_status: OrderStatus; actor: string; actor_id: string | null; note: string | null; changed_at: Date }

function toHistoryEntry(r: HistoryRow): HistoryEntry {
  return { from: r.from_status, to: r.to_status, actor: r.actor, actorId: r.actor_id, note: r.note, changedAt: r.changed_at.toISOString() };
}

/** The change the request with this Idempotency-Key made to the order, if it made one. */
export async function changeMadeBy(db: Database, orderId: string, requestKey: string): Promise<HistoryEntry | undefined> {
  const { rows } = await db.query<HistoryRow>(
    'SELECT from_status, to_status, actor, actor_id, note, changed_at FROM order_status_history WHERE order_id = $1 AND request_key = $2',
    [orderId, requestKey], { orderId },
  );
  return rows.map(toHistoryEntry)[0];
}

/** Columns a status change may set along with the status. */
export interface OrderChanges {
  model?: { fileId: string; sizeBytes: number; triangles: number };
  quote?: Quote;
  rejectionReason?: string | null;
}

function changeColumns(changes: OrderChanges): Record<string, unknown> {
  return {
    ...(changes.model && { model_file_id: changes.model.fileId, model_size_bytes: changes.model.sizeBytes, model_triangles: changes.model.triangles }),
    ...(changes.quote && { quote: JSON.stringify(changes.quote), quote_total: changes.quote.total, currency: changes.quote.currency }),
    ...(changes.rejectionReason !== undefined && { rejection_reason: changes.rejectionReason }),
  };
}

export interface Move {
  orderId: string;
  to: OrderStatus;
  actor: OrderActor;
  actorId: string;
  note?: string;
  /** Only this customer's order (Shop): another's is 404. */
  customerId?: string;
  changes?: OrderChanges;
  /** The Idempotency-Key of the request making the change, kept with it (`changeMadeBy`). */
  requestKey?: string;
}

/**
 * Moves an order along the status machine inside `tx`: locks the row, checks the step
 * (409 ORDER_BAD_TRANSITION / 403 ORDER_TRANSITION_FORBIDDEN), updates it with `changes`
 * and appends to the history. Returns the change for the caller to log (R5) after commit.
 */
export async function moveOrder(tx: Database, move: Move): Promise<StatusChange> {
  return moveLockedOrder(tx, await requireOrder(tx, move.orderId, { forUpdate: true, ...(move.customerId && { customerId: move.customerId }) }), move);
}

/** `moveOrder` of an order the caller read in `tx` `FOR UPDATE` (and checked is the customer's): it is not read again. */
export async function moveLockedOrder(tx: Database, order: Order, move: Omit<Move, 'orderId' | 'customerId'>): Promise<StatusChange> {
  checkTransition(order.id, order.status, move.to, move.actor);
  await updateOrder(tx, order.id, { status: move.to, ...changeColumns(move.changes ?? {}) });
  await tx.query(
    'INSERT INTO order_status_history (order_id, from_status, to_status, actor, actor_id, note, request_key) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [order.id, order.status, move.to, move.actor, move.actorId, move.note ?? null, move.requestKey ?? null],
    { orderId: order.id },
  );
  return { orderId: order.id, customerId: order.customerId, from: order.status, to: move.to };
}

/** Sets columns without a status change (a replaced model before pricing). */
export async function changeOrder(tx: Database, orderId: string, changes: OrderChanges): Promise<void> {
  await updateOrder(tx, orderId, changeColumns(changes));
}

async function updateOrder(tx: Database, orderId: string, columns: Record<string, unknown>): Promise<void> {
  const names = Object.keys(columns);
  const sets = names.map((name, i) => `${name} = $${i + 2}`);
  if ('status' in columns) sets.push('status_changed_at = now()');
  await tx.query(`UPDATE orders SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, [orderId, ...names.map((n) => columns[n])], { orderId });
}
