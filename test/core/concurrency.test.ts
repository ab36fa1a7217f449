import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openTestDesk, tempDir } from '../helpers/desk.js';

function worker(dataDir: string, label: string, count: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '../helpers/writer-worker.ts'), dataDir, label, String(count)],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('exit', resolve);
  });
}

describe('concurrent writers', () => {
  it('two processes writing the same data dir lose no update', async () => {
    const dir = tempDir();
    const desk = openTestDesk({ dataDir: dir.path });
    desk.providers.create({ name: 'shared', type: 'openai', description: '0' });
    await desk.close();
    const codes = await Promise.all([worker(dir.path, 'a', 25), worker(dir.path, 'b', 25)]);
    expect(codes).toEqual([0, 0]);
    const after = openTestDesk({ dataDir: dir.path });
    const shared = after.providers.get('shared');
    expect(shared.api_keys).toHaveLength(50);
    expect(shared.description).toBe('50');
    // 1 create + 50 key additions + 50 counter updates.
    expect(shared.revision).toBe(101);
    await after.close();
    dir.remove();
  });
});
