/**
 * Messages between the workshop's services (R11–R13, R21).
 *
 * - `publish` writes to the `outbox` table inside the caller's transaction; a relay started
 *   by `openQueue` sends committed rows in order and deletes each only once it is delivered
 *   (RabbitMQ: after the publisher confirm), retrying with backoff (R2 / R3) while the
 *   broker is down. No committed message is lost; a crash or a connection cut between
 *   confirm and delete sends it again, so delivery is at least once: handlers dedupe by
 *   message id or are idempotent.
 * - RabbitMQ: a durable topic exchange, per consumer a durable queue, a dead-letter queue
 *   (through `<exchange>.dead-letter`) and one retry queue per delay
 *   (`<queue>.retry.<ms>ms`, TTL = delay, dead-lettering back to the queue). A failed
 *   message is copied to the retry queue with `x-attempt` raised, or after the last
 *   attempt to the dead-letter queue with `x-dead-letter-reason`, and the original is
 *   acknowledged once the copy is confirmed. The connection reconnects and sets everything
 *   up again after a broker restart.
 * - An order's messages leave the outbox in order: the RabbitMQ relay does not claim one while
 *   an earlier message of the same order is claimed (by a relay that may have died).
 * - A handler failing because the database is unreachable, or throwing `MessageNotReady`
 *   (its message came before one it depends on), spends no attempt: the message waits and
 *   comes back (the latter for up to `maxWaitMs`). `replayDeadLetters` sends dead letters back.
 * - Without a broker the same contract runs on PostgreSQL (or PGlite): the relay routes
 *   rows into `queue_messages` by the topic bindings in `queue_bindings`; consumers claim
 *   rows with `FOR UPDATE SKIP LOCKED` under a lease (30 s, renewed while the handler runs), delete on success, push
 *   `available_at` back on failure and mark them dead after the last attempt.
 */
export type { ConsumeOptions, MessageQueue, OpenQueueOptions, QueueMessage } from './message-queue.js';
export { deliveryPolicy, MessageNotReady } from './message-queue.js';
export { openQueue } from './open-queue.js';
export { isFirstDelivery, pruneHandledMessages } from './first-delivery.js';
export { compileTopicPattern } from './topic-pattern.js';
export { consumerTopology, deadLetterExchangeOf, HEADER as QUEUE_HEADERS } from './rabbit-topology.js';
