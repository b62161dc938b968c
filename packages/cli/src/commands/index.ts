import type { Command } from '../command.js';
import { maskCommand } from './mask.js';

/** Every `loupe` subcommand, in the order `loupe help` lists them. */
export const commands: Command[] = [maskCommand];
