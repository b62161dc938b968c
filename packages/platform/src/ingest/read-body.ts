import { gunzipSync, inflateSync, type ZlibOptions } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { LoupeError } from '@loupe/schema';

/**
 * The request body as bytes, decompressed when `Content-Encoding` says gzip or deflate.
 * Decompression stops at `maxBytes`, so a small zip bomb cannot fill memory (413).
 */
export function readBody(request: FastifyRequest, maxBytes: number): Buffer {
  const body = request.body;
  const bytes = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.alloc(0);
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity' || encoding === '') return bytes;
  const options: ZlibOptions = { maxOutputLength: maxBytes };
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(bytes, options);
    if (encoding === 'deflate') return inflateSync(bytes, options);
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new LoupeError('INGEST_BODY_TOO_LARGE', `The body decompresses to more than ${maxBytes} bytes; send smaller batches`, 413);
    }
    throw new LoupeError('INGEST_BAD_ENCODING', `The body is not valid ${encoding}: ${(error as Error).message}`, 400);
  }
  throw new LoupeError('INGEST_BAD_ENCODING', `Content-Encoding "${encoding}" is not supported; use gzip, deflate or none`, 415);
}
