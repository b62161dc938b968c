// Realistic workshop log events in the simulator's mix, for the ingest and search benchmarks.

const services = ['shop-api', 'crm-api', 'mes-api', 'file-storage', 'loupe-platform'];
const statuses = ['NEW', 'MODEL_UPLOADED', 'PRICE_CALCULATING', 'PRICE_QUOTED', 'ACCEPTED', 'IN_PRODUCTION', 'PRINTED', 'SHIPPED'];
const routes = ['/orders', '/orders/:id', '/models', '/login', '/orders/:id/status', '/health'];
const tables = ['orders', 'order_status_history', 'models', 'users', 'outbox'];

function hex(seed: number, length: number): string {
  let out = '';
  let x = seed >>> 0 || 1;
  while (out.length < length) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/** The i-th event of a stream that starts at `startMs` and advances `stepMs` per event. */
export function workshopEvent(i: number, startMs: number, stepMs: number, orders = 50_000): Record<string, unknown> {
  const ts = new Date(startMs + i * stepMs).toISOString();
  const service = services[i % 4]!;
  const order = `ORD-${String((i * 7919) % orders).padStart(6, '0')}`;
  const trace = hex(Math.floor(i / 6) + 1, 32);
  const base = { '@timestamp': ts, 'service.name': service, 'trace.id': trace, 'span.id': hex(i + 7, 16) };
  switch (i % 10) {
    case 0: case 1: case 2: {
      const status = i % 97 === 0 ? 500 : 200;
      const route = routes[i % routes.length]!;
      return { ...base, 'log.level': 'info', 'event.action': 'http-request', message: `GET ${route.replace(':id', order)} ${status}`, 'http.request.method': 'GET', 'url.path': route.replace(':id', order), 'http.route': route, 'http.response.status_code': status, 'event.duration': 1_000_000 + (i % 5000) * 1000, 'client.ip': `10.0.${i % 200}.${i % 250}`, 'user.id': `CUS-${i % 9000}` };
    }
    case 3: case 4: {
      const from = statuses[i % (statuses.length - 1)]!;
      const to = statuses[(i % (statuses.length - 1)) + 1]!;
      return { ...base, 'log.level': 'info', 'event.action': 'order-status-changed', message: `Order ${order} status changed from ${from} to ${to}`, 'order.id': order, 'customer.id': `CUS-${i % 9000}`, 'order.previous_status': from, 'order.status': to };
    }
    case 5: case 6:
      return { ...base, 'log.level': i % 3 === 0 ? 'debug' : 'info', 'event.action': 'db-query', message: `SELECT ${tables[i % tables.length]} success`, 'db.operation': 'SELECT', 'db.sql.table': tables[i % tables.length], 'order.id': order, 'event.duration': 200_000 + (i % 900) * 1000, 'event.outcome': 'success' };
    case 7:
      return { ...base, 'log.level': 'info', 'event.action': 'message-published', message: `Message MSG-${i} published to order.to-manufacturing`, 'message.id': `MSG-${i}`, 'order.id': order, 'message.routing_key': 'order.to-manufacturing', 'event.outcome': 'confirmed' };
    case 8:
      return i % 50 === 8
        ? { ...base, 'log.level': 'error', 'event.action': 'call-failed', message: 'http POST http://file-storage/models/analyse failed after 3 attempts: connect ETIMEDOUT 10.0.0.5:8080', 'call.target': 'http', 'call.method': 'POST', 'call.endpoint': 'http://file-storage/models/analyse', 'error.code': 'ETIMEDOUT', 'error.message': 'connect ETIMEDOUT 10.0.0.5:8080', 'call.attempt': 3, 'order.id': order }
        : { ...base, 'log.level': 'info', 'event.action': 'price-calculation-finished', message: `Price calculation for order ${order} finished: CALCULATED`, 'order.id': order, 'customer.id': `CUS-${i % 9000}`, 'model.polygon_count': 10_000 + (i % 50_000), 'event.duration': 40_000_000, 'pricing.status': 'CALCULATED', 'pricing.cost': 12_000 + (i % 9000), 'pricing.currency': 'RUB' };
    default:
      return { ...base, 'service.name': services[i % services.length], 'log.level': 'info', 'event.action': 'heartbeat', message: 'Heartbeat', 'process.cpu.pct': i % 100, 'process.memory.rss': 80_000_000 + i, 'process.memory.heap_used': 30_000_000, 'process.event_loop.delay_ms': 1.2, 'process.uptime': i };
  }
}
