import type { Command } from '../command.js';
import { fieldsCommand } from './fields.js';
import { histogramCommand } from './histogram.js';
import { incidentCommand } from './incident.js';
import { journeyCommand } from './journey.js';
import { maskCommand } from './mask.js';
import { modelInfoCommand } from './model-info.js';
import { runCommand } from './run.js';
import { searchCommand } from './search.js';
import { startCommand } from './start.js';
import { statusCommand } from './status.js';
import { tailCommand } from './tail.js';
import { topCommand } from './top.js';

/** Every `loupe` subcommand, in the order `loupe help` lists them. */
export const commands: Command[] = [startCommand, runCommand, searchCommand, tailCommand, fieldsCommand, topCommand, histogramCommand, journeyCommand, statusCommand, maskCommand, modelInfoCommand, incidentCommand];
