#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import type { Command } from './command.js';
import { commands } from './commands/index.js';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: loupe <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `loupe <command> --help` for a command\'s options.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return `Usage: ${command.usage}\n\n${command.summary}`;
}

/** This package's version, from its package.json. */
function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    console.log(`loupe ${version()}`);
    return 0;
  }
  if (name === 'help' && rest.length > 0) {
    const command = commands.find((c) => c.name === rest[0]);
    if (!command) {
      console.error(`loupe help: unknown command "${rest[0]}"\n\n${help()}`);
      return 2;
    }
    console.log(commandHelp(command));
    return 0;
  }
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(help());
    return 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`loupe: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  // After `--` everything is an argument: `loupe search -- -h` searches for "-h".
  const dashes = rest.indexOf('--');
  const options = dashes === -1 ? rest : rest.slice(0, dashes);
  if (options.includes('--help') || options.includes('-h')) {
    console.log(commandHelp(command));
    return 0;
  }
  return command.run(rest);
}

// `loupe search … | head` closes the pipe early: that ends the output, it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    console.error(`loupe: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
