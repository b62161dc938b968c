import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** One line of the log store's table, as the tests write it. */
export interface LogRow {
  id: number;
  ts: string;
  level: string;
  service: string;
  message: string;
  action?: string;
  trace_id?: string;
  span_id?: string;
  order_id?: string;
  customer_id?: string;
  user_id?: string;
  http_status?: number;
  duration_ns?: number;
  client_ip?: string;
  error_type?: string;
  url_path?: string;
  attrs?: Record<string, unknown>;
}

const day = '2026-11-21';
const orderTrace = { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' };

/** Thirty lines from a morning in the workshop: two orders through shop, MES and CRM, logins, a few failures. */
export const workshopLogs: LogRow[] = [
  { id: 1, ts: `${day} 09:00:00`, level: 'info', service: 'shop-api', message: 'Order created', action: 'order.created', ...orderTrace, span_id: 'a1', order_id: 'ORD-1042', customer_id: 'CUS-7', http_status: 201, duration_ns: 12_000_000, client_ip: '10.0.0.5', url_path: '/orders', attrs: { 'http.route': '/orders', 'http.request.method': 'POST' } },
  { id: 2, ts: `${day} 09:00:01`, level: 'info', service: 'mes-api', message: 'Order ORD-1042 received from queue', action: 'order.received', ...orderTrace, span_id: 'b1', order_id: 'ORD-1042', attrs: { 'message.queue': 'mes.orders' } },
  { id: 3, ts: `${day} 09:01:00`, level: 'info', service: 'mes-api', message: 'Model uploaded', action: 'model.uploaded', order_id: 'ORD-1042', attrs: { 'model.polygon_count': 1200, 'model.file_id': 'F-88' } },
  { id: 4, ts: `${day} 09:02:00`, level: 'error', service: 'mes-api', message: 'Price calculation timeout after 30000 ms', action: 'pricing.failed', order_id: 'ORD-1042', duration_ns: 30_000_000_000, error_type: 'TimeoutError', attrs: { 'call.target': 'pricing-engine' } },
  { id: 5, ts: `${day} 09:02:05`, level: 'warn', service: 'mes-api', message: 'Retrying price calculation', action: 'pricing.retry', order_id: 'ORD-1042', attrs: { 'call.attempt': 2 } },
  { id: 6, ts: `${day} 09:03:00`, level: 'error', service: 'mes-api', message: 'Connection refused by pricing-engine', order_id: 'ORD-1042', error_type: 'ConnectionError', attrs: { 'call.target': 'pricing-engine' } },
  { id: 7, ts: `${day} 09:05:00`, level: 'info', service: 'shop-api', message: 'GET /orders/ORD-1042', http_status: 200, duration_ns: 3_500_000, url_path: '/orders/ORD-1042', attrs: { 'http.route': '/orders/:id' } },
  { id: 8, ts: `${day} 09:06:00`, level: 'error', service: 'shop-api', message: 'GET /orders/ORD-9999 failed', http_status: 404, url_path: '/orders/ORD-9999', error_type: 'NotFoundError', attrs: { 'http.route': '/orders/:id' } },
  { id: 9, ts: `${day} 09:10:00`, level: 'info', service: 'crm-api', message: 'Customer CUS-7 updated', action: 'customer.updated', customer_id: 'CUS-7', user_id: 'U-1', http_status: 200 },
  { id: 10, ts: `${day} 09:15:00`, level: 'ERROR', service: 'crm-api', message: 'Database timeout while loading customer', customer_id: 'CUS-9', http_status: 503, duration_ns: 5_000_000_000, error_type: 'TimeoutError' },
  { id: 11, ts: `${day} 09:20:00`, level: 'info', service: 'shop-api', message: 'Order created', action: 'order.created', order_id: 'ORD-1043', customer_id: 'CUS-9', http_status: 201, url_path: '/orders', attrs: { 'http.route': '/orders' } },
  { id: 12, ts: `${day} 09:20:02`, level: 'info', service: 'mes-api', message: 'Order ORD-1043 received from queue', action: 'order.received', order_id: 'ORD-1043' },
  { id: 13, ts: `${day} 09:21:00`, level: 'info', service: 'mes-api', message: 'Model uploaded', action: 'model.uploaded', order_id: 'ORD-1043', attrs: { 'model.polygon_count': 800 } },
  { id: 14, ts: `${day} 09:22:00`, level: 'error', service: 'mes-api', message: 'Order ORD-1043 stuck in PRICE_CALCULATING', action: 'order.stuck', order_id: 'ORD-1043', attrs: { 'order.status': 'PRICE_CALCULATING' } },
  { id: 15, ts: `${day} 09:30:00`, level: 'debug', service: 'shop-api', message: 'Cache hit 100% for /catalog', http_status: 200, url_path: '/catalog' },
  { id: 16, ts: `${day} 09:31:00`, level: 'info', service: 'shop-api', message: 'Discount code SUMMER_2026 applied', order_id: 'ORD-1044', attrs: { 'pricing.discount_code': 'SUMMER_2026' } },
  { id: 17, ts: `${day} 09:32:00`, level: 'info', service: 'shop-api', message: 'Discount code SUMMERX2026 rejected', order_id: 'ORD-1044', attrs: { 'pricing.discount_code': 'SUMMERX2026' } },
  { id: 18, ts: `${day} 09:40:00`, level: 'warn', service: 'crm-api', message: 'Login failed for user U-2', action: 'user.login_failed', user_id: 'U-2', http_status: 401, client_ip: '203.0.113.7', attrs: { 'user.failed_logins': 3 } },
  { id: 19, ts: `${day} 09:41:00`, level: 'warn', service: 'crm-api', message: 'Login failed for user U-2', action: 'user.login_failed', user_id: 'U-2', http_status: 401, client_ip: '203.0.113.7', attrs: { 'user.failed_logins': 4 } },
  { id: 20, ts: `${day} 09:45:00`, level: 'info', service: 'crm-api', message: 'User U-1 logged in', action: 'user.login', user_id: 'U-1', http_status: 200, client_ip: '10.0.0.9' },
  { id: 21, ts: `${day} 10:00:00`, level: 'info', service: 'mes-api', message: 'Heartbeat', attrs: { 'process.cpu.pct': 12.5 } },
  { id: 22, ts: `${day} 10:00:00.5`, level: 'info', service: 'shop-api', message: 'Heartbeat', attrs: { 'process.cpu.pct': 85 } },
  { id: 23, ts: `${day} 10:05:00`, level: 'error', service: 'shop-api', message: 'Payment gateway timeout', order_id: 'ORD-1045', http_status: 504, duration_ns: 30_000_000_000, url_path: '/orders/ORD-1045/pay', error_type: 'TimeoutError', attrs: { 'http.route': '/orders/:id/pay' } },
  { id: 24, ts: `${day} 10:10:00`, level: 'info', service: 'mes-api', message: 'Order ORD-1042 status changed to IN_PRODUCTION', action: 'order.status_changed', ...orderTrace, span_id: 'c1', order_id: 'ORD-1042', attrs: { 'order.status': 'IN_PRODUCTION', 'order.previous_status': 'PRICE_CALCULATING' } },
  { id: 25, ts: `${day} 10:20:00`, level: 'info', service: 'shop-api', message: 'Search for "rings" returned 12 results', http_status: 200, url_path: '/search', attrs: { 'url.query': 'q=rings' } },
  { id: 26, ts: `${day} 10:30:00`, level: 'error', service: 'mes-api', message: 'Failed to parse model C:\\models\\ring.stl', order_id: 'ORD-1046', error_type: 'ParseError', attrs: { 'model.polygon_count': 150_000 } },
  { id: 27, ts: `${day} 10:45:00`, level: 'info', service: 'crm-api', message: 'Report exported', action: 'report.exported', user_id: 'U-3', attrs: { 'export.rows': 1000 } },
  { id: 28, ts: `${day} 11:00:00`, level: 'warn', service: 'shop-api', message: 'Unknown order requested', order_id: "x' OR 1=1 --", http_status: 404 },
  { id: 29, ts: `${day} 11:15:00`, level: 'warn', service: 'shop-api', message: 'Slow request', http_status: 200, duration_ns: 2_500_000_000, url_path: '/orders', attrs: { 'http.route': '/orders', slow: true } },
  { id: 30, ts: `${day} 11:30:00`, level: 'info', service: 'mes-api', message: 'Order ORD-1042 shipped', action: 'order.shipped', ...orderTrace, span_id: 'd1', order_id: 'ORD-1042', attrs: { 'order.status': 'SHIPPED' } },
];

const columns = [
  'id INTEGER', 'ts TIMESTAMP', 'level VARCHAR', 'service VARCHAR', 'message VARCHAR', 'action VARCHAR', 'trace_id VARCHAR',
  'span_id VARCHAR', 'order_id VARCHAR', 'customer_id VARCHAR', 'user_id VARCHAR', 'http_status INTEGER', 'duration_ns BIGINT',
  'client_ip VARCHAR', 'error_type VARCHAR', 'url_path VARCHAR', 'attrs JSON',
];
const names = columns.map((column) => column.split(' ')[0]!) as (keyof LogRow)[];

/** An in-memory DuckDB with the log store's columns in a `logs` table holding `workshopLogs`. */
export async function openWorkshopLogs(): Promise<DuckDBConnection> {
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(`CREATE TABLE logs (${columns.join(', ')})`);
  const placeholders = names.map((_, i) => `$${i + 1}`).join(', ');
  for (const row of workshopLogs) {
    const values = names.map((name) => (name === 'attrs' ? JSON.stringify(row.attrs ?? {}) : (row[name] ?? null)));
    await connection.run(`INSERT INTO logs VALUES (${placeholders})`, values as (string | number | null)[]);
  }
  return connection;
}

/** The ids of the rows a WHERE fragment selects, in id order. */
export async function selectIds(connection: DuckDBConnection, where: string, params: (string | number | bigint)[]): Promise<number[]> {
  const reader = await connection.runAndReadAll(`SELECT id FROM logs WHERE ${where} ORDER BY id`, params);
  return reader.getRowObjects().map((row) => Number(row.id));
}
