import type { ExtraCommand } from './extra.js';

export const PROBE_COMMANDS: ExtraCommand[] = [];
