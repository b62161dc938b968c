import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One `loupe` subcommand. `run` gets the arguments after the command's name and returns the exit code. */
export interface Command {
  readonly name: string;
  /** One line for `loupe help`. */
  readonly summary: string;
  readonly usage: string;
  run(argv: string[]): Promise<number>;
}

/**
 * A command's arguments, parsed by `util.parseArgs`; a mistyped option or a missing value is
 * printed with the command's usage and gives undefined, for the command to exit 2.
 */
export function commandArgs<T extends ParseArgsConfig>(command: Pick<Command, 'name' | 'usage'>, config: T): ReturnType<typeof parseArgs<T>> | undefined {
  try {
    return parseArgs(config);
  } catch (error) {
    console.error(`loupe ${command.name}: ${(error as Error).message}\nUsage: ${command.usage}`);
    return undefined;
  }
}
