import { metals, type Metal, type Product } from '../domain/index.js';
import { ApiClient, modelForm } from './api-client.js';
import { customerProfile, type CustomerProfile } from './people.js';
import { simulatedModel } from './models.js';
import type { Random } from './random.js';

export interface VisitContext {
  shopUrl: string;
  random: Random;
  /** Customers who registered before and may come back. */
  customers: CustomerProfile[];
  nextSerial: () => number;
  /** Simulated minutes to real milliseconds. */
  minutes: (simulated: number) => number;
  sleep: (ms: number) => Promise<void>;
  stopped: () => boolean;
  /** Share of uploads with a flawed file (default 0.08). */
  flawRate: number;
  /** Share of customers who leave an order half-way (default 0.15). */
  abandonRate: number;
  count: (what: string) => void;
}

interface OrderView {
  id: string;
  status: string;
}

const metalShare: Record<Metal, number> = { 'gold-585': 45, 'silver-925': 30, 'gold-750': 15, 'platinum-950': 10 };

async function signIn(context: VisitContext, shop: ApiClient): Promise<CustomerProfile | undefined> {
  const { random } = context;
  let profile: CustomerProfile;
  if (context.customers.length > 0 && random.chance(0.4)) {
    profile = random.pick(context.customers);
  } else {
    profile = customerProfile(random, context.nextSerial());
    const registered = await shop.call('POST', '/customers', { json: { email: profile.email, password: profile.password, name: profile.name, phone: profile.phone, address: profile.address } });
    if (registered.status !== 201) return undefined;
    context.customers.push(profile);
    context.count('registered');
  }
  if (profile.clumsy && random.chance(0.5)) {
    await shop.login(profile.email, profile.password.toLowerCase());
    context.count('wrong-password');
    await context.sleep(context.minutes(0.3));
  }
  return (await shop.login(profile.email, profile.password)).status === 200 ? profile : undefined;
}

async function waitForQuote(context: VisitContext, shop: ApiClient, orderId: string): Promise<string> {
  for (let polls = 0; polls < 60 && !context.stopped(); polls++) {
    await context.sleep(Math.max(500, context.minutes(2)));
    const { status, body } = await shop.call<OrderView>('GET', `/orders/${orderId}`);
    if (status !== 200) return 'unknown';
    if (!['MODEL_UPLOADED', 'PRICE_CALCULATING'].includes(body.status)) return body.status;
  }
  return 'waiting';
}

async function uploadModel(context: VisitContext, shop: ApiClient, orderId: string, product: Product): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const model = simulatedModel(context.random, product, attempt === 0 ? context.flawRate : 0);
    const upload = await shop.call('POST', `/orders/${orderId}/model`, { form: modelForm(model.bytes, model.filename) });
    context.count(`upload-${upload.status}`);
    if (upload.status === 201) return true;
    // Half the customers fix a refused file and try again; the others give up.
    if (!context.random.chance(0.5)) return false;
    await context.sleep(context.minutes(context.random.between(2, 15)));
  }
  return false;
}

/** One customer's visit: sign in (or register), order a piece, upload its model, decide on the price. */
export async function customerVisit(context: VisitContext): Promise<void> {
  const { random } = context;
  const shop = new ApiClient(context.shopUrl);
  const profile = await signIn(context, shop);
  if (!profile) return;
  if (random.chance(0.3)) {
    await shop.call('GET', '/orders');
    context.count('browsed');
    if (random.chance(0.5)) return;
  }
  const product: Product = random.chance(0.7) ? 'ring' : 'pendant';
  const metal = random.weighted(metalShare);
  const order = await shop.call<OrderView>('POST', '/orders', {
    json: { product, metal: metals.includes(metal) ? metal : 'silver-925', ...(product === 'ring' && { ringSizeMm: Math.round(random.between(15, 22) * 2) / 2 }) },
  });
  if (order.status !== 201) return;
  context.count('ordered');
  if (random.chance(context.abandonRate / 3)) return context.count('abandoned-new');
  await context.sleep(context.minutes(random.between(1, 20)));
  let status = (await uploadModel(context, shop, order.body.id, product)) ? await waitForQuote(context, shop, order.body.id) : 'NEW';
  if (status === 'MODEL_REJECTED' && random.chance(0.5)) {
    status = (await uploadModel(context, shop, order.body.id, product)) ? await waitForQuote(context, shop, order.body.id) : status;
  }
  if (status !== 'PRICE_QUOTED') return context.count(`left-${status}`);
  await context.sleep(context.minutes(random.between(1, 60)));
  const decision = random.weighted({ accept: 70, reject: 15, abandon: context.abandonRate * 100 });
  if (decision === 'abandon') return context.count('abandoned-quote');
  const answered = await shop.call('POST', `/orders/${order.body.id}/${decision}`);
  context.count(`${decision}-${answered.status}`);
}
