/**
 * The gateway keeps each provider opened (its keys decrypted, in memory only) between requests: writes that change
 * nothing a request is made of (another provider, a key's check result, the usage counters) do not open it again, and
 * every change that does (a replaced, removed, added or disabled key, a new base URL, the provider turned off) is used by
 * the very next request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOG_FILE } from '../../src-main/core/log/logger.js';
import { providerSignature } from '../../src-main/core/gateway/providers.js';
import type { KeyRow, ProviderRow } from '../../src-main/core/store/rows.js';
import type { LlmUpstream } from '../fakes/llm-upstreams.js';
import { openTestDesk } from '../helpers/desk.js';
import { startGateway, type Gateway } from './harness.js';

let g: Gateway;
let first: LlmUpstream;
let second: LlmUpstream;
const KEYS = ['sk-cache-one', 'sk-cache-two', 'sk-cache-three'];

beforeAll(async () => {
  g = await startGateway();
  first = await g.upstream({ dialect: 'openai', keys: KEYS });
  second = await g.upstream({ dialect: 'openai', keys: KEYS });
  g.provider({ name: 'cached', type: 'openai', base_url: `${first.url}/v1`, api_keys: [{ name: 'main', value: 'sk-cache-one' }] });
});
afterAll(async () => {
  await g?.close();
});

/** Sends one chat completion through /proxy/cached; returns the status and the upstream that got it with which key. */
async function chat(): Promise<{ status: number; upstream: 'first' | 'second' | null; key: string | null }> {
  const counts = [first.requests.length, second.requests.length];
  const response = await fetch(`${g.proxy('cached')}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.arrayBuffer();
  const seen = first.requests[counts[0]!] ?? second.requests[counts[1]!];
  const upstream = first.requests.length > counts[0]! ? 'first' : second.requests.length > counts[1]! ? 'second' : null;
  const authorization = seen?.headers.authorization;
  return { status: response.status, upstream, key: typeof authorization === 'string' ? authorization.replace(/^Bearer /, '') : null };
}

const keyIdOf = (name: string) => g.desk.providers.keyRowsOf(g.desk.providers.findRow('cached')!.id).find((k) => k.name === name)!.id;

describe('the gateway’s opened providers', () => {
  it('are not opened again after writes that change nothing a request is made of', async () => {
    expect(await chat()).toEqual({ status: 200, upstream: 'first', key: 'sk-cache-one' });
    const opened = vi.spyOn(g.desk.health, 'probeKey');
    try {
      g.provider({ name: 'unrelated', type: 'openai', base_url: 'https://example.invalid/v1', api_keys: [{ value: 'sk-other' }] });
      const row = g.desk.providers.findRow('cached')!;
      const key = g.desk.providers.keyRowsOf(row.id)[0]!;
      g.desk.health.recordKeyCheck(row, key, {
        key_id: key.id,
        ok: true,
        latency_ms: 3,
        http_status: 200,
        error_class: null,
        message: 'ok',
        hint: null,
        checked_at: new Date().toISOString(),
      });
      g.desk.usage.flush();
      expect(await chat()).toEqual({ status: 200, upstream: 'first', key: 'sk-cache-one' });
      expect(await chat()).toEqual({ status: 200, upstream: 'first', key: 'sk-cache-one' });
      expect(opened).not.toHaveBeenCalled();
    } finally {
      opened.mockRestore();
    }
  });

  it('use a replaced key from the next request on', async () => {
    g.desk.providers.updateKey('cached', keyIdOf('main'), { value: 'sk-cache-two' });
    expect(await chat()).toEqual({ status: 200, upstream: 'first', key: 'sk-cache-two' });
  });

  it('drop a removed key and use an added one from the next request on', async () => {
    g.desk.providers.addKey('cached', { name: 'spare', value: 'sk-cache-three' });
    g.desk.providers.removeKey('cached', keyIdOf('main'));
    expect(await chat()).toEqual({ status: 200, upstream: 'first', key: 'sk-cache-three' });
  });

  it('stop using a disabled key at once', async () => {
    g.desk.providers.updateKey('cached', keyIdOf('spare'), { enabled: false });
    const answer = await chat();
    expect(answer.status).toBe(400);
    expect(answer.upstream).toBeNull();
    g.desk.providers.updateKey('cached', keyIdOf('spare'), { enabled: true });
    expect(await chat()).toEqual({ status: 200, upstream: 'first', key: 'sk-cache-three' });
  });

  it('follow a changed base URL and a provider turned off', async () => {
    g.desk.providers.update('cached', { base_url: `${second.url}/v1` });
    expect(await chat()).toEqual({ status: 200, upstream: 'second', key: 'sk-cache-three' });
    g.desk.providers.update('cached', { enabled: false });
    expect((await chat()).status).toBe(403);
    g.desk.providers.update('cached', { enabled: true });
    expect(await chat()).toEqual({ status: 200, upstream: 'second', key: 'sk-cache-three' });
  });

  it('follow a change another process committed from the next request on (the store version the request arrived at)', async () => {
    expect((await chat()).status).toBe(200);
    const other = openTestDesk({ dataDir: g.desk.options.dataDir });
    try {
      other.providers.update('cached', { enabled: false });
      expect((await chat()).status).toBe(403);
      other.providers.update('cached', { enabled: true, base_url: `${first.url}/v1` });
      expect(await chat()).toEqual({ status: 200, upstream: 'first', key: 'sk-cache-three' });
    } finally {
      await other.close();
    }
  });
});

describe('answers the gateway writes itself', () => {
  it('carry the provider’s headers, ours, the CORS headers of an allowed origin, and are logged', async () => {
    const origin = new URL(g.url).origin;
    const response = await fetch(`${g.proxy('cached')}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/json', origin },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    const body = (await response.json()) as { choices: unknown[] };
    expect(body.choices).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const log = readFileSync(join(g.dataDir, 'logs', LOG_FILE), 'utf8');
    expect(log).toMatch(/"route":"\/proxy\/:provider\/\*".*"status":200/);
  });
});

