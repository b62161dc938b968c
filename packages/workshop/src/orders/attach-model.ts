import type { Logger } from '@loupe/log';
import type { Database } from '../db/index.js';
import { checkTransition, type OrderActor } from '../domain/index.js';
import { callService, logRepeatedChange, type Upload } from '../http/index.js';
import { earlierChange } from './change-once.js';
import { changeOrder, moveLockedOrder, requireOrder, type Order, type StatusChange } from './order-store.js';

export interface AttachModelDeps {
  db: Database;
  log: Logger;
  fileStorageUrl: string;
}

export interface AttachModel {
  orderId: string;
  actor: OrderActor;
  actorId: string;
  /** Only this customer's order (Shop). */
  customerId?: string;
  upload: Upload;
  /** The request's Idempotency-Key: an upload sent again after it moved the order is answered with the order, not stored again. */
  requestKey?: string;
}

/** What file storage answers for a stored, analysed model. */
export interface StoredModel {
  fileId: string;
  sizeBytes: number;
  analysis: { triangles: number; volume: number; surfaceArea: number; closed: boolean; warnings: string[] };
}

/**
 * Sends an uploaded model to file storage (HTTP, traced, retried), which analyses and keeps it,
 * then records it on the order: R6, and R5 when the order moves to MODEL_UPLOADED. A broken
 * file comes back as file storage's 422 with its reason; the order does not change. An upload
 * whose key (`requestKey`) already moved the order is answered with the order as it is now
 * (it may have been priced since), and no model is stored.
 */
export async function attachModel(deps: AttachModelDeps, request: AttachModel): Promise<{ order: Order; change?: StatusChange }> {
  const { db, log } = deps;
  const before = await requireOrder(db, request.orderId, request.customerId ? { customerId: request.customerId } : {});
  const earlier = await earlierChange(db, before, request.requestKey, ['MODEL_UPLOADED']);
  if (earlier && request.requestKey !== undefined) {
    logRepeatedChange(log, { orderId: before.id, customerId: before.customerId, status: before.status }, earlier, request.requestKey);
    return { order: before };
  }
  // Refuse before storing a file the order cannot take (409 / 403 as the move itself would).
  if (before.status !== 'MODEL_UPLOADED') checkTransition(before.id, before.status, 'MODEL_UPLOADED', request.actor);
  const query = new URLSearchParams({ orderId: before.id, customerId: before.customerId });
  if (request.upload.filename) query.set('filename', request.upload.filename);
  const model = await callService<StoredModel>(log, {
    target: 'file-storage', method: 'POST', baseUrl: deps.fileStorageUrl, path: `/models?${query}`,
    body: request.upload.bytes, contentType: 'application/octet-stream', timeoutMs: 60_000,
  });
  log.modelUploaded({ orderId: before.id, customerId: before.customerId, fileId: model.fileId, sizeBytes: model.sizeBytes });

  const changes = { model: { fileId: model.fileId, sizeBytes: model.sizeBytes, triangles: model.analysis.triangles }, rejectionReason: null };
  // The order is read back inside the transaction: once the change commits, a database lost
  // the moment after must not turn the stored upload into a 503 that asks for it again.
  const { change, order } = await db.transaction(async (tx) => {
    const current = await requireOrder(tx, before.id, { forUpdate: true });
    // A second model before pricing replaces the first; the status stays MODEL_UPLOADED.
    if (current.status === 'MODEL_UPLOADED') {
      await changeOrder(tx, current.id, changes);
      return { change: undefined, order: await requireOrder(tx, current.id) };
    }
    const moved = await moveLockedOrder(tx, current, {
      to: 'MODEL_UPLOADED', actor: request.actor, actorId: request.actorId, changes, note: `model ${model.fileId}`,
      ...(request.requestKey !== undefined && { requestKey: request.requestKey }),
    });
    return { change: moved, order: await requireOrder(tx, current.id) };
  });
  if (change) log.orderStatusChanged(change);
  return { order, ...(change && { change }) };
}
