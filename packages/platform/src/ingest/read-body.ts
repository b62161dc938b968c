import { gunzipSync, inflateSync, type ZlibOptions } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { LoupeError } from '@loupe/schema';

/** The bytes of a body as sent, decompressed when `encoding` (its `Content-Encoding`) says gzip or deflate; at most `maxBytes` (413). */
export function decodeBody(bytes: Buffer, encoding: string, maxBytes: number): Buffer {
  const name = encoding.toLowerCase();
  if (name === 'identity' || name === '') return bytes;
  const options: ZlibOptions = { maxOutputLength: maxBytes };
  try {
    if (name === 'gzip' || name === 'x-gzip') return gunzipSync(bytes, options);
    if (name === 'deflate') return inflateSync(bytes, options);
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new LoupeError('INGEST_BODY_TOO_LARGE', `The body decompresses to more than ${maxBytes} bytes; send smaller batches`, 413);
    }
    throw new LoupeError('INGEST_BAD_ENCODING', `The body is not valid ${name}: ${(error as Error).message}`, 400);
  }
  throw new LoupeError('INGEST_BAD_ENCODING', `Content-Encoding "${name}" is not supported; use gzip, deflate or none`, 415);
}

/** The request's raw body bytes, as the catch-all content-type parser left them. */
export function rawBody(request: FastifyRequest): Buffer {
  const body = request.body;
  return Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.alloc(0);
}

/** The request's `Content-Encoding`, `identity` when absent. */
export function contentEncoding(request: FastifyRequest): string {
  return String(request.headers['content-encoding'] ?? 'identity');
}

/**
 * The request body as bytes, decompressed when `Content-Encoding` says gzip or deflate.
 * Decompression stops at `maxBytes`, so a small zip bomb cannot fill memory (413).
 */
export function readBody(request: FastifyRequest, maxBytes: number): Buffer {
  return decodeBody(rawBody(request), contentEncoding(request), maxBytes);
}
