import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/desk.js';

const root = join(import.meta.dirname, '../..');
const pathFile = join(root, 'node_modules/electron/path.txt');
const binary = existsSync(pathFile) ? join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim()) : '';
const hasElectron = binary !== '' && existsSync(binary) && existsSync(join(root, 'out/main/index.js'));

describe('the real Electron app', () => {
  if (!hasElectron) {
    it.skip('launches and serves the loopback API (skipped: the Electron binary is not installed on this machine)', () => undefined);
    return;
  }
  it('launches and serves the loopback API', async () => {
    const dir = tempDir();
    const child = spawn(binary, [root, '--no-sandbox', '--headless'], {
      env: { ...process.env, PROVIDER_DESK_DATA_DIR: dir.path },
      stdio: 'ignore',
    });
    try {
      let ok = false;
      for (let i = 0; i < 60 && !ok; i++) {
        await new Promise((r) => setTimeout(r, 500));
        ok = await fetch('http://127.0.0.1:3100/api/v1/health').then(
          (r) => r.ok,
          () => false,
        );
      }
      expect(ok).toBe(true);
    } finally {
      child.kill('SIGTERM');
      dir.remove();
    }
  }, 60_000);
});
