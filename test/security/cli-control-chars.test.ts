import { afterEach, describe, expect, it } from 'vitest';
import { startHostileUpstream } from '../fakes/hostile-upstream.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { tempDir } from '../helpers/desk.js';

const GOOD = 'sk-good-terminal-key-0123456789';
const BAD = 'sk-bad-terminal-key-9876543210';
/** C0 controls except tab and line feed, DEL, and C1 controls (U+009B is a one-character CSI on some terminals). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function expectTerminalSafe(run: CliRun): void {
  expect(run.stdout).not.toMatch(CONTROL);
  expect(run.stderr).not.toMatch(CONTROL);
}

describe('CLI output of upstream text', () => {
  it('shows control characters from model ids and upstream errors as visible escapes, never raw', async () => {
    const upstream = await startHostileUpstream({
      keys: [GOOD],
      modelIds: ['gpt-4o', '\x1b]0;pwned\x07title', 'wipe\x1b[2Jscreen'],
      errorMessage: 'Incorrect API key \x9b31mprovided\x1b[2J\x07 (see\u202edocs)',
    });
    const dir = tempDir();
    cleanups.push(
      () => upstream.close(),
      () => dir.remove(),
    );
    const cli = (...args: string[]) => runCli([...args, '--data-dir', dir.path]);
    const create = (name: string, keys: Array<{ name: string; value: string }>) =>
      runCli(
        ['call', 'providers.create', '-', '--data-dir', dir.path],
        {},
        JSON.stringify({ name, type: 'openai', base_url: upstream.baseUrl, api_keys: keys }),
      );
    expect(
      (
        await create('hostile', [
          { name: 'good', value: GOOD },
          { name: 'bad', value: BAD },
        ])
      ).code,
    ).toBe(0);
    expect((await create('refused', [{ name: 'bad', value: BAD }])).code).toBe(0);

    const tested = await cli('test', 'hostile');
    expect(tested.code).toBe(1);
    expect(tested.stdout).toContain('auth_failed (401)');
    expect(tested.stdout).toContain('Incorrect API key \\x9b31mprovided\\x1b[2J\\x07 (see\\u202edocs)');
    expectTerminalSafe(tested);

    const models = await cli('models', 'hostile');
    expect(models.code).toBe(0);
    expect(models.stdout).toContain('\\x1b]0;pwned\\x07title');
    expect(models.stdout).toContain('wipe\\x1b[2Jscreen');
    expectTerminalSafe(models);

    const refused = await cli('models', 'refused', '--refresh');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Listing models failed');
    expect(refused.stderr).toContain('\\x9b31m');
    expectTerminalSafe(refused);

    const all = await cli('test', '--all');
    expect(all.code).toBe(1);
    expect(all.stderr).toContain('refused: error');
    expectTerminalSafe(all);
  });
});
