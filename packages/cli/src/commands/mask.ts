import { maskLines } from '@loupe/log';
import type { Command } from '../command.js';

export const maskCommand: Command = {
  name: 'mask',
  summary: 'Mask personal data in lines read from stdin, with exactly the logger\'s rules (R22)',
  usage: 'loupe mask < pasted.log > masked.log',
  async run(argv) {
    if (argv.length > 0) {
      console.error(`loupe mask: unexpected argument "${argv[0]}"; it reads stdin and writes stdout`);
      return 2;
    }
    const { lines } = await maskLines(process.stdin, process.stdout);
    if (process.stderr.isTTY) console.error(`loupe mask: ${lines} lines masked`);
    return 0;
  },
};
