import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, runCli, startServe, waitForExit } from '../helpers/cli.js';
import { openTestDesk, tempDir } from '../helpers/desk.js';
import { startLlmUpstream, type LlmUpstream } from '../fakes/llm-upstreams.js';

// `provider-desk exec` against a real `serve` on an ephemeral port, with a fake OpenAI upstream behind the gateway.
let dir: { path: string; remove(): void };
let upstream: LlmUpstream;
let serve: { child: ChildProcess; url: string };
let mainToken: string;

/** The child exec runs: one chat completion through $OPENAI_BASE_URL, then it prints what it saw and exits with 7. */
const CHILD = `
const res = await fetch(process.env.OPENAI_BASE_URL + '/chat/completions', {
  method: 'POST',
  headers: { authorization: 'Bearer ' + process.env.OPENAI_API_KEY, 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
});
const body = await res.json();
console.log(JSON.stringify({ status: res.status, content: body.choices?.[0]?.message?.content, token: process.env.OPENAI_API_KEY, base: process.env.OPENAI_BASE_URL }));
process.exit(7);
`;

const env = { OPENAI_BASE_URL: '', OPENAI_API_KEY: '' };

async function api(path: string, token = mainToken): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${serve.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

async function chatWith(token: string): Promise<number> {
  const res = await fetch(`${serve.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  dir = tempDir('pd-exec-');
  upstream = await startLlmUpstream({ dialect: 'openai', keys: ['sk-openai-real'] });
  const desk = openTestDesk({ dataDir: dir.path });
  desk.providers.create({
    name: 'openai',
    type: 'openai',
    base_url: `${upstream.url}/v1`,
    api_keys: [{ name: 'main', value: 'sk-openai-real' }],
  });
  await desk.close();
  serve = await startServe(['--port', '0', '--data-dir', dir.path]);
  mainToken = readFileSync(join(dir.path, 'api-token'), 'utf8').trim();
});

afterAll(async () => {
  serve?.child.kill('SIGTERM');
  if (serve) await waitForExit(serve.child);
  await upstream?.close();
  dir?.remove();
});

describe('provider-desk exec', () => {
  it('runs the command against the gateway with a run token, passes its exit code through and revokes the token', async () => {
    const run = await runCli(['exec', '--data-dir', dir.path, '--', process.execPath, '--input-type=module', '-e', CHILD], env);
    expect(run.code).toBe(7);
    const seen = JSON.parse(run.stdout.trim()) as { status: number; content: string; token: string; base: string };
    expect(seen).toMatchObject({ status: 200, content: 'w0 w1 w2 ', base: `${serve.url}/v1` });
    expect(seen.token).toMatch(/^pdg_/);
    // The fake got the real key, never the run's token.
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-openai-real');

    const { body } = await api('/api/v1/tokens?include_revoked=true');
    const tokens = (body as { tokens: Array<{ name: string; status: string; expires_at: string | null }> }).tokens;
    const runToken = tokens.find((t) => t.name.startsWith('exec:'));
    expect(runToken?.status).toBe('revoked');
    expect(runToken?.expires_at).not.toBeNull();
    expect(await chatWith(seen.token)).toBe(401);
  });

  it('limits the run token to --providers, and refuses an unknown one before running anything', async () => {
    const script = `console.log(process.env.OPENAI_API_KEY); process.exit(0)`;
    const ok = await runCli(['exec', '--data-dir', dir.path, '--providers', 'openai', '--', process.execPath, '-e', script], env);
    expect(ok.code).toBe(0);
    const { body } = await api('/api/v1/tokens?include_revoked=true');
    const tokens = (body as { tokens: Array<{ providers: string[] | null; status: string }> }).tokens;
    expect(tokens.some((t) => JSON.stringify(t.providers) === '["openai"]' && t.status === 'revoked')).toBe(true);

    const bad = await runCli(['exec', '--data-dir', dir.path, '--providers', 'nope', '--', process.execPath, '-e', 'process.exit(0)'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('provider "nope" does not exist');
  });

  it('revokes the token when it is stopped with SIGTERM, which it forwards to the command', async () => {
    const script = `console.log(process.env.OPENAI_API_KEY); process.on('SIGTERM', () => process.exit(3)); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, [BIN, 'exec', '--data-dir', dir.path, '--', process.execPath, '-e', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const token = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
    });
    expect(await chatWith(token)).toBe(200);
    child.kill('SIGTERM');
    expect(await waitForExit(child)).toBe(3);
    expect(await chatWith(token)).toBe(401);
  });

  it('says to start serve or the app when no server runs on the data dir', async () => {
    const other = tempDir('pd-exec-none-');
    openTestDesk({ dataDir: other.path }).close();
    const run = await runCli(['exec', '--data-dir', other.path, '--', process.execPath, '-e', 'process.exit(0)'], env);
    other.remove();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('start `provider-desk serve` or the app');
  });

  it('--real-keys gives the command the real key, no base URL, and a warning', async () => {
    const script = `console.log(JSON.stringify({ key: process.env.OPENAI_API_KEY, base: process.env.OPENAI_BASE_URL ?? null }))`;
    const run = await runCli(['exec', '--real-keys', '--data-dir', dir.path, '--', process.execPath, '-e', script], {
      OPENAI_API_KEY: 'from-the-shell',
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ key: 'sk-openai-real', base: null });
    expect(run.stderr).toContain('warning: --real-keys');
    expect(run.stderr).not.toContain('sk-openai-real');
  });
});
