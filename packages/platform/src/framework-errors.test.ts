import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestPlatform, workshopLine } from './platform.fixture.js';

type ErrorBody = { error: { code: string; message: string } };

/** A raw GET, so a path no `fetch` would send (bad escapes, huge) reaches the server as written. */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${url}${path}`, { method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

test('long order ids, trace ids and index names in a path are served, not refused with 414', async () => {
  const platform = await startTestPlatform();
  try {
    const index = `logs-${'a'.repeat(195)}`;
    const body = `${JSON.stringify({ index: {} })}\n${JSON.stringify(workshopLine({ 'order.id': `ORD-${'7'.repeat(150)}` }))}\n`;
    const bulk = await fetch(`${platform.url}/${index}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(bulk.status, 200);
    assert.equal(((await bulk.json()) as { errors: boolean }).errors, false);
    const journey = await fetch(`${platform.url}/api/journey/ORD-${'7'.repeat(150)}`);
    assert.equal(journey.status, 200);
    assert.equal(((await journey.json()) as { events: unknown[] }).events.length, 1);
  } finally {
    await platform.close();
  }
});

test('a bad URL, an oversized path parameter or oversized headers answer 4xx with the error body every API uses', async () => {
  const platform = await startTestPlatform();
  try {
    const cases: Array<[string, number]> = [
      ['/api/journey/%FF', 400],
      ['/api/journey/%ED%A0%80', 400],
      [`/api/journey/${'a'.repeat(5000)}`, 414],
      [`/api/search?q=${'a'.repeat(40_000)}`, 431],
    ];
    for (const [path, status] of cases) {
      const answer = await rawGet(platform.url, path);
      assert.equal(answer.status, status, path.slice(0, 40));
      const body = JSON.parse(answer.body) as ErrorBody;
      assert.equal(body.error.code, 'BAD_REQUEST', path.slice(0, 40));
      assert.equal(typeof body.error.message, 'string');
    }
    assert.equal((await fetch(`${platform.url}/api/search?q=*`)).status, 200, 'still serving');
  } finally {
    await platform.close();
  }
});
