import type { Command } from '../command.js';

/** Every `loupe` subcommand, in the order `loupe help` lists them. */
export const commands: Command[] = [];
