import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServe, waitForExit } from '../helpers/cli.js';
import { tempDir } from '../helpers/desk.js';

describe('serve and signals', () => {
  it('shuts down cleanly on a SIGTERM sent as soon as it prints its address', async () => {
    const dir = tempDir();
    const { child, output } = await startServe(['--port', '0', '--data-dir', dir.path]);
    child.kill('SIGTERM');
    expect(await waitForExit(child)).toBe(0);
    expect(output()).toContain('Shutting down');
    expect(existsSync(join(dir.path, 'server.json'))).toBe(false);
    dir.remove();
  });
});
