import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform } from '../platform.fixture.js';

/**
 * Seeded random documents and queries, the shapes that once failed whole batches or answered
 * 500: lone surrogates, odd keys, numbers no column holds, timestamps out of range, nesting,
 * repeated parameters. Deterministic: the same seed gives the same requests.
 */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 4_294_967_296;
  };
}

const strings = ['', ' ', 'ORD-1', '\u0000', '\ud83d', '\udc8d', '💍', 'Ж', '"', '\\', '\n', '\u2028', 'x'.repeat(3000), "'; DROP TABLE x; --", 'NaN', '1e400', '2026-13-45T99:99:99Z', 'ivan@example.com'];
const numbers = [0, -0, 1, -1, 1.5, 1e21, 1e308, -1e308, 2 ** 53 + 1, 1.2345678901234568e29, 5e-324, 2_147_483_648, -2_147_483_649];
const keys = ['message', 'log.level', 'service.name', '@timestamp', 'timestamp', 'time', 'trace.id', 'order.id', 'http.response.status_code', 'event.duration', 'client.ip', 'x', '', '.', 'a..b', 'Ж.ключ', 'password', '\ud83d', '"q"', 'k'.repeat(300), '_id', '__proto__', 'constructor'];

function generator(seed: number) {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const value = (depth: number): unknown => {
    const r = next();
    if (r < 0.35) return pick(strings) + (next() < 0.3 ? pick(strings) : '');
    if (r < 0.55) return pick(numbers);
    if (r < 0.65) return pick([true, false, null]);
    if (depth > 3) return 'deep';
    if (r < 0.8) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    return object(depth + 1);
  };
  const object = (depth: number): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 8); i > 0; i--) result[pick(keys)] = value(depth);
    return result;
  };
  return { next, pick, object };
}

test('R23 R24 R25 random hostile documents: each is stored or refused in its own item, stored ones are found, a re-send stores nothing new', async () => {
  const platform = await startTestPlatform();
  try {
    for (const seed of [1, 2]) {
      const { next, object } = generator(seed);
      const lines: string[] = [];
      for (let i = 0; i < 300; i++) {
        const document = object(0);
        if (next() < 0.6) document['@timestamp'] = new Date(Date.UTC(2026, 10, 21) - Math.floor(next() * 86_400_000)).toISOString();
        lines.push(JSON.stringify({ [next() < 0.5 ? 'create' : 'index']: { _id: `random:${seed}:${i}` } }), next() < 0.03 ? '{"broken' : JSON.stringify(document));
      }
      const body = `${lines.join('\n')}\n`;
      const send = async () => {
        const response = await fetch(`${platform.url}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
        assert.equal(response.status, 200, `seed ${seed}: ${response.status}`);
        return ((await response.json()) as { items: Array<Record<string, { status: number }>> }).items.map((item) => Object.values(item)[0]!.status);
      };
      const first = await send();
      assert.ok(first.every((status) => status === 201 || status === 400), `seed ${seed}: ${[...new Set(first)]}`);
      const stored = first.filter((status) => status === 201).length;
      assert.ok(stored > 200, `seed ${seed}: most documents are stored (${stored})`);
      const again = await send();
      assert.ok(again.every((status) => status === 200 || status === 409 || status === 400), `seed ${seed}, re-sent: ${[...new Set(again)]}`);

      let found = 0;
      let after = '';
      for (;;) {
        const q = encodeURIComponent(`_id:random\\:${seed}\\:*`);
        const response = await fetch(`${platform.url}/api/search?q=${q}&from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z&limit=500${after}`);
        const page = (await response.json()) as { events: unknown[]; next?: string };
        found += page.events.length;
        if (!page.next || page.events.length === 0) break;
        after = `&after=${encodeURIComponent(page.next)}`;
      }
      assert.equal(found, stored, `seed ${seed}: every stored document is found once`);
    }
  } finally {
    await platform.close();
  }
});

test('R28 random KQL and parameters answer 200 or a 4xx with {error:{code,message}}, never a server error', async () => {
  const platform = await startTestPlatform();
  try {
    const { next, pick } = generator(7);
    const atoms = ['message', 'log.level', 'order.id', 'http.response.status_code', '@timestamp', '_id', 'x', '*', 'constructor', '__proto__', 'Ж', '"', "'", '\\', '(', ')', ':', '<', '>=', 'and', 'or', 'not', '"quoted phrase"', '"unterminated', 'ORD-1*', '?', '500', '-1', '1e400', 'now-1h', '{', '[', "'; DROP TABLE x; --", '%', '_', '💍', 'x'.repeat(300)];
    const params = ['', '&from=1h', '&from=garbage', '&from=-5&to=abc', '&limit=-1', '&limit=100000', '&order=sideways', '&after=abc', '&after=WzEsMl0', '&indices=../../etc', '&indices=logs-*&indices=logs-*', '&from=1h&from=2h', '&field=message', '&field=', '&field=;drop', '&interval=0', '&interval=1ms'];
    for (let i = 0; i < 150; i++) {
      let q = '';
      for (let n = Math.floor(next() * 10); n > 0; n--) q += pick(atoms) + (next() < 0.6 ? ' ' : '');
      const path = `${pick(['/api/search', '/api/histogram', '/api/top-values', '/api/explain'])}?q=${encodeURIComponent(q)}${pick(params)}${pick(params)}`;
      const response = await fetch(platform.url + path);
      const body = (await response.json()) as { error?: { code?: string; message?: string } };
      const clientError = response.status >= 400 && response.status < 500 && typeof body.error?.code === 'string' && typeof body.error.message === 'string';
      assert.ok(response.status === 200 || clientError, `${path.slice(0, 160)} → ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
  } finally {
    await platform.close();
  }
});
