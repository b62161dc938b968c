import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseStl, cubeMesh, ringMesh, toBinaryStl } from '../file-storage/model/index.js';
import { calculateQuote, defaultPricingConfig, pricingConfigWith, type PricingInput } from './pricing.js';

const cube: PricingInput = {
  orderId: 'ORD-1001', metal: 'silver-925', product: 'ring', volumeMm3: 1000, surfaceAreaMm2: 600, triangles: 12, closed: true, scale: 1,
};

test('a 10 mm silver cube is quoted line by line: metal, casting allowance, labour, polishing', () => {
  const quote = calculateQuote(cube);
  assert.deepEqual(quote.lines, [
    { name: 'Silver 925', quantity: 10.4, unit: 'g', unitPrice: 110, amount: 1144 },
    { name: 'Casting allowance (10%)', quantity: 1.04, unit: 'g', unitPrice: 110, amount: 114.4 },
    { name: 'Printing, casting and finishing (ring)', quantity: 1, unit: 'piece', unitPrice: 2500, amount: 2500 },
    { name: 'Polishing', quantity: 6, unit: 'cm²', unitPrice: 60, amount: 360 },
  ]);
  assert.equal(quote.total, 4118.4);
  assert.equal(quote.currency, 'RUB');
  assert.equal(quote.metalGrams, 10.4);
});

test('scale is linear: twice the size is eight times the metal and four times the polishing', () => {
  const quote = calculateQuote({ ...cube, scale: 2 });
  assert.equal(quote.metalGrams, 83.2);
  assert.equal(quote.volumeMm3, 8000);
  assert.equal(quote.lines.find((l) => l.name === 'Polishing')?.quantity, 24);
});

test('each metal weighs by its density: the same volume in platinum 950 is 20.7/10.4 times the silver', () => {
  const grams = (metal: PricingInput['metal']) => calculateQuote({ ...cube, metal }).metalGrams;
  assert.deepEqual([grams('gold-585'), grams('gold-750'), grams('silver-925'), grams('platinum-950')], [13.6, 15.5, 10.4, 20.7]);
});

test('triangles above the included count are charged per started thousand, up to the cap', () => {
  const detailed = calculateQuote({ ...cube, triangles: 20_001 });
  assert.deepEqual(detailed.lines[2], { name: 'Model complexity (20001 triangles)', quantity: 1, unit: '1000 triangles', unitPrice: 20, amount: 20 });
  const huge = calculateQuote({ ...cube, triangles: 5_000_000 });
  assert.equal(huge.lines[2]?.amount, defaultPricingConfig.maxComplexityCharge);
  assert.equal(huge.total, Math.round(huge.lines.reduce((sum, l) => sum + l.amount, 0) * 100) / 100);
});

test('the total is the exact sum of the lines, in kopecks', () => {
  const quote = calculateQuote({ ...cube, metal: 'gold-585', volumeMm3: 123.457, surfaceAreaMm2: 333.3, triangles: 48_321 });
  const sumKopecks = quote.lines.reduce((sum, l) => sum + Math.round(l.amount * 100), 0);
  assert.equal(Math.round(quote.total * 100), sumKopecks);
});

test('a default ring model in gold 585 weighs what a jeweller expects (3–6 g) and costs tens of thousands of roubles', () => {
  const analysis = analyseStl(toBinaryStl(ringMesh()));
  const quote = calculateQuote({
    orderId: 'ORD-1', metal: 'gold-585', product: 'ring', volumeMm3: analysis.volume, surfaceAreaMm2: analysis.surfaceArea,
    triangles: analysis.triangles, closed: analysis.closed, scale: 1,
  });
  assert.ok(quote.metalGrams > 3 && quote.metalGrams < 6, `${quote.metalGrams} g`);
  assert.ok(quote.total > 20_000 && quote.total < 50_000, `${quote.total} RUB`);
});

test('open, empty, wrongly scaled, absurdly heavy and absurdly light models are refused with 422 and a reason', () => {
  assert.throws(() => calculateQuote({ ...cube, closed: false }), { code: 'PRICING_MODEL_OPEN', status: 422 });
  assert.throws(() => calculateQuote({ ...cube, volumeMm3: 0 }), { code: 'PRICING_MODEL_EMPTY', status: 422 });
  assert.throws(() => calculateQuote({ ...cube, scale: 0 }), { code: 'PRICING_BAD_SCALE', status: 422 });
  // A model drawn in micrometres instead of millimetres: a 10 cm cube of silver.
  const analysis = analyseStl(toBinaryStl(cubeMesh(100)));
  assert.throws(() => calculateQuote({ ...cube, volumeMm3: analysis.volume }), (error: Error & { code?: string }) =>
    error.code === 'PRICING_TOO_HEAVY' && /10400 g of Silver 925.*units \(millimetres\)/.test(error.message));
  // A ring drawn in metres: 2 cm across becomes 0.02 mm, a speck of metal.
  assert.throws(() => calculateQuote({ ...cube, volumeMm3: 8e-6 }), (error: Error & { code?: string }) =>
    error.code === 'PRICING_TOO_LIGHT' && /0 g of Silver 925 \(0\.000008 mm³\), less than the 0\.1 g that can be cast/.test(error.message));
});

test('overrides change only what they name', () => {
  const config = pricingConfigWith({ metals: { 'gold-585': { pricePerGram: 7000 } }, labourPerPiece: { pendant: 4000 }, castingAllowance: 0 });
  assert.equal(config.metals['gold-585'].pricePerGram, 7000);
  assert.equal(config.metals['gold-585'].densityGramsPerCm3, 13.6);
  assert.equal(config.metals['silver-925'].pricePerGram, 110);
  assert.deepEqual(config.labourPerPiece, { ring: 2500, pendant: 4000 });
  const quote = calculateQuote({ ...cube, metal: 'gold-585' }, config);
  assert.equal(quote.lines.length, 3);
  assert.equal(quote.lines[0]?.amount, 13.6 * 7000);
});
