import type { Migration } from './database.js';

/**
 * The workshop's domain tables, versions 100+. One database, tables per service:
 * accounts (`users`, `sessions`) are shared by the three APIs that log people in; `orders`
 * and `order_status_history` belong to Shop and CRM; `models` to file storage;
 * `production_jobs`, `price_quotes` and `operator_assignments` to MES. An applied
 * migration never changes: a new version alters what an old one made.
 */
export const domainMigrations: Migration[] = [
  {
    version: 100,
    name: 'accounts',
    sql: `
      CREATE SEQUENCE customer_number_seq START 1;
      CREATE SEQUENCE staff_number_seq START 1;
      CREATE TABLE users (
        id            text PRIMARY KEY,
        role          text NOT NULL CHECK (role IN ('customer', 'operator', 'manager')),
        login         text NOT NULL,
        password_hash text NOT NULL,
        name          text NOT NULL,
        phone         text,
        address       text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_login_key ON users (lower(login));
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sessions_user_idx ON sessions (user_id);
    `,
  },
  {
    version: 101,
    name: 'orders',
    sql: `
      CREATE SEQUENCE order_number_seq START 1001;
      CREATE TABLE orders (
        id                text PRIMARY KEY,
        customer_id       text NOT NULL REFERENCES users (id),
        status            text NOT NULL,
        product           text NOT NULL,
        metal             text NOT NULL,
        ring_size_mm      double precision,
        scale             double precision NOT NULL DEFAULT 1,
        comment           text,
        model_file_id     text,
        model_size_bytes  integer,
        model_triangles   integer,
        quote             jsonb,
        quote_total       numeric(12, 2),
        currency          text,
        rejection_reason  text,
        created_by        text NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        status_changed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX orders_customer_idx ON orders (customer_id, created_at DESC);
      CREATE INDEX orders_status_idx ON orders (status, status_changed_at);
      CREATE TABLE order_status_history (
        id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id    text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        from_status text,
        to_status   text NOT NULL,
        actor       text NOT NULL,
        actor_id    text,
        note        text,
        changed_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX order_status_history_order_idx ON order_status_history (order_id, id);
    `,
  },
  {
    version: 102,
    name: 'models',
    sql: `
      CREATE TABLE models (
        id           text PRIMARY KEY,
        size_bytes   integer NOT NULL,
        sha256       text NOT NULL,
        encoding     text NOT NULL,
        triangles    integer NOT NULL,
        analysis     jsonb NOT NULL,
        order_id     text,
        customer_id  text,
        uploaded_at  timestamptz NOT NULL DEFAULT now(),
        analysed_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX models_order_idx ON models (order_id);
    `,
  },
  {
    version: 103,
    name: 'manufacturing',
    sql: `
      CREATE TABLE production_jobs (
        order_id      text PRIMARY KEY,
        customer_id   text NOT NULL,
        product       text NOT NULL,
        metal         text NOT NULL,
        scale         double precision NOT NULL,
        ring_size_mm  double precision,
        model_file_id text NOT NULL,
        status        text NOT NULL,
        operator_id   text REFERENCES users (id),
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX production_jobs_status_idx ON production_jobs (status, updated_at);
      CREATE TABLE price_quotes (
        id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id       text NOT NULL REFERENCES production_jobs (order_id),
        message_id     text NOT NULL UNIQUE,
        status         text NOT NULL,
        triangles      integer,
        volume_mm3     double precision,
        metal_grams    double precision,
        lines          jsonb,
        total          numeric(12, 2),
        currency       text,
        failure_code   text,
        failure_reason text,
        started_at     timestamptz NOT NULL DEFAULT now(),
        finished_at    timestamptz
      );
      CREATE INDEX price_quotes_order_idx ON price_quotes (order_id, id);
      CREATE TABLE operator_assignments (
        id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id    text NOT NULL REFERENCES production_jobs (order_id),
        operator_id text NOT NULL REFERENCES users (id),
        assigned_by text NOT NULL,
        assigned_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz
      );
      CREATE UNIQUE INDEX operator_assignments_current_key ON operator_assignments (order_id) WHERE released_at IS NULL;
    `,
  },
  {
    version: 104,
    name: 'handled-messages',
    // Beside the domain tables, not the queue's: a consumer records a message in the same
    // transaction as the change it made, so a redelivery after commit finds it.
    sql: `
      CREATE TABLE handled_messages (
        consumer   text NOT NULL,
        message_id text NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      );
    `,
  },
  {
    version: 105,
    name: 'status-change-request-keys',
    // The Idempotency-Key of the request that made a change: the same request sent again
    // (its answer lost, a timeout) finds its change made and gets the order, not a 409.
    sql: `
      ALTER TABLE order_status_history ADD COLUMN request_key text;
      CREATE UNIQUE INDEX order_status_history_request_key ON order_status_history (order_id, request_key) WHERE request_key IS NOT NULL;
    `,
  },
  {
    version: 106,
    name: 'production-steps',
    // The floor's reports of a job, with the Idempotency-Key of the request that made each.
    sql: `
      CREATE TABLE production_steps (
        id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id    text NOT NULL REFERENCES production_jobs (order_id),
        from_status text NOT NULL,
        to_status   text NOT NULL,
        operator_id text NOT NULL,
        note        text,
        request_key text,
        reported_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX production_steps_order_idx ON production_steps (order_id, id);
      CREATE UNIQUE INDEX production_steps_request_key ON production_steps (order_id, request_key) WHERE request_key IS NOT NULL;
    `,
  },
  {
    version: 107,
    name: 'order-request-keys',
    // The Idempotency-Key of the request that placed an order, per user who placed it.
    sql: `
      ALTER TABLE orders ADD COLUMN request_key text;
      CREATE UNIQUE INDEX orders_request_key ON orders (created_by, request_key) WHERE request_key IS NOT NULL;
    `,
  },
];
