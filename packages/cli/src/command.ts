/** One `loupe` subcommand. `run` gets the arguments after the command's name and returns the exit code. */
export interface Command {
  readonly name: string;
  /** One line for `loupe help`. */
  readonly summary: string;
  readonly usage: string;
  run(argv: string[]): Promise<number>;
}
