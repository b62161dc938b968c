import { LoupeError } from '@loupe/schema';

export const metals = ['gold-585', 'gold-750', 'silver-925', 'platinum-950'] as const;
export type Metal = (typeof metals)[number];

export const products = ['ring', 'pendant'] as const;
export type Product = (typeof products)[number];

export interface MetalPrice {
  /** Shown on the quote. */
  label: string;
  /** Density of the alloy in g/cm³ (= mg/mm³). */
  densityGramsPerCm3: number;
  /** Price of one gram of the alloy, in the quote's currency. */
  pricePerGram: number;
}

export interface PricingConfig {
  /** ISO 4217 code of every amount. */
  currency: string;
  metals: Record<Metal, MetalPrice>;
  /** Extra metal bought for sprues and melting loss, as a fraction of the piece's weight. */
  castingAllowance: number;
  /** A model's triangles up to this count cost nothing extra. */
  includedTriangles: number;
  /** Charged per started thousand triangles above `includedTriangles` (finer detail, longer print and clean-up). */
  pricePerThousandTriangles: number;
  /** The complexity charge never exceeds this. */
  maxComplexityCharge: number;
  /** Printing, casting and finishing of one piece, by product. */
  labourPerPiece: Record<Product, number>;
  /** Polishing, per cm² of surface. */
  polishingPerCm2: number;
  /** Refuse to quote pieces heavier than this (a wrong scale or units in metres, not a ring). */
  maxMetalGrams: number;
  /** Refuse to quote pieces lighter than this (units in metres or inches read as millimetres: no piece can be cast that small). */
  minMetalGrams: number;
}

/**
 * Defaults, in roubles. Densities are those jewellers use to turn a CAD volume into a casting
 * weight; published tables disagree by a few per cent with the exact alloy, so each is
 * checked against two sources:
 * - gold 585 (14K): 13.6 — Stuller gives 13.07 for 14K yellow and 14.20 for green,
 *   24carat.co.uk 12.9–14.6 for 14ct; 13.6 lies inside both, alloys vary with their copper share.
 * - gold 750 (18K): 15.5 — Stuller 15.58 (18K yellow), 24carat.co.uk 15.2–15.9.
 * - silver 925: 10.4 — Stuller 10.40 (sterling), 24carat.co.uk 10.2–10.3.
 * - platinum 950: 20.7 — Stuller 20.80 (Pt-Co), 24carat.co.uk 20.1; pure platinum is 21.45.
 * Prices per gram of alloy are the workshop's list prices (fine metal at the Bank of Russia's
 * discount price times the fineness, plus alloying and refining); they change daily, so
 * override them through the config (`LOUPE_PRICE_PER_GRAM_GOLD_585` and friends).
 */
export const defaultPricingConfig: PricingConfig = {
  currency: 'RUB',
  metals: {
    'gold-585': { label: 'Gold 585', densityGramsPerCm3: 13.6, pricePerGram: 6_200 },
    'gold-750': { label: 'Gold 750', densityGramsPerCm3: 15.5, pricePerGram: 7_900 },
    'silver-925': { label: 'Silver 925', densityGramsPerCm3: 10.4, pricePerGram: 110 },
    'platinum-950': { label: 'Platinum 950', densityGramsPerCm3: 20.7, pricePerGram: 3_300 },
  },
  // Jewellers add about 10% for sprues and melting loss when ordering metal for a casting.
  castingAllowance: 0.1,
  // A ring from `ringMesh` with default settings has ~8k triangles; detailed CAD rings 50–200k.
  includedTriangles: 20_000,
  pricePerThousandTriangles: 20,
  maxComplexityCharge: 8_000,
  labourPerPiece: { ring: 2_500, pendant: 3_000 },
  polishingPerCm2: 60,
  maxMetalGrams: 300,
  // The lightest cast pieces, small stud earrings, weigh a few tenths of a gram.
  minMetalGrams: 0.1,
};

/** What the price is computed from: the model's analysis and the order's options. */
export interface PricingInput {
  orderId: string;
  metal: Metal;
  product: Product;
  /** Enclosed volume of the model, in mm³ (model units are millimetres). */
  volumeMm3: number;
  surfaceAreaMm2: number;
  triangles: number;
  /** The analysis found a closed surface; an open one has no meaningful volume. */
  closed: boolean;
  /** Linear scale applied to the model (1.1 = 10% larger in every direction): volume grows by scale³, area by scale². */
  scale: number;
}

export interface QuoteLine {
  name: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  amount: number;
}

export interface Quote {
  orderId: string;
  currency: string;
  metal: Metal;
  metalGrams: number;
  volumeMm3: number;
  triangles: number;
  lines: QuoteLine[];
  total: number;
}

// Money in kopecks while adding up, so a sum of lines equals the total exactly.
const toMinor = (amount: number): number => Math.round(amount * 100);
const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

