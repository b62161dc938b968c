import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoupeError } from '@loupe/schema';
import { readWorkshopConfig } from './config.js';
import { workshopOptionsFrom } from './start-workshop.js';

test('with no environment the workshop runs embedded on ports 8081–8084 with default prices', () => {
  const config = readWorkshopConfig({});
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.amqpUrl, undefined);
  assert.deepEqual(config.ports, { shop: 8081, crm: 8082, mes: 8083, files: 8084 });
  assert.equal(config.logLevel, 'info');
  assert.equal(config.pricing.metals['gold-585'].pricePerGram, 6200);
  assert.match(config.dataDir, /\/data$/);
});

test('servers, ports and prices come from the environment', () => {
  const config = readWorkshopConfig({
    DATABASE_URL: 'postgres://loupe:secret@db:5432/loupe', AMQP_URL: 'amqp://guest:guest@mq:5672', LOUPE_SHOP_PORT: '0', LOUPE_LOG_LEVEL: 'debug',
    LOUPE_PRICE_PER_GRAM_GOLD_750: '8100.5', LOUPE_LABOUR_PENDANT: '3500', LOUPE_CASTING_ALLOWANCE: '0.08', LOUPE_DATA_DIR: '/var/lib/loupe',
  });
  assert.equal(config.databaseUrl, 'postgres://loupe:secret@db:5432/loupe');
  assert.equal(config.amqpUrl, 'amqp://guest:guest@mq:5672');
  assert.equal(config.ports.shop, 0);
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.pricing.metals['gold-750'].pricePerGram, 8100.5);
  assert.equal(config.pricing.metals['gold-750'].densityGramsPerCm3, 15.5);
  assert.deepEqual(config.pricing.labourPerPiece, { ring: 2500, pendant: 3500 });
  assert.equal(config.pricing.castingAllowance, 0.08);
  assert.equal(config.dataDir, '/var/lib/loupe');
});

test('every invalid setting is reported at once as CONFIG_INVALID', () => {
  assert.throws(() => readWorkshopConfig({
    DATABASE_URL: 'mysql://x', LOUPE_CRM_PORT: '70000', LOUPE_PRICE_PER_GRAM_SILVER_925: '-1', LOUPE_LOG_LEVEL: 'loud', LOUPE_STAFF_PASSWORD: 'short',
  }), (error: unknown) => {
    assert.ok(error instanceof LoupeError);
    assert.equal(error.code, 'CONFIG_INVALID');
    for (const name of ['DATABASE_URL', 'LOUPE_CRM_PORT', 'LOUPE_PRICE_PER_GRAM_SILVER_925', 'LOUPE_LOG_LEVEL', 'LOUPE_STAFF_PASSWORD']) assert.match(error.message, new RegExp(name));
    return true;
  });
});

test('the config becomes startWorkshop options, with staff accounts only when a staff password is set', () => {
  const plain = workshopOptionsFrom(readWorkshopConfig({ LOUPE_DATA_DIR: '/srv/loupe' }));
  assert.deepEqual([plain.dataDir, plain.databaseUrl, plain.staff], ['/srv/loupe', undefined, []]);
  const staffed = workshopOptionsFrom(readWorkshopConfig({ LOUPE_STAFF_PASSWORD: 'long-enough-1', AMQP_URL: 'amqp://mq' }));
  assert.deepEqual(staffed.staff?.map((s) => [s.login, s.role]), [['manager@workshop', 'manager'], ['operator@workshop', 'operator']]);
  assert.equal(staffed.amqpUrl, 'amqp://mq');
});
