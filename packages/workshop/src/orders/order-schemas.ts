import { metals, orderStatuses, products } from '../domain/index.js';

/** JSON schemas of the order resources, shared by the Shop and CRM routes (validation, serialisation, OpenAPI). */

export const orderIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^ORD-[0-9]+$' } },
} as const;

const quoteSchema = {
  type: 'object',
  properties: {
    currency: { type: 'string' },
    metal: { type: 'string' },
    metalGrams: { type: 'number' },
    volumeMm3: { type: 'number' },
    triangles: { type: 'integer' },
    total: { type: 'number' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, quantity: { type: 'number' }, unit: { type: 'string' }, unitPrice: { type: 'number' }, amount: { type: 'number' } },
      },
    },
  },
} as const;

export const orderSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    customerId: { type: 'string' },
    status: { type: 'string', enum: [...orderStatuses] },
    product: { type: 'string' },
    metal: { type: 'string' },
    ringSizeMm: { type: 'number' },
    scale: { type: 'number' },
    comment: { type: 'string' },
    model: { type: 'object', properties: { fileId: { type: 'string' }, sizeBytes: { type: 'integer' }, triangles: { type: 'integer' } } },
    quote: quoteSchema,
    rejectionReason: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    statusChangedAt: { type: 'string' },
    history: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          from: { type: ['string', 'null'] }, to: { type: 'string' }, actor: { type: 'string' }, actorId: { type: ['string', 'null'] },
          note: { type: ['string', 'null'] }, changedAt: { type: 'string' },
        },
      },
    },
    /** After an upload: whether the price calculation was requested, or is delayed (CRM unreachable). */
    pricing: { type: 'string' },
  },
} as const;

export const orderListSchema = {
  type: 'object',
  properties: { orders: { type: 'array', items: orderSchema }, total: { type: 'integer' } },
} as const;

/** Ring sizes as inner diameter in mm: 14.0 (RU 14, US 3) to 25.0 (RU 25, US 15). */
export const newOrderBody = {
  type: 'object',
  required: ['product', 'metal'],
  additionalProperties: false,
  properties: {
    product: { type: 'string', enum: [...products] },
    metal: { type: 'string', enum: [...metals] },
    ringSizeMm: { type: 'number', minimum: 14, maximum: 25 },
    scale: { type: 'number', exclusiveMinimum: 0, maximum: 5 },
    comment: { type: 'string', maxLength: 2000 },
  },
} as const;

export const statusNoteBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: { type: 'string', maxLength: 2000 } },
} as const;
