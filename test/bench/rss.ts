/**
 * rss_mb_10k: resident memory of `provider-desk serve` after loading and listing 10,000 providers (every page).
 * The baseline column shows the same process over an empty store, measured the same way.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { openBenchDesk, seedProviders, tempDir, type Figure } from './lib.js';

const BIN = fileURLToPath(new URL('../../bin/provider-desk.mjs', import.meta.url));

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) / 1024;
}

/** Starts `serve` over dataDir, lists every page with `pageSize`, and returns the server's RSS afterwards. */
async function serveAndList(dataDir: string, pageSize: number): Promise<{ rss: number; listed: number }> {
  const env = { ...process.env };
  delete env.PROVIDER_DESK_TOKEN;
  delete env.PROVIDER_DESK_MASTER_KEY;
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
    });
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    let listed = 0;
    for (let offset = 0; ; offset += pageSize) {
      const response = await request(`${url}/api/v1/providers?limit=${pageSize}&offset=${offset}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const page = (await response.body.json()) as { items: unknown[]; total: number };
      if (response.statusCode !== 200) throw new Error(`list answered ${response.statusCode}`);
      listed += page.items.length;
      if (offset + pageSize >= page.total) break;
    }
    // Let the allocator settle after the last response (no forced GC: this is what a user's process holds).
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { rss: rssMb(child.pid as number), listed };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }
}

export async function rss10k(providers = 10_000, pageSize = 100): Promise<Figure> {
  const empty = tempDir();
  const full = tempDir();
  try {
    for (const dir of [empty, full]) {
      const desk = openBenchDesk(dir.path);
      if (dir === full) seedProviders(desk, providers);
      await desk.close();
    }
    const baseline = await serveAndList(empty.path, pageSize);
    const ours = await serveAndList(full.path, pageSize);
    if (ours.listed !== providers) throw new Error(`listed ${ours.listed} of ${providers}`);
    return {
      key: 'rss_mb_10k',
      label: `serve RSS after listing ${providers / 1000}k (MB)`,
      ours: ours.rss,
      baseline: baseline.rss,
      unit: 'MB',
      value: ours.rss,
      absolute: true,
      target: { op: '<=', value: 200 },
      note: `VmRSS of \`provider-desk serve\` after ${providers / pageSize} pages of ${pageSize}; baseline = same over an empty store; the target applies to ours`,
    };
  } finally {
    empty.remove();
    full.remove();
  }
}
