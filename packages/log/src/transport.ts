import { Writable } from 'node:stream';
import pino from 'pino';
import { utf8Text } from '@loupe/schema';
import { maskLine } from './mask/index.js';
import { RotatingFile, type RotatingFileOptions } from './rotating-file.js';

export interface TransportOptions {
  /** Copy every line to the process's standard output. */
  stdout: boolean;
  /** Also append to a size-rotated file. */
  file?: RotatingFileOptions;
  /** Mask personal data in every line here, off the request thread, before it reaches stdout or disk (R22). */
  mask?: boolean;
}

/** Masks each complete line of a chunk; a partial last line waits for the rest. */
function createLineMasker(): (chunk: Buffer) => Buffer {
  let pending = '';
  return (chunk) => {
    const text = pending + utf8Text(chunk);
    const end = text.lastIndexOf('\n');
    if (end === -1) {
      pending = text;
      return Buffer.alloc(0);
    }
    pending = text.slice(end + 1);
    let out = '';
    let start = 0;
    while (start <= end) {
      const stop = text.indexOf('\n', start);
      out += `${maskLine(text.slice(start, stop))}\n`;
      start = stop + 1;
    }
    return Buffer.from(out);
  };
}

/**
 * pino transport entry point (runs in pino's worker thread): writes each line to stdout
 * and to the rotating file. One target for both, because pino's multi-target mode
 * cannot carry ECS's `log.level` label.
 */
export default function loupeTransport(options: TransportOptions): Writable {
  const stdout = options.stdout ? pino.destination({ dest: 1, sync: false }) : undefined;
  const file = options.file ? new RotatingFile(options.file) : undefined;
  const mask = options.mask ? createLineMasker() : undefined;
  return new Writable({
    write(input: Buffer, _encoding, callback) {
      try {
        const chunk = mask ? mask(input) : input;
        if (chunk.length === 0) return callback();
        if (stdout) stdout.write(chunk.toString('utf8'));
        file?.append(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    final(callback) {
      try {
        file?.close();
        if (stdout) stdout.flushSync();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
