/**
 * Scoped (gateway) tokens as a tool holding one meets the server: accepted only on routes marked `gateway` (here a
 * small test route, registered beside the real surfaces), refused with 403 on every management route and on every
 * export, 401 once expired or revoked; the provider restriction reaches the request; only a hash is stored; SigV4
 * signatures made with the token as the secret (aws4 and the real AWS SDK) are verified, wrong ones refused.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aws4 from 'aws4';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Desk } from '../../src-main/core/desk.js';
import { verifySigV4 } from '../../src-main/core/http/gateway-auth.js';
import { runCli } from '../helpers/cli.js';
import { openTestDesk, startTestServer, tempDir, type TestServer } from '../helpers/desk.js';
import { errorShapeProblem, liveRoutes } from '../reliability/helpers/routes.js';
import { scanDir, type Canary } from '../reliability/helpers/canary.js';

/** What the gateway test routes saw on `request.gatewayToken`, newest last. */
const seen = vi.hoisted(() => [] as unknown[]);
/** Every route registered with `config.gateway` (after the surfaces: the test's own and the proxy routes). */
const gatewayMarked = vi.hoisted(() => [] as string[]);

vi.mock('../../src-main/core/http/surfaces/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src-main/core/http/surfaces/index.js')>();
  return {
    ...original,
    registerSurfaces(app: FastifyInstance, desk: Desk) {
      original.registerSurfaces(app, desk);
      app.addHook('onRoute', (route) => {
        if (route.config?.gateway === true) gatewayMarked.push(route.url);
      });
      // Stand-ins for the proxy routes: marked `gateway`, they only report who the auth hook said is calling.
      app.get('/gateway-test/echo', { config: { gateway: true } }, async (request) => {
        seen.push(request.gatewayToken);
        return { gatewayToken: request.gatewayToken };
      });
      app.post('/gateway-test/bedrock/*', { config: { gateway: true } }, async (request) => {
        seen.push(request.gatewayToken);
        return {
          output: { message: { role: 'assistant', content: [{ text: 'ok' }] } },
          stopReason: 'end_turn',
          usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
          metrics: { latencyMs: 1 },
        };
      });
    },
  };
});

const GATEWAY_TEST_PREFIX = '/gateway-test/';
/** Where gateway routes live (the proxy routes' prefixes), and the test's own. */
const GATEWAY_PREFIXES = ['/proxy/', '/v1/', GATEWAY_TEST_PREFIX];
const isGatewayPath = (pattern: string) => GATEWAY_PREFIXES.some((prefix) => pattern.startsWith(prefix));
const PUBLIC_PATHS = new Set(['/api/v1/health', '/api/v1/session']);
const KEY = 'sk-scoped-token-test-0123456789abcdef';

function tokenCanary(label: string, token: string): Canary {
  return { label, value: token, core: token.slice('pdg_'.length) };
}

