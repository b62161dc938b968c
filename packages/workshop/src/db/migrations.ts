import type { Migration } from './database.js';

/** Tables that the outbox relay and the embedded queue poll: their SELECTs are logged at DEBUG (R14). */
export const queuePolledTables: readonly string[] = ['outbox', 'queue_messages', 'queue_bindings'];

/**
 * The workshop's own tables (versions 1–99): the transactional outbox and the
 * PostgreSQL-backed queue used when no broker is configured. Never edit an applied one.
 */
export const workshopMigrations: Migration[] = [
  {
    version: 1,
    name: 'outbox',
    // A message waits here from its producer's transaction until the broker confirmed it.
    sql: `
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  exchange text NOT NULL,
  message_id text NOT NULL UNIQUE,
  routing_key text NOT NULL,
  order_id text,
  body jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  claimed_until timestamptz
);
CREATE INDEX outbox_pending ON outbox (exchange, id);
`,
  },
  {
    version: 2,
    name: 'embedded-queue',
    // attempt counts deliveries; a delivered message is hidden until available_at (its lease).
    sql: `
CREATE TABLE queue_bindings (
  exchange text NOT NULL,
  queue text NOT NULL,
  pattern text NOT NULL,
  PRIMARY KEY (exchange, queue, pattern)
);
CREATE TABLE queue_messages (
  id bigserial PRIMARY KEY,
  queue text NOT NULL,
  message_id text NOT NULL,
  routing_key text NOT NULL,
  order_id text,
  body jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}',
  attempt integer NOT NULL DEFAULT 0,
  state text NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'dead')),
  available_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (queue, message_id)
);
CREATE INDEX queue_messages_ready ON queue_messages (queue, available_at, id) WHERE state = 'ready';
`,
  },
  {
    version: 3,
    name: 'outbox-per-order',
    // The RabbitMQ relay holds an order's later messages back while another relay holds an earlier one.
    sql: `
CREATE INDEX outbox_order ON outbox (order_id, id) WHERE order_id IS NOT NULL;
`,
  },
];
