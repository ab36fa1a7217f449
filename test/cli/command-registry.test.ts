import { describe, expect, it } from 'vitest';
import { EXTRA_COMMANDS, loadCommand } from '../../src-main/cli/commands/extra.js';
import { PROBE_COMMANDS } from '../../src-main/cli/commands/probe.js';
import { CONFIG_COMMANDS } from '../../src-main/cli/commands/config.js';
import { EXEC_COMMANDS } from '../../src-main/cli/commands/exec.js';

// --help lists the commands without loading their modules; what it says must be what the modules say.
describe('the CLI command registry', () => {
  it('lists every command of the command modules', () => {
    expect(EXTRA_COMMANDS.map((entry) => entry.name).sort()).toEqual(
      [...PROBE_COMMANDS, ...CONFIG_COMMANDS, ...EXEC_COMMANDS].map((c) => c.name).sort(),
    );
  });

  it('gives each command the usage and summary of its module, and loads that command', async () => {
    for (const entry of EXTRA_COMMANDS) {
      const command = await loadCommand(entry);
      expect({ name: command.name, usage: entry.usage, summary: entry.summary }).toEqual({
        name: entry.name,
        usage: command.usage,
        summary: command.summary,
      });
    }
  });
});
