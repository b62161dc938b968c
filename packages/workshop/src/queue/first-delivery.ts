import type { Database } from '../db/index.js';
import type { QueueMessage } from './message-queue.js';

/**
 * Records inside `tx` that `consumer` handles `message`; false when it already did (a
 * redelivery, or a second publish of the same message by the relay after a crash). The row
 * commits with the handler's change, or rolls back with it so a retry handles it again. Two
 * deliveries at once meet on the primary key: the second waits for the first and sees its row.
 * The table is `handled_messages` (domain migration 104).
 */
export async function isFirstDelivery(tx: Database, consumer: string, message: Pick<QueueMessage, 'id' | 'orderId'>): Promise<boolean> {
  const { rows } = await tx.query(
    'INSERT INTO handled_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id',
    [consumer, message.id], { orderId: message.orderId },
  );
  return rows.length > 0;
}

/** How long a handled message is remembered: far longer than any redelivery, retry or relay re-publish takes. */
export const HANDLED_MESSAGE_DAYS = 14;

/** Forgets handled messages older than `days`; returns how many. Run at start and then every few hours. */
export async function pruneHandledMessages(db: Database, days = HANDLED_MESSAGE_DAYS): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM handled_messages WHERE handled_at < now() - make_interval(days => $1::int)`, [days]);
  return rowCount;
}