async function createToken(t: TestServer, body: Record<string, unknown>): Promise<{ id: string; token: string; [k: string]: unknown }> {
  const res = await t.request('/api/v1/tokens', { method: 'POST', json: body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

function signed(
  t: TestServer,
  path: string,
  secret: string,
  options: { accessKeyId?: string; method?: string; body?: string; headers?: Record<string, string> } = {},
) {
  const host = `127.0.0.1:${t.server.port}`;
  const request = aws4.sign(
    {
      host,
      path,
      method: options.method ?? 'GET',
      service: 'bedrock',
      region: 'us-east-1',
      headers: { ...options.headers },
      ...(options.body !== undefined ? { body: options.body } : {}),
    },
    { accessKeyId: options.accessKeyId ?? 'pd', secretAccessKey: secret },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) if (value !== undefined) headers[name] = String(value);
  return headers;
}

let t: TestServer;
let gateway: { id: string; token: string };
let unrestricted: { id: string; token: string };

beforeAll(async () => {
  t = await startTestServer();
  for (const name of ['openai', 'anthropic', 'mistral']) {
    const res = await t.request('/api/v1/providers', {
      method: 'POST',
      json: { name, type: name, base_url: 'http://127.0.0.1:9/v1', api_keys: [{ name: 'main', value: `${KEY}-${name}` }] },
    });
    expect(res.status, res.text).toBe(201);
  }
  gateway = await createToken(t, { name: 'aider', scope: 'gateway', providers: ['openai', 'anthropic'] });
  unrestricted = await createToken(t, { name: 'everything' });
});
afterAll(() => t.close());

describe('creating and listing gateway tokens', () => {
  it('answers 201 with the token once, its scope, providers (by name) and expiry', async () => {
    const res = await t.request('/api/v1/tokens', {
      method: 'POST',
      json: { name: 'continue', scope: 'gateway', providers: ['anthropic', 'openai', 'openai'], expires_in_seconds: 3600 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'continue', scope: 'gateway', providers: ['anthropic', 'openai'], status: 'active' });
    expect(res.body.token).toMatch(/^pdg_[A-Za-z0-9_-]{43}$/);
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(res.body.expires_at) - Date.parse(res.body.created_at)).toBe(3600_000);
    expect(res.body.token).not.toBe(gateway.token);
  });

  it('refuses unknown providers, bad names, other scopes and lifetimes with 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'x', providers: ['openai', 'nope'] }, 'providers[1]'],
      [{ name: 'x', providers: [] }, 'providers'],
      [{ name: '' }, 'name'],
      [{ name: 'bad\u001bname' }, 'name'],
      [{ name: 'x'.repeat(65) }, 'name'],
      [{ name: 'x', scope: 'admin' }, 'scope'],
      [{ name: 'x', expires_in_seconds: 0 }, 'expires_in_seconds'],
      [{ name: 'x', expires_in_seconds: 1.5 }, 'expires_in_seconds'],
      [{ name: 'x', token: 'pdg_chosen' }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await t.request('/api/v1/tokens', { method: 'POST', json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      if (field) expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
    }
    expect(
      (await t.request('/api/v1/tokens', { method: 'POST', json: { name: 'x', providers: ['nope'] } })).body.error.fields[0].message,
    ).toBe('no provider named "nope"');
  });

  it('lists tokens with status and last use, never a token value', async () => {
    const res = await t.request('/api/v1/tokens');
    expect(res.status).toBe(200);
    const names = res.body.tokens.map((tk: { name: string }) => tk.name);
    expect(names).toEqual(expect.arrayContaining(['aider', 'everything', 'continue']));
    for (const token of res.body.tokens) {
      expect(Object.keys(token).sort()).toEqual(
        ['created_at', 'expires_at', 'id', 'last_used_at', 'name', 'providers', 'revoked_at', 'scope', 'status'].sort(),
      );
    }
    for (const value of [gateway.token, unrestricted.token]) {
      expect(res.text).not.toContain(value);
      expect(res.text).not.toContain(value.slice(4, 20));
    }
  });
});

describe('a gateway token on the management API', () => {
  it('gets 403 in each surface own error shape on every route that is not a gateway route, and changes nothing', async () => {
    // No route outside the gateway prefixes is marked gateway, so the walk below covers every route that must refuse.
    expect(gatewayMarked.length).toBeGreaterThan(0);
    for (const url of gatewayMarked) expect(isGatewayPath(url), url).toBe(true);
    // The gateway routes aside (printRoutes shows a wildcard under a parameter as a bare `*`).
    const routes = liveRoutes(t.server.app).filter((r) => r.pattern.startsWith('/') && !isGatewayPath(r.pattern));
    expect(routes.length).toBeGreaterThan(40);
    const before = (await t.request('/api/v1/providers')).body.total;
    for (const route of routes) {
      const path = route.pattern.replace(/:(\w+)/g, 'openai').replace(/\*$/, 'x');
      if (PUBLIC_PATHS.has(path)) continue;
      const res = await t.request(path, {
        method: route.method,
        headers: { authorization: `Bearer ${gateway.token}` },
        ...(route.method === 'GET' ? {} : { json: {} }),
      });
      expect(res.status, `${route.method} ${path}`).toBe(403);
      expect(errorShapeProblem(route.surface, 403, res.body), `${route.method} ${path}`).toBeNull();
      expect(res.text, `${route.method} ${path}`).toMatch(/gateway token/);
      expect(res.text).not.toContain(t.token);
      expect(res.text).not.toContain(KEY);
    }
    expect((await t.request('/api/v1/providers')).body.total).toBe(before);
    expect((await t.request('/api/v1/tokens')).body.tokens.some((tk: { id: string }) => tk.id === gateway.id)).toBe(true);
  });

  it('never reaches an export, the main token or a browser session, however it is sent', async () => {
    const basic = Buffer.from(`me:${gateway.token}`).toString('base64');
    const ways: Array<Record<string, string>> = [
      { authorization: `Bearer ${gateway.token}` },
      { authorization: `Basic ${basic}` },
      { 'coder-session-token': gateway.token },
    ];
    for (const headers of ways) {
      for (const path of ['/api/v1/config/export?secrets=plain', '/api/v1/config/export', '/api/v1/token', '/api/v1/tokens']) {
        const res = await t.request(path, { headers, noAuth: true });
        expect(res.status, `${path} ${Object.keys(headers)[0]}`).toBe(403);
        expect(res.text).not.toContain(KEY);
        expect(res.text).not.toContain(t.token);
      }
      const encrypted = await t.request('/api/v1/config/export', {
        method: 'POST',
        headers,
        noAuth: true,
        json: { passphrase: 'correct horse battery staple' },
      });
      expect(encrypted.status).toBe(403);
    }
    // The headers SDKs use for their key count only on gateway routes: here they are no credential at all.
    for (const name of ['x-api-key', 'api-key', 'x-goog-api-key']) {
      expect((await t.request('/api/v1/config/export', { noAuth: true, headers: { [name]: gateway.token } })).status).toBe(401);
    }
    const login = await t.request('/api/v1/session', { method: 'POST', noAuth: true, json: { token: gateway.token } });
    expect(login.status).toBe(401);
    expect(login.headers.get('set-cookie')).toBeNull();
  });

  it('cannot create, list or revoke tokens (only the main token manages them)', async () => {
    const headers = { authorization: `Bearer ${gateway.token}` };
    expect((await t.request('/api/v1/tokens', { method: 'POST', headers, json: { name: 'escalate' } })).status).toBe(403);
    expect((await t.request(`/api/v1/tokens/${unrestricted.id}`, { method: 'DELETE', headers })).status).toBe(403);
    const list = (await t.request('/api/v1/tokens')).body.tokens as Array<{ name: string; status: string }>;
    expect(list.some((tk) => tk.name === 'escalate')).toBe(false);
    expect(list.find((tk) => tk.name === 'everything')?.status).toBe('active');
  });
});

describe('a gateway token on a gateway route', () => {
  it('is accepted as Bearer, x-api-key, api-key or x-goog-api-key, and the request carries its identity', async () => {
    for (const [name, value] of [
      ['authorization', `Bearer ${gateway.token}`],
      ['x-api-key', gateway.token],
      ['api-key', gateway.token],
      ['x-goog-api-key', gateway.token],
    ] as const) {
      const res = await t.request('/gateway-test/echo', { noAuth: true, headers: { [name]: value } });
      expect(res.status, name).toBe(200);
      expect(res.body.gatewayToken, name).toEqual({ id: gateway.id, name: 'aider', providers: ['anthropic', 'openai'] });
    }
    const all = await t.request('/gateway-test/echo', { noAuth: true, headers: { 'x-api-key': unrestricted.token } });
    expect(all.body.gatewayToken).toEqual({ id: unrestricted.id, name: 'everything', providers: null });
  });

  it('keeps the main token valid there (no gateway identity) and refuses no token, a wrong one, or ?key=', async () => {
    expect((await t.request('/gateway-test/echo')).body).toEqual({ gatewayToken: null });
    expect((await t.request('/gateway-test/echo', { noAuth: true, headers: { 'x-api-key': t.token } })).body).toEqual({
      gatewayToken: null,
    });
    expect((await t.request('/gateway-test/echo', { noAuth: true })).status).toBe(401);
    expect((await t.request('/gateway-test/echo', { noAuth: true, headers: { 'x-api-key': `${gateway.token}x` } })).status).toBe(401);
    expect((await t.request('/gateway-test/echo', { noAuth: true, headers: { 'x-api-key': 'pdg_guess' } })).status).toBe(401);
    expect((await t.request(`/gateway-test/echo?key=${gateway.token}`, { noAuth: true })).status).toBe(401);
  });

  it('shows the providers by their current names: a renamed one stays allowed, a deleted one drops out', async () => {
    const restricted = await createToken(t, { name: 'renames', providers: ['mistral', 'openai'] });
    const renamed = await t.request('/api/v1/providers/mistral', { method: 'PATCH', json: { name: 'mistral-eu' } });
    expect(renamed.status, renamed.text).toBe(200);
    const echo = async () => (await t.request('/gateway-test/echo', { noAuth: true, headers: { 'x-api-key': restricted.token } })).body;
    expect((await echo()).gatewayToken.providers).toEqual(['mistral-eu', 'openai']);
    expect((await t.request('/api/v1/providers/mistral-eu', { method: 'DELETE' })).status).toBe(200);
    expect((await echo()).gatewayToken.providers).toEqual(['openai']);
  });

  it('refuses an expired token with 401, and lists it as expired', async () => {
    const shortLived = await createToken(t, { name: 'short', expires_in_seconds: 1 });
    const headers = { 'x-api-key': shortLived.token };
    expect((await t.request('/gateway-test/echo', { noAuth: true, headers })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const res = await t.request('/gateway-test/echo', { noAuth: true, headers });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired/);
    const listed = (await t.request('/api/v1/tokens')).body.tokens.find((tk: { id: string }) => tk.id === shortLived.id);
    expect(listed.status).toBe('expired');
  });

  it('refuses a revoked token with 401 at once; revoked tokens are listed only when asked', async () => {
    const doomed = await createToken(t, { name: 'doomed' });
    const headers = { authorization: `Bearer ${doomed.token}` };
    expect((await t.request('/gateway-test/echo', { noAuth: true, headers })).status).toBe(200);
    const revoked = await t.request(`/api/v1/tokens/${doomed.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: doomed.id, status: 'revoked' });
    expect(revoked.text).not.toContain(doomed.token);
    const res = await t.request('/gateway-test/echo', { noAuth: true, headers });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/revoked/);
    expect((await t.request('/api/v1/tokens')).body.tokens.some((tk: { id: string }) => tk.id === doomed.id)).toBe(false);
    const all = (await t.request('/api/v1/tokens?include_revoked=true')).body.tokens;
    expect(all.find((tk: { id: string }) => tk.id === doomed.id)?.status).toBe('revoked');
    expect((await t.request('/api/v1/tokens/00000000-0000-0000-0000-000000000000', { method: 'DELETE' })).status).toBe(404);
  });

  it('records last use in a batch, not on the request itself', async () => {
    const fresh = await createToken(t, { name: 'last-use' });
    const row = () => t.desk.db.prepare('SELECT last_used_at FROM tokens WHERE id = ?').get(fresh.id) as { last_used_at: string | null };
    expect((await t.request('/gateway-test/echo', { noAuth: true, headers: { 'x-api-key': fresh.token } })).status).toBe(200);
    expect(row().last_used_at).toBeNull();
    await vi.waitFor(() => expect(row().last_used_at).not.toBeNull(), { timeout: 3000, interval: 100 });
    const listed = (await t.request('/api/v1/tokens')).body.tokens.find((tk: { id: string }) => tk.id === fresh.id);
    expect(Date.now() - Date.parse(listed.last_used_at)).toBeLessThan(5000);
  });
});

describe('storage', () => {
  it('keeps only a SHA-256 digest of each token in the SQLite file, never the token', async () => {
    const stored = t.desk.db.prepare('SELECT token_hash FROM tokens WHERE id = ?').get(gateway.id) as { token_hash: Buffer };
    expect(stored.token_hash.equals(createHash('sha256').update(gateway.token).digest())).toBe(true);
    t.desk.usage.flush();
    t.desk.db.pragma('wal_checkpoint(PASSIVE)');
    const canaries = [tokenCanary('gateway', gateway.token), tokenCanary('unrestricted', unrestricted.token)];
    const { findings, files } = scanDir(t.desk.options.dataDir, canaries, 'data dir');
    expect(files).toEqual(expect.arrayContaining(['provider-desk.sqlite']));
    expect(findings).toEqual([]);
    expect(readFileSync(join(t.desk.options.dataDir, 'provider-desk.sqlite')).includes(stored.token_hash)).toBe(true);
  });
});

describe('SigV4 with the token as the secret access key', () => {
  it('accepts a request signed by aws4 with access key id "pd" or the token id, and the main token', async () => {
    const viaGeneric = await t.raw('/gateway-test/echo', signed(t, '/gateway-test/echo', gateway.token));
    expect(viaGeneric.status, viaGeneric.body).toBe(200);
    expect(JSON.parse(viaGeneric.body).gatewayToken).toEqual({ id: gateway.id, name: 'aider', providers: ['anthropic', 'openai'] });
    const viaId = await t.raw(
      '/gateway-test/echo?b=2&a=1',
      signed(t, '/gateway-test/echo?b=2&a=1', gateway.token, { accessKeyId: gateway.id }),
    );
    expect(viaId.status, viaId.body).toBe(200);
    expect(JSON.parse(viaId.body).gatewayToken.id).toBe(gateway.id);
    const main = await t.raw('/gateway-test/echo', signed(t, '/gateway-test/echo', t.token));
    expect(JSON.parse(main.body)).toEqual({ gatewayToken: null });
  });

  it('refuses a wrong secret, a tampered path, a stale date, a revoked token and an unsigned body', async () => {
    const wrong = await t.raw('/gateway-test/echo', signed(t, '/gateway-test/echo', `${gateway.token}x`));
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body).error.message).toMatch(/signature does not match/);
    const tampered = await t.raw('/gateway-test/echo?x=1', signed(t, '/gateway-test/echo', gateway.token));
    expect(tampered.status).toBe(401);
    const old = new Date(Date.now() - 20 * 60_000).toISOString().replace(/[:-]|\.\d{3}/g, '');
    const stale = await t.raw('/gateway-test/echo', signed(t, '/gateway-test/echo', gateway.token, { headers: { 'X-Amz-Date': old } }));
    expect(stale.status).toBe(401);
    const otherId = await t.raw('/gateway-test/echo', signed(t, '/gateway-test/echo', gateway.token, { accessKeyId: unrestricted.id }));
    expect(otherId.status).toBe(401);

    const revoked = await createToken(t, { name: 'revoked-signer' });
    expect((await t.request(`/api/v1/tokens/${revoked.id}`, { method: 'DELETE' })).status).toBe(200);
    for (const accessKeyId of ['pd', revoked.id]) {
      const res = await t.raw('/gateway-test/echo', signed(t, '/gateway-test/echo', revoked.token, { accessKeyId }));
      expect(res.status, accessKeyId).toBe(401);
    }

    // A body whose hash was not signed could be anything: refused; with x-amz-content-sha256 signed it is accepted.
    const body = '{"messages":[]}';
    const unsignedBody = signed(t, '/gateway-test/bedrock/model/m/converse', gateway.token, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect((await t.raw('/gateway-test/bedrock/model/m/converse', unsignedBody, 'POST', body)).status).toBe(401);
    const hash = createHash('sha256').update(body).digest('hex');
    const signedBody = signed(t, '/gateway-test/bedrock/model/m/converse', gateway.token, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-amz-content-sha256': hash },
    });
    expect((await t.raw('/gateway-test/bedrock/model/m/converse', signedBody, 'POST', body)).status).toBe(200);
  });

  it('works with the real AWS SDK (Bedrock Converse) configured with accessKeyId "pd" and the gateway token', async () => {
    const client = (secretAccessKey: string) =>
      new BedrockRuntimeClient({
        region: 'us-east-1',
        endpoint: `${t.url}/gateway-test/bedrock`,
        credentials: { accessKeyId: 'pd', secretAccessKey },
        maxAttempts: 1,
        // The Bedrock runtime client speaks HTTP/2 by default; the loopback server speaks HTTP/1.1.
        requestHandler: new NodeHttpHandler(),
      });
    seen.length = 0;
    const answer = await client(gateway.token).send(
      new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
    );
    expect(answer.usage?.outputTokens).toBe(1);
    expect(seen).toEqual([{ id: gateway.id, name: 'aider', providers: ['anthropic', 'openai'] }]);
    await expect(
      client('pdg_not-a-token').send(
        new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 401 } });
    expect(seen).toHaveLength(1);
  });

  it('verifySigV4 names the candidate that signed, and -1 when none did', () => {
    const headers = signed(t, '/x?b=1', 'secret-b');
    const request = {
      method: 'GET',
      url: '/x?b=1',
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    };
    expect(verifySigV4(request, ['secret-a', 'secret-b', 'secret-c'])).toBe(1);
    expect(verifySigV4(request, ['secret-a'])).toBe(-1);
    expect(verifySigV4({ ...request, method: 'POST' }, ['secret-b'])).toBe(-1);
    expect(verifySigV4(request, ['secret-b'], Date.now() + 16 * 60_000)).toBe(-1);
    expect(verifySigV4({ ...request, headers: { ...request.headers, authorization: 'AWS4-HMAC-SHA256 nonsense' } }, ['secret-b'])).toBe(-1);
  });
});

describe('the CLI', () => {
  it('creates (printing the token once), lists without values and revokes; a running server honours each at once', async () => {
    const dir = tempDir();
    const desk = openTestDesk({ dataDir: dir.path });
    for (const name of ['openai', 'anthropic']) {
      const created = await desk.dispatch(
        'providers.create',
        { name, type: name, api_keys: [{ value: `${KEY}-${name}` }] },
        { transport: 'cli' },
      );
      expect(created.ok).toBe(true);
    }
    await desk.close();
    const server = await startTestServer({ dataDir: dir.path });
    try {
      const args = (...rest: string[]) => [...rest, '--data-dir', dir.path];
      const created = await runCli(
        args('token', 'create', '--name', 'aider', '--scope', 'gateway', '--providers', 'openai,anthropic', '--expires', '30d'),
      );
      expect(created.code, created.stderr).toBe(0);
      const token = created.stdout.trim();
      expect(token).toMatch(/^pdg_[A-Za-z0-9_-]{43}$/);
      expect(created.stderr).toMatch(/Token "aider" created .*providers: anthropic, openai; expires 20/);
      expect(created.stderr).toMatch(/shown only now/);

      const echo = await server.request('/gateway-test/echo', { noAuth: true, headers: { 'x-api-key': token } });
      expect(echo.body.gatewayToken).toMatchObject({ name: 'aider', providers: ['anthropic', 'openai'] });

      const json = await runCli(args('token', 'create', '--name', 'ci', '--json'));
      expect(json.code, json.stderr).toBe(0);
      const object = JSON.parse(json.stdout);
      expect(object).toMatchObject({ name: 'ci', scope: 'gateway', providers: null, expires_at: null, status: 'active' });
      expect(object.token).toMatch(/^pdg_/);

      const list = await runCli(args('token', 'list'));
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toMatch(/NAME/);
      expect(list.stdout).toMatch(/aider .*anthropic,openai +active/);
      expect(list.stdout).not.toContain(token);
      expect(list.stdout).not.toContain(object.token);
      const listed = JSON.parse((await runCli(args('token', 'list', '--json'))).stdout) as Array<{ id: string; name: string }>;
      expect(listed.map((tk) => tk.name).sort()).toEqual(['aider', 'ci']);
      const aiderId = listed.find((tk) => tk.name === 'aider')!.id;

      const revoked = await runCli(args('token', 'revoke', aiderId));
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(revoked.stdout).toMatch(/revoked/);
      expect((await server.request('/gateway-test/echo', { noAuth: true, headers: { 'x-api-key': token } })).status).toBe(401);
      expect((await runCli(args('token', 'list'))).stdout).not.toMatch(/aider/);
      expect((await runCli(args('token', 'list', '--all'))).stdout).toMatch(/aider .*revoked/);

      // The main token command is unchanged.
      expect((await runCli(args('token'))).stdout.trim()).toBe(server.token);
    } finally {
      await server.close();
      dir.remove();
    }
  }, 60_000);

  it('explains mistakes: a missing name or id, an unknown provider, a bad lifetime, an unknown token', async () => {
    const dir = tempDir();
    const args = (...rest: string[]) => [...rest, '--data-dir', dir.path];
    try {
      const noName = await runCli(args('token', 'create'));
      expect(noName.code).toBe(2);
      expect(noName.stderr).toMatch(/--name/);
      const unknown = await runCli(args('token', 'create', '--name', 'x', '--providers', 'nope'));
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/providers\[0\]: no provider named "nope"/);
      const lifetime = await runCli(args('token', 'create', '--name', 'x', '--expires', 'soon'));
      expect(lifetime.code).toBe(2);
      expect(lifetime.stderr).toMatch(/--expires/);
      expect((await runCli(args('token', 'revoke'))).code).toBe(2);
      const missing = await runCli(args('token', 'revoke', '00000000-0000-0000-0000-000000000000'));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/No token/);
      expect((await runCli(args('token', 'frobnicate'))).code).toBe(2);
    } finally {
      dir.remove();
    }
  }, 60_000);
});
