import { parseArgs } from 'node:util';
import { LoupeError } from '@loupe/schema';
import { analyseModelFile } from '@loupe/workshop';
import type { Command } from '../command.js';

const usage = 'loupe model-info FILE';

/** `loupe model-info FILE`: what the workshop prices an STL upload from, as pretty JSON. */
export const modelInfoCommand: Command = {
  name: 'model-info',
  summary: 'Analyse an STL model: volume, surface area, bounding box, whether it is closed',
  usage,
  async run(argv) {
    const file = onlyPositional(argv);
    if (file === undefined) {
      console.error(`Usage: ${usage}`);
      return 2;
    }
    try {
      const { encoding, triangles, volume, surfaceArea, boundingBox, closed, warnings } = await analyseModelFile(file);
      console.log(JSON.stringify({ encoding, triangles, volume, surfaceArea, boundingBox, closed, warnings }, null, 2));
      return 0;
    } catch (error) {
      if (error instanceof LoupeError) {
        console.error(`loupe model-info: ${error.code}: ${error.message}`);
        return 1;
      }
      if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
        console.error(`loupe model-info: cannot read ${file}: ${error.message}`);
        return 1;
      }
      throw error;
    }
  },
};

/** The single FILE argument, or undefined when it is missing, repeated or an unknown option is given. */
function onlyPositional(argv: string[]): string | undefined {
  try {
    const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
    return positionals.length === 1 ? positionals[0] : undefined;
  } catch {
    return undefined;
  }
}
