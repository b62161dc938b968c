import { Writable } from 'node:stream';
import pino from 'pino';
import { RotatingFile, type RotatingFileOptions } from './rotating-file.js';

export interface TransportOptions {
  /** Copy every line to the process's standard output. */
  stdout: boolean;
  /** Also append to a size-rotated file. */
  file?: RotatingFileOptions;
}

/**
 * pino transport entry point (runs in pino's worker thread): writes each line to stdout
 * and to the rotating file. One target for both, because pino's multi-target mode
 * cannot carry ECS's `log.level` label.
 */
export default function loupeTransport(options: TransportOptions): Writable {
  const stdout = options.stdout ? pino.destination({ dest: 1, sync: false }) : undefined;
  const file = options.file ? new RotatingFile(options.file) : undefined;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      try {
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
