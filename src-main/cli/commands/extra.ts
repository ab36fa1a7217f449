import type { Io } from '../context.js';
import type { CliFlags } from '../main.js';
import { PROBE_COMMANDS } from './probe.js';
import { CONFIG_COMMANDS } from './config.js';

/** Commands of later capabilities (test, models, import, export), each module listing its own. */
export interface ExtraCommand {
  name: string;
  usage: string;
  summary: string;
  run(args: string[], flags: CliFlags, io: Io): Promise<number>;
}

export const EXTRA_COMMANDS: ExtraCommand[] = [...PROBE_COMMANDS, ...CONFIG_COMMANDS];