function line(name: string, quantity: number, unit: string, unitPrice: number): QuoteLine {
  return { name, quantity, unit, unitPrice, amount: toMinor(quantity * unitPrice) / 100 };
}

/** Merges partial overrides into the defaults (metals one by one), so config names only what it changes. */
export function pricingConfigWith(overrides: PartialPricingConfig = {}, base: PricingConfig = defaultPricingConfig): PricingConfig {
  const metalsMerged = { ...base.metals };
  for (const metal of metals) {
    const change = overrides.metals?.[metal];
    if (change) metalsMerged[metal] = { ...base.metals[metal], ...change };
  }
  return {
    ...base,
    ...overrides,
    metals: metalsMerged,
    labourPerPiece: { ...base.labourPerPiece, ...overrides.labourPerPiece },
  };
}

export type PartialPricingConfig = Partial<Omit<PricingConfig, 'metals' | 'labourPerPiece'>> & {
  metals?: Partial<Record<Metal, Partial<MetalPrice>>>;
  labourPerPiece?: Partial<Record<Product, number>>;
};

/**
 * An itemised quote: metal by weight, casting allowance, complexity, labour and polishing.
 * Throws 422 PRICING_MODEL_OPEN for a surface with holes, PRICING_MODEL_EMPTY for no volume,
 * PRICING_TOO_HEAVY above `maxMetalGrams`, PRICING_TOO_LIGHT below `minMetalGrams`.
 */
export function calculateQuote(input: PricingInput, config: PricingConfig = defaultPricingConfig): Quote {
  if (!input.closed) {
    throw new LoupeError('PRICING_MODEL_OPEN', `The model of order ${input.orderId} is not a closed surface, so its metal volume is unknown; repair the holes and upload it again`, 422);
  }
  if (!(input.scale > 0) || !Number.isFinite(input.scale)) {
    throw new LoupeError('PRICING_BAD_SCALE', `Scale ${input.scale} of order ${input.orderId} must be a positive number`, 422);
  }
  const volumeMm3 = input.volumeMm3 * input.scale ** 3;
  if (!(volumeMm3 > 0)) {
    throw new LoupeError('PRICING_MODEL_EMPTY', `The model of order ${input.orderId} encloses no volume`, 422);
  }
  const metal = config.metals[input.metal];
  // g/cm³ equals mg/mm³, so mm³ × density / 1000 is grams.
  const metalGrams = round((volumeMm3 * metal.densityGramsPerCm3) / 1000, 2);
  if (metalGrams > config.maxMetalGrams) {
    throw new LoupeError(
      'PRICING_TOO_HEAVY',
      `Order ${input.orderId} would need ${metalGrams} g of ${metal.label}, more than the ${config.maxMetalGrams} g limit; check the model's units (millimetres) and scale`,
      422,
    );
  }
  if (metalGrams < config.minMetalGrams) {
    throw new LoupeError(
      'PRICING_TOO_LIGHT',
      `Order ${input.orderId} would need ${metalGrams} g of ${metal.label} (${round(volumeMm3, 6)} mm³), less than the ${config.minMetalGrams} g that can be cast; check the model's units (millimetres) and scale`,
      422,
    );
  }
  const extraThousands = Math.ceil(Math.max(0, input.triangles - config.includedTriangles) / 1000);
  const surfaceCm2 = round((input.surfaceAreaMm2 * input.scale ** 2) / 100, 2);

  const lines: QuoteLine[] = [line(metal.label, metalGrams, 'g', metal.pricePerGram)];
  if (config.castingAllowance > 0) {
    lines.push(line(`Casting allowance (${round(config.castingAllowance * 100, 1)}%)`, round(metalGrams * config.castingAllowance, 2), 'g', metal.pricePerGram));
  }
  if (extraThousands > 0) {
    const complexity = line(`Model complexity (${input.triangles} triangles)`, extraThousands, '1000 triangles', config.pricePerThousandTriangles);
    if (complexity.amount > config.maxComplexityCharge) {
      lines.push({ ...complexity, quantity: 1, unit: 'capped', unitPrice: config.maxComplexityCharge, amount: config.maxComplexityCharge });
    } else {
      lines.push(complexity);
    }
  }
  lines.push(line(`Printing, casting and finishing (${input.product})`, 1, 'piece', config.labourPerPiece[input.product]));
  lines.push(line('Polishing', surfaceCm2, 'cm²', config.polishingPerCm2));

  const total = lines.reduce((sum, l) => sum + toMinor(l.amount), 0) / 100;
  return {
    orderId: input.orderId,
    currency: config.currency,
    metal: input.metal,
    metalGrams,
    volumeMm3: round(volumeMm3, 3),
    triangles: input.triangles,
    lines,
    total,
  };
}

export function isMetal(value: unknown): value is Metal {
  return typeof value === 'string' && (metals as readonly string[]).includes(value);
}
