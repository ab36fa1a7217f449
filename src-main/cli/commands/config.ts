import type { ExtraCommand } from './extra.js';

export const CONFIG_COMMANDS: ExtraCommand[] = [];
