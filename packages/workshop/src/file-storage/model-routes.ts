import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '@loupe/log';
import { errorSchema, readUpload, uploadMediaTypes } from '../http/index.js';
import type { ModelAnalyser, ModelAnalysis } from './model/index.js';
import { modelIdPattern, newModelId, type ModelStore } from './model-store.js';

export interface ModelRoutesOptions {
  log: Logger;
  store: ModelStore;
  analyser: ModelAnalyser;
  maxModelBytes: number;
}

const vector = { type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3 } as const;
export const analysisSchema = {
  type: 'object',
  properties: {
    encoding: { type: 'string', enum: ['binary', 'ascii'] },
    triangles: { type: 'integer' },
    volume: { type: 'number', description: 'mm³' },
    surfaceArea: { type: 'number', description: 'mm²' },
    boundingBox: { type: 'object', properties: { min: vector, max: vector, size: vector } },
    closed: { type: 'boolean' },
    solids: { type: 'integer' },
    warnings: { type: 'array', items: { type: 'string' } },
  },
} as const;

const modelSchema = {
  type: 'object',
  properties: {
    fileId: { type: 'string' }, sizeBytes: { type: 'integer' }, sha256: { type: 'string' }, orderId: { type: 'string' },
    customerId: { type: 'string' }, uploadedAt: { type: 'string' }, analysedAt: { type: 'string' }, analysis: analysisSchema,
  },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: modelIdPattern } } } as const;
const failures = { 404: errorSchema, 413: errorSchema, 422: errorSchema };

/** Analyses a model and logs R7 (start, end, duration, result, polygon count; ERROR when the file is broken). */
function processModel(log: Logger, fileId: string, orderId: string | undefined, analyse: () => ModelAnalysis): ModelAnalysis {
  const start = new Date().toISOString();
  const started = process.hrtime.bigint();
  const finish = () => ({ fileId, start, end: new Date().toISOString(), durationNs: Number(process.hrtime.bigint() - started), ...(orderId && { orderId }) });
  try {
    const analysis = analyse();
    log.modelProcessed({ ...finish(), result: 'success', polygonCount: analysis.triangles });
    return analysis;
  } catch (error) {
    log.modelProcessed({ ...finish(), result: 'failure', errorMessage: (error as Error).message, level: 'error' });
    throw error;
  }
}

/** `POST /models`, `GET /models/:id`, `GET /models/:id/file`, `POST /models/:id/analyse`. */
export const modelRoutes: FastifyPluginAsync<ModelRoutesOptions> = async (app, { log, store, analyser, maxModelBytes }) => {
  app.post<{ Querystring: { orderId?: string; customerId?: string; filename?: string } }>('/models', {
    schema: {
      summary: 'Store and analyse a 3D model (STL, binary or ASCII)',
      description: `The model as multipart/form-data (field "file") or as the raw body, at most ${maxModelBytes} bytes. A broken file is refused with 422 and the reason.`,
      tags: ['models'],
      consumes: uploadMediaTypes,
      querystring: {
        type: 'object',
        properties: { orderId: { type: 'string', maxLength: 40 }, customerId: { type: 'string', maxLength: 40 }, filename: { type: 'string', maxLength: 255 } },
      },
      response: { 201: { type: 'object', properties: { fileId: { type: 'string' }, sizeBytes: { type: 'integer' }, analysis: analysisSchema } }, ...failures },
    },
  }, async (request, reply) => {
    const upload = await readUpload(request, maxModelBytes);
    const { orderId, customerId } = request.query;
    const fileId = newModelId();
    const analysis = processModel(log, fileId, orderId, () => analyser.analyse(upload.bytes));
    await store.save(fileId, upload.bytes, analysis, { ...(orderId && { orderId }), ...(customerId && { customerId }) });
    return reply.status(201).send({ fileId, sizeBytes: upload.bytes.length, analysis });
  });

  app.get<{ Params: { id: string } }>('/models/:id', {
    schema: { summary: 'A stored model\'s metadata and latest analysis', tags: ['models'], params: idParams, response: { 200: modelSchema, 404: errorSchema } },
  }, async (request) => store.find(request.params.id));

  app.get<{ Params: { id: string } }>('/models/:id/file', {
    schema: { summary: 'The stored STL file', tags: ['models'], params: idParams, response: { 404: errorSchema } },
  }, async (request, reply) => {
    const bytes = await store.read(request.params.id);
    return reply.type('model/stl').header('content-disposition', `attachment; filename="${request.params.id}.stl"`).send(bytes);
  });

  app.post<{ Params: { id: string } }>('/models/:id/analyse', {
    schema: {
      summary: 'Analyse a stored model again (MES does before pricing)',
      tags: ['models'],
      params: idParams,
      response: { 200: { type: 'object', properties: { fileId: { type: 'string' }, analysis: analysisSchema } }, ...failures },
    },
  }, async (request) => {
    const record = await store.find(request.params.id);
    const bytes = await store.read(record.fileId);
    const analysis = processModel(log, record.fileId, record.orderId, () => analyser.analyse(bytes));
    await store.updateAnalysis(record.fileId, analysis);
    return { fileId: record.fileId, analysis };
  });
};