describe('the OpenAI-compatible endpoint’s disabled models', () => {
  const compat = async () => {
    const response = await fetch(`${g.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'cached/curated-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await response.arrayBuffer();
    return response.status;
  };
  const api = (method: string, body: unknown) =>
    fetch(`${g.url}/api/v1/providers/cached/models`, {
      method,
      headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('are refused from the next request on, and served again once enabled', async () => {
    expect((await api('POST', { id: 'curated-model' })).status).toBe(201);
    expect(await compat()).toBe(200);
    expect(await compat()).toBe(200);
    expect((await api('PATCH', { models: ['curated-model'], enabled: false })).status).toBe(200);
    expect(await compat()).toBe(403);
    expect((await api('PATCH', { models: ['curated-model'], enabled: true })).status).toBe(200);
    expect(await compat()).toBe(200);
  });
});

describe('providerSignature', () => {
  const row = { id: 'p1', name: 'x', base_url: 'https://a', health: 'ok', revision: 1, secrets: null } as unknown as ProviderRow;
  const key = { id: 'k1', secret_sealed: Buffer.from([1, 2, 3]), status: 'active', last_check: null } as unknown as KeyRow;

  it('ignores check results and edit bookkeeping', () => {
    const checked = { ...row, health: 'error', revision: 7, updated_at: 'later' } as ProviderRow;
    expect(providerSignature(checked, [{ ...key, status: 'error', last_check: 'now' }])).toBe(providerSignature(row, [key]));
  });

  it('changes with a key’s ciphertext and with the provider’s settings', () => {
    expect(providerSignature(row, [{ ...key, secret_sealed: Buffer.from([1, 2, 4]) }])).not.toBe(providerSignature(row, [key]));
    expect(providerSignature({ ...row, base_url: 'https://b' }, [key])).not.toBe(providerSignature(row, [key]));
  });
});
