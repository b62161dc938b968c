import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { LoupeError } from '@loupe/schema';

export interface Upload {
  bytes: Buffer;
  /** The name the client gave the file, when it sent one. */
  filename?: string;
}

/** Content types of a model sent as the whole body. */
export const rawModelTypes = ['application/octet-stream', 'model/stl', 'model/x.stl-binary', 'model/x.stl-ascii', 'application/sla', 'application/vnd.ms-pki.stl'];

/** Media types an upload route accepts, for its OpenAPI description. */
export const uploadMediaTypes = ['multipart/form-data', ...rawModelTypes];

/**
 * Lets `app` take a model as multipart/form-data (field `file`) or as the raw body. Raw bodies
 * reach the handler as a stream, so `readUpload` enforces the size limit while reading.
 */
export async function acceptUploads(app: FastifyInstance, maxBytes: number): Promise<void> {
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12 } });
  app.addContentTypeParser(rawModelTypes, (_request, payload, done) => done(null, payload));
}

function tooLarge(maxBytes: number): LoupeError {
  return new LoupeError('MODEL_FILE_TOO_LARGE', `The model file is larger than the ${maxBytes} bytes an upload may have; simplify or compress the mesh`, 413);
}

/**
 * Reads a raw body up to `maxBytes`. Over the limit it stops keeping the bytes but does not
 * destroy the stream: that would reset the connection before the client reads the 413.
 */
function readStream(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      stream.off('data', onData);
      stream.off('end', onEnd);
      // Still flowing without a listener: the rest of the body is read and dropped.
      stream.resume();
      reject(tooLarge(maxBytes));
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.on('error', reject);
    // A client that hangs up mid-body: without this the read could wait forever.
    stream.once('close', () => reject(new LoupeError('MODEL_FILE_MISSING', 'The connection closed before the whole model arrived; send it again', 400)));
  });
}

function malformed(error: unknown): LoupeError {
  const reason = error instanceof Error ? error.message : String(error);
  return new LoupeError('MODEL_UPLOAD_MALFORMED', `The multipart/form-data body cannot be read (${reason}); send one file in the field "file" with a matching boundary, or the raw STL as the body`, 400);
}

/** The first file of a multipart body: 413 over the limit, 400 MODEL_UPLOAD_MALFORMED when the body does not parse. */
async function readMultipartFile(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  let file;
  try {
    file = await request.file();
  } catch (error) {
    throw malformed(error);
  }
  if (!file) throw new LoupeError('MODEL_FILE_MISSING', 'The multipart body has no file; send the model in the field "file"', 400);
  try {
    return { bytes: await file.toBuffer(), filename: file.filename };
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw malformed(error);
  }
}

/** Reads the uploaded model: 413 MODEL_FILE_TOO_LARGE above `maxBytes`, 400 MODEL_FILE_MISSING without one, 400 MODEL_UPLOAD_MALFORMED for a broken multipart body. */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  const declared = Number(request.headers['content-length']);
  // A declared size over the limit (plus room for multipart framing) is refused before reading.
  if (declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
  if (request.isMultipart()) return readMultipartFile(request, maxBytes);
  const body = request.body as Readable | undefined;
  if (!body || typeof body.pipe !== 'function') {
    throw new LoupeError('MODEL_FILE_MISSING', `Send the model as multipart/form-data (field "file") or as the body with Content-Type ${rawModelTypes[0]}`, 400);
  }
  return { bytes: await readStream(body, maxBytes) };
}
