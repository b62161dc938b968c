import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryDestination } from '@loupe/log';
import { dropSchema, requireServer } from './testing/index.js';
import { startWorkshop, type StartWorkshopOptions, type Workshop, type WorkshopService } from './start-workshop.js';
import type { StaffAccount } from './crm-api/index.js';
import { ApiClient } from './simulator/api-client.js';

export type WorkshopEngines = 'embedded' | 'servers';

export interface TestWorkshop extends Workshop {
  lines: Record<WorkshopService | 'infrastructure', MemoryDestination>;
}

export const testStaff = {
  manager: { login: 'manager@workshop.test', password: 'manager-password-1', name: 'Marina Manager', role: 'manager' },
  operator: { login: 'operator@workshop.test', password: 'operator-password-1', name: 'Oleg Operator', role: 'operator' },
} satisfies Record<string, StaffAccount>;

/**
 * The whole workshop for a test: PGlite and the embedded queue, or the machine's PostgreSQL
 * (a schema of its own) and RabbitMQ (names of its own). Every service logs to memory.
 * Undefined when the servers are not there (the test is skipped, or fails under CI).
 */
export async function startTestWorkshop(t: TestContext, engines: WorkshopEngines, options: Partial<StartWorkshopOptions> = {}): Promise<TestWorkshop | undefined> {
  const suffix = randomBytes(5).toString('hex');
  const servers: Partial<StartWorkshopOptions> = {};
  if (engines === 'servers') {
    const databaseUrl = await requireServer(t, 'postgres');
    const amqpUrl = databaseUrl && (await requireServer(t, 'rabbitmq'));
    if (!databaseUrl || !amqpUrl) return undefined;
    Object.assign(servers, { databaseUrl, amqpUrl, databaseSchema: `workshop_${suffix}`, queuePrefix: `test-${suffix}` });
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'loupe-workshop-'));
  const lines = { shop: new MemoryDestination(), crm: new MemoryDestination(), mes: new MemoryDestination(), files: new MemoryDestination(), infrastructure: new MemoryDestination() };
  const workshop = await startWorkshop({
    dataDir, destinations: lines, passwordHashing: { cost: 1024 }, staff: [testStaff.manager, testStaff.operator],
    fileStorageRetry: { attempts: 2, baseDelayMs: 50 }, ...servers, ...options,
  });
  // One hook, so the order holds: stop the services, then remove what they used.
  t.after(async () => {
    await workshop.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (servers.databaseUrl) await dropSchema(servers.databaseUrl, servers.databaseSchema!);
  });
  return { ...workshop, lines };
}

/**
 * A Shop client signed in as a newly registered customer (password `correct horse`), and
 * that customer's first order: a silver pendant, status NEW.
 */
export async function customerWithOrder(shopUrl: string, email: string, name: string): Promise<{ shop: ApiClient; order: { id: string } }> {
  const shop = new ApiClient(shopUrl);
  assert.equal((await shop.call('POST', '/customers', { json: { email, password: 'correct horse', name } })).status, 201);
  assert.equal((await shop.login(email, 'correct horse')).status, 200);
  const { body: order } = await shop.call<{ id: string }>('POST', '/orders', { json: { product: 'pendant', metal: 'silver-925' } });
  return { shop, order };
}
