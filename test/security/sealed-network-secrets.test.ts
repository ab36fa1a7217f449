/**
 * Secrets in the network and proxy blocks are sealed like key values: the password (or lone token) in a proxy URL's
 * userinfo and the values of secret-looking extra headers go into the vault on every write path (native API over HTTP
 * and IPC, Bifrost, config import), are masked in every view (every surface, the CLI, the redacted export), come back
 * in plain and encrypted exports, survive a `<REDACTED>` round trip, still move the config hash, and still reach the
 * probe in memory. A store written before they were sealed gets them sealed on its first open.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDocument } from '../../src-main/core/config-file/envelope.js';
import { DB_FILE } from '../../src-main/core/store/database.js';
import { createHttpServer } from '../fakes/http-server.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { startHttpProxy, type TestProxy } from '../fakes/proxies.js';
import { runCli } from '../helpers/cli.js';
import { openTestDesk, startTestServer, tempDir, type TestServer } from '../helpers/desk.js';
import { makeCanary, scanBytes, scanText, type Canary, type Finding } from '../reliability/helpers/canary.js';

const R = '<REDACTED>';
const DEAD = '127.0.0.1:9';
const LOOPBACK = `http://${DEAD}/v1`;
const KEY = 'sk-sealed-network-key-0001';
const PASSPHRASE = 'correct horse battery staple';

const C = {
  nativeUrlPassword: makeCanary('native-url-password'),
  nativeAuthorization: makeCanary('native-authorization'),
  nativeHelicone: makeCanary('native-helicone'),
  nativeCustomToken: makeCanary('native-custom-token'),
  nativeCookie: makeCanary('native-cookie'),
  nativeApiKey: makeCanary('native-api-key'),
  nativePatchedToken: makeCanary('native-patched-token'),
  nativePatchedUrl: makeCanary('native-patched-url'),
  ipcUrlToken: makeCanary('ipc-url-token'),
  ipcSecret: makeCanary('ipc-secret'),
  bifrostUrlPassword: makeCanary('bifrost-url-password'),
  bifrostApiKey: makeCanary('bifrost-x-api-key'),
  bifrostProxyAuth: makeCanary('bifrost-proxy-authorization'),
  importUrlPassword: makeCanary('import-url-password'),
  importAuthorization: makeCanary('import-authorization'),
  importChanged: makeCanary('import-changed'),
  probeProxyPassword: makeCanary('probe-proxy-password'),
  probeHeader: makeCanary('probe-helicone'),
};
const ALL: Canary[] = Object.values(C);

let t: TestServer;
let fake: FakeProvider;
let proxy: TestProxy;

function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `canary "${f.canary}" found in ${f.where}`).join('\n');
}

/** The SQLite file and its write-ahead log, byte for byte, searched for every canary. */
function scanStore(dataDir: string, canaries: readonly Canary[]): Finding[] {
  return [DB_FILE, `${DB_FILE}-wal`]
    .map((name) => join(dataDir, name))
    .filter((file) => existsSync(file))
    .flatMap((file) => scanBytes(readFileSync(file), canaries, file));
}

async function ok(path: string, init: RequestInit & { json?: unknown } = {}, status = 200): Promise<any> {
  const res = await t.request(path, init);
  expect(res.status, `${init.method ?? 'GET'} ${path}: ${res.text.slice(0, 400)}`).toBe(status);
  return res.body;
}

async function plainExport(): Promise<string> {
  const res = await t.request('/api/v1/config/export?secrets=plain');
  expect(res.status).toBe(200);
  return res.text;
}

function found(text: string, canaries: readonly Canary[] = ALL): string[] {
  return scanText(text, canaries, 'text')
    .map((f) => f.canary)
    .sort();
}

beforeAll(async () => {
  fake = await startFakeProvider('openai', { keys: [KEY] });
  proxy = await startHttpProxy({ username: 'proxy-user', password: C.probeProxyPassword.value });
  t = await startTestServer();
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
  await proxy?.close();
});

describe('proxy URL userinfo and secret header values are sealed', () => {
  it('takes them in through the native API (HTTP and IPC), Bifrost and config import', async () => {
    await ok(
      '/api/v1/providers',
      {
        method: 'POST',
        json: {
          name: 'sec-native',
          type: 'openai',
          base_url: LOOPBACK,
          network_config: {
            extra_headers: {
              Authorization: `Bearer ${C.nativeAuthorization.value}`,
              'Helicone-Auth': `Bearer ${C.nativeHelicone.value}`,
              'X-Custom-Token': C.nativeCustomToken.value,
              Cookie: `session=${C.nativeCookie.value}`,
              'api-key': C.nativeApiKey.value,
              'X-Team': 'ml',
            },
          },
          proxy_config: { type: 'http', url: `http://proxy-user:${C.nativeUrlPassword.value}@${DEAD}` },
        },
      },
      201,
    );
    const created = await t.desk.dispatch(
      'providers.create',
      {
        name: 'sec-ipc',
        type: 'openai',
        base_url: LOOPBACK,
        network_config: { extra_headers: { 'X-Secret': C.ipcSecret.value } },
        proxy_config: { type: 'http', url: `http://${C.ipcUrlToken.value}@${DEAD}` },
      },
      { transport: 'ipc' },
    );
    expect(created.ok, JSON.stringify(created)).toBe(true);
    await ok('/bifrost/api/providers', {
      method: 'POST',
      json: {
        provider: 'sec-bifrost',
        network_config: {
          base_url: LOOPBACK,
          extra_headers: {
            'x-api-key': C.bifrostApiKey.value,
            'Proxy-Authorization': `Basic ${C.bifrostProxyAuth.value}`,
            'X-Org': 'acme',
          },
        },
        proxy_config: { type: 'http', url: `http://bf-user:${C.bifrostUrlPassword.value}@${DEAD}` },
        custom_provider_config: { base_provider_type: 'openai' },
      },
    });
    const imported = await ok('/api/v1/config/import', {
      method: 'POST',
      json: {
        providers: {
          'sec-import': {
            provider_desk: { type: 'openai' },
            keys: [],
            network_config: { base_url: LOOPBACK, extra_headers: { Authorization: `Bearer ${C.importAuthorization.value}` } },
            proxy_config: { type: 'http', url: `http://imp-user:${C.importUrlPassword.value}@${DEAD}` },
          },
        },
      },
    });
    expect(imported).toMatchObject({ added: ['sec-import'], applied: true });
  });

  it('shows them masked in every view, and keeps other headers and the username visible', async () => {
    const native = await ok('/api/v1/providers/sec-native');
    expect(native.network_config.extra_headers).toEqual({
      Authorization: R,
      'Helicone-Auth': R,
      'X-Custom-Token': R,
      Cookie: R,
      'api-key': R,
      'X-Team': 'ml',
    });
    expect(native.proxy_config.url).toBe(`http://proxy-user:${R}@${DEAD}`);
    expect((await ok('/api/v1/providers/sec-ipc')).proxy_config.url).toBe(`http://${R}@${DEAD}`);

    const bifrost = await ok('/bifrost/api/providers/sec-bifrost');
    expect(bifrost.network_config.extra_headers).toEqual({ 'x-api-key': R, 'Proxy-Authorization': R, 'X-Org': 'acme' });
    expect(bifrost.proxy_config.url).toBe(`http://bf-user:${R}@${DEAD}`);
    expect((await ok('/bifrost/api/providers/sec-import')).proxy_config.url).toBe(`http://imp-user:${R}@${DEAD}`);

    const reads = [
      '/api/v1/providers?limit=1000',
      '/api/v1/providers/sec-native',
      '/api/v1/providers/sec-ipc',
      '/api/v1/providers/sec-bifrost',
      '/api/v1/providers/sec-import',
      '/api/providers',
      '/api/providers/sec-native',
      '/api/v2/ai/providers',
      '/api/v2/ai/providers/sec-native',
      '/bifrost/api/providers',
      '/bifrost/api/providers/sec-native',
      '/bifrost/api/providers/sec-bifrost',
      '/api/v1/model_providers',
    ];
    const findings: Finding[] = [];
    for (const path of reads) {
      const res = await t.request(path);
      expect(res.status, path).toBeLessThan(400);
      findings.push(...scanText(res.text, ALL, `GET ${path}`));
    }
    const ipcList = await t.desk.dispatch('providers.list', { limit: 1000 }, { transport: 'ipc' });
    findings.push(...scanText(JSON.stringify(ipcList), ALL, 'IPC providers.list'));
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('shows them masked in the CLI', async () => {
    const dataDir = t.desk.options.dataDir;
    const list = await runCli(['list', '--json', '--data-dir', dataDir]);
    const show = await runCli(['call', 'providers.get', '{"idOrName":"sec-native"}', '--data-dir', dataDir]);
    expect(list.code, list.stderr).toBe(0);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).proxy_config.url).toBe(`http://proxy-user:${R}@${DEAD}`);
    const findings = [list, show].flatMap((run, i) => scanText(run.stdout + run.stderr, ALL, `CLI run ${i}`));
    expect(findings, describeFindings(findings)).toEqual([]);
  }, 30_000);

  it('keeps them out of every byte of the SQLite file and its write-ahead log', () => {
    const findings = scanStore(t.desk.options.dataDir, ALL);
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('writes <REDACTED> in the redacted export, the real values in the plain and the encrypted export', async () => {
    const redacted = await ok('/api/v1/config/export');
    expect(found(JSON.stringify(redacted))).toEqual([]);
    expect(redacted.providers['sec-native'].network_config.extra_headers).toMatchObject({ Authorization: R, 'X-Team': 'ml' });
    expect(redacted.providers['sec-native'].proxy_config.url).toBe(`http://proxy-user:${R}@${DEAD}`);

    const live = ALL.filter(
      (c) => !c.label.startsWith('probe-') && ![C.nativePatchedToken, C.nativePatchedUrl, C.importChanged].includes(c),
    );
    const plain = await plainExport();
    expect(found(plain)).toEqual(live.map((c) => c.label).sort());
    const doc = JSON.parse(plain);
    expect(doc.providers['sec-native'].network_config.extra_headers.Authorization).toBe(`Bearer ${C.nativeAuthorization.value}`);
    expect(doc.providers['sec-native'].proxy_config.url).toBe(`http://proxy-user:${C.nativeUrlPassword.value}@${DEAD}`);
    expect(doc.providers['sec-ipc'].proxy_config.url).toBe(`http://${C.ipcUrlToken.value}@${DEAD}`);

    const encrypted = await ok('/api/v1/config/export', { method: 'POST', json: { passphrase: PASSPHRASE } });
    expect(found(JSON.stringify(encrypted))).toEqual([]);
    const opened = await openDocument(encrypted as Record<string, unknown>, PASSPHRASE);
    expect(found(JSON.stringify(opened))).toEqual(live.map((c) => c.label).sort());
  }, 30_000);

  it('keeps the stored values when <REDACTED> comes back, through Bifrost and the native API', async () => {
    const before = await plainExport();
    const shown = await ok('/bifrost/api/providers/sec-bifrost');
    const put = await ok('/bifrost/api/providers/sec-bifrost', {
      method: 'PUT',
      json: {
        network_config: shown.network_config,
        concurrency_and_buffer_size: shown.concurrency_and_buffer_size,
        proxy_config: shown.proxy_config,
      },
    });
    expect(put.config_hash).toBe(shown.config_hash);

    const native = await ok('/api/v1/providers/sec-native');
    const patched = await ok('/api/v1/providers/sec-native', {
      method: 'PATCH',
      json: {
        network_config: { extra_headers: native.network_config.extra_headers },
        proxy_config: { type: 'http', url: native.proxy_config.url },
      },
    });
    expect(patched.revision).toBe(native.revision + 1);
    expect(patched.config_hash).toBe(native.config_hash);
    expect(found(await plainExport())).toEqual(found(before));

    // Header names are case-insensitive: a client may send one back in another case, and the value is still kept.
    const { Authorization: _dropped, ...others } = native.network_config.extra_headers;
    await ok('/api/v1/providers/sec-native', {
      method: 'PATCH',
      json: { network_config: { extra_headers: { ...others, authorization: R } } },
    });
    const after = await plainExport();
    expect(found(after)).toEqual(found(before));
    expect(JSON.parse(after).providers['sec-native'].network_config.extra_headers.authorization).toBe(
      `Bearer ${C.nativeAuthorization.value}`,
    );
    expect(scanStore(t.desk.options.dataDir, ALL)).toEqual([]);
  });

  it('replaces a value sent anew, removes the value of a header left out, and moves the config hash', async () => {
    const before = await ok('/api/v1/providers/sec-native');
    const headers = { ...before.network_config.extra_headers, 'X-Custom-Token': C.nativePatchedToken.value };
    delete headers.Cookie;
    const patched = await ok('/api/v1/providers/sec-native', { method: 'PATCH', json: { network_config: { extra_headers: headers } } });
    expect(patched.network_config.extra_headers).not.toHaveProperty('Cookie');
    expect(patched.network_config.extra_headers['X-Custom-Token']).toBe(R);
    expect(patched.config_hash).not.toBe(before.config_hash);

    const newUrl = await ok('/api/v1/providers/sec-native', {
      method: 'PATCH',
      json: { proxy_config: { type: 'http', url: `http://proxy-user:${C.nativePatchedUrl.value}@${DEAD}` } },
    });
    expect(newUrl.proxy_config.url).toBe(`http://proxy-user:${R}@${DEAD}`);
    expect(newUrl.config_hash).not.toBe(patched.config_hash);

    const plain = await plainExport();
    expect(found(plain, [C.nativeCustomToken, C.nativeCookie, C.nativeUrlPassword])).toEqual([]);
    expect(found(plain, [C.nativePatchedToken, C.nativePatchedUrl])).toEqual(['native-patched-token', 'native-patched-url']);

    // Nothing is stored for a header that was removed, so <REDACTED> has nothing to keep: refused, naming the field.
    const refused = await t.request('/api/v1/providers/sec-native', {
      method: 'PATCH',
      json: { network_config: { extra_headers: { ...newUrl.network_config.extra_headers, Cookie: R } } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'validation_failed',
      fields: [{ path: 'network_config.extra_headers.Cookie', message: expect.stringContaining('<REDACTED>') }],
    });
    const bifrostRefused = await t.request('/bifrost/api/providers', {
      method: 'POST',
      json: {
        provider: 'sec-bifrost-new',
        custom_provider_config: { base_provider_type: 'openai' },
        proxy_config: { type: 'http', url: `http://u:${R}@${DEAD}` },
      },
    });
    expect(bifrostRefused.status).toBe(400);
    expect(bifrostRefused.body.error.message).toContain('proxy_config.url');
    expect(scanStore(t.desk.options.dataDir, ALL)).toEqual([]);
  });

  it('re-imports a redacted export of an unchanged store as unchanged, and sees a changed header value', async () => {
    const redacted = await ok('/api/v1/config/export');
    const dry = await ok('/api/v1/config/import', { method: 'POST', json: { ...redacted, dry_run: true } });
    expect(dry).toMatchObject({ added: [], changed: [], removed: [] });
    expect([...dry.unchanged].sort()).toEqual(['sec-bifrost', 'sec-import', 'sec-ipc', 'sec-native']);
    const before = await ok('/api/v1/providers/sec-import');
    const applied = await ok('/api/v1/config/import', { method: 'POST', json: redacted });
    expect(applied.changed).toEqual([]);
    expect((await ok('/api/v1/providers/sec-import')).revision).toBe(before.revision);

    const changedDoc = structuredClone(redacted);
    changedDoc.providers['sec-import'].network_config.extra_headers.Authorization = `Bearer ${C.importChanged.value}`;
    const changed = await ok('/api/v1/config/import', { method: 'POST', json: changedDoc });
    expect(changed.changed).toEqual(['sec-import']);
    const after = await ok('/api/v1/providers/sec-import');
    expect(after.config_hash).not.toBe(before.config_hash);
    expect(after.network_config.extra_headers.Authorization).toBe(R);
    const plain = await plainExport();
    expect(found(plain, [C.importAuthorization, C.importChanged])).toEqual(['import-changed']);

    const missing = await t.request('/api/v1/config/import', {
      method: 'POST',
      json: {
        providers: {
          'sec-new': {
            provider_desk: { type: 'openai' },
            keys: [],
            network_config: { base_url: LOOPBACK, extra_headers: { 'X-Api-Key': R } },
            proxy_config: { type: 'http', url: `http://u:${R}@${DEAD}` },
          },
        },
      },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'providers.sec-new.network_config.extra_headers.X-Api-Key',
      'providers.sec-new.proxy_config.url',
    ]);
    expect(scanStore(t.desk.options.dataDir, ALL)).toEqual([]);
  });

  it('hands the real values to the probe: an authenticating proxy lets it through and the upstream gets the header', async () => {
    await ok(
      '/api/v1/providers',
      {
        method: 'POST',
        json: {
          name: 'sec-probe',
          type: 'openai',
          base_url: fake.baseUrl,
          api_keys: [{ value: KEY }],
          network_config: { extra_headers: { 'Helicone-Auth': `Bearer ${C.probeHeader.value}` } },
          proxy_config: { type: 'http', url: `http://proxy-user:${C.probeProxyPassword.value}@127.0.0.1:${proxy.port}` },
        },
      },
      201,
    );
    const first = await ok('/api/v1/providers/sec-probe/test', { method: 'POST', json: {} });
    expect(first.ok, JSON.stringify(first)).toBe(true);
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(fake.requests.some((r) => r.headers['helicone-auth'] === `Bearer ${C.probeHeader.value}`)).toBe(true);

    // After a <REDACTED> round trip the probe still gets the sealed values.
    const shown = await ok('/api/v1/providers/sec-probe');
    expect(shown.proxy_config.url).toBe(`http://proxy-user:${R}@127.0.0.1:${proxy.port}`);
    await ok('/api/v1/providers/sec-probe', {
      method: 'PATCH',
      json: { network_config: { extra_headers: shown.network_config.extra_headers }, proxy_config: { url: shown.proxy_config.url } },
    });
    const proxied = proxy.requests.length;
    fake.requests.length = 0;
    const second = await ok('/api/v1/providers/sec-probe/test', { method: 'POST', json: {} });
    expect(second.ok, JSON.stringify(second)).toBe(true);
    expect(proxy.requests.length).toBeGreaterThan(proxied);
    expect(fake.requests.every((r) => r.headers['helicone-auth'] === `Bearer ${C.probeHeader.value}`)).toBe(true);

    const checks = await t.request('/api/v1/providers/sec-probe/checks');
    const findings = [...scanText(checks.text, ALL, 'checks'), ...scanStore(t.desk.options.dataDir, ALL)];
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('keeps a secret header value out of check results when the upstream quotes it back', async () => {
    const echoed = makeCanary('echoed-gateway-auth');
    // A gateway in front of the provider that rejects its own auth header and quotes it in the error, as some do.
    const gateway = await createHttpServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `invalid gateway credential: ${String(req.headers['x-gateway-token'])}` } }));
    });
    try {
      await ok(
        '/api/v1/providers',
        {
          method: 'POST',
          json: {
            name: 'sec-gateway',
            type: 'openai',
            base_url: `${gateway.url}/v1`,
            api_keys: [{ value: KEY }],
            network_config: { extra_headers: { 'X-Gateway-Token': echoed.value } },
          },
        },
        201,
      );
      const result = await ok('/api/v1/providers/sec-gateway/test', { method: 'POST', json: {} });
      expect(result.ok).toBe(false);
      expect(result.results[0].message).toContain('invalid gateway credential');
      const checks = await t.request('/api/v1/providers/sec-gateway/checks');
      const findings = [
        ...scanText(JSON.stringify(result), [echoed], 'test result'),
        ...scanText(checks.text, [echoed], 'checks'),
        ...scanStore(t.desk.options.dataDir, [echoed]),
      ];
      expect(findings, describeFindings(findings)).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});

describe('a store written before network secrets were sealed', () => {
  it('gets its plaintext header values and proxy URL userinfo sealed on the first open, once', async () => {
    const dir = tempDir('pd-legacy-network-');
    const header = makeCanary('legacy-header');
    const urlPassword = C.probeProxyPassword;
    try {
      const old = openTestDesk({ dataDir: dir.path });
      old.providers.create({ name: 'legacy', type: 'openai', base_url: fake.baseUrl, api_keys: [{ value: KEY }] });
      // What the previous version wrote: plaintext in the blocks, and a schema without migration 0002.
      old.db.prepare('UPDATE providers SET network_config = ?, proxy_config = ? WHERE name = ?').run(
        JSON.stringify({ extra_headers: { 'X-Custom-Token': header.value, 'X-Team': 'ml' }, allow_private_network: false }),
        JSON.stringify({
          type: 'http',
          url: `http://proxy-user:${urlPassword.value}@127.0.0.1:${proxy.port}`,
          username: '',
          ca_cert_pem: '',
        }),
        'legacy',
      );
      // What migration 0002 does to a store written before it: mark the plaintext for sealing on the next open.
      old.db
        .prepare(
          "INSERT INTO meta (key, value) VALUES ('seal_network_values', 'pending') ON CONFLICT (key) DO UPDATE SET value = 'pending'",
        )
        .run();
      await old.close();
      // The search does find them where they are.
      expect(scanStore(dir.path, [header, urlPassword]).map((f) => f.canary)).toEqual(['legacy-header', 'probe-proxy-password']);

      const desk = openTestDesk({ dataDir: dir.path });
      const shown = desk.providers.get('legacy');
      expect(shown.network_config.extra_headers).toEqual({ 'X-Custom-Token': R, 'X-Team': 'ml' });
      expect(shown.proxy_config.url).toBe(`http://proxy-user:${R}@127.0.0.1:${proxy.port}`);
      expect(shown.revision).toBe(1);
      expect(scanStore(dir.path, [header, urlPassword])).toEqual([]);

      const result = await desk.health.test('legacy');
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(fake.requests.some((r) => r.headers['x-custom-token'] === header.value)).toBe(true);
      const plain = await desk.dispatch('config.export', { secrets: 'plain' }, { transport: 'ipc' });
      expect(found(JSON.stringify(plain), [header, urlPassword])).toEqual(['legacy-header', 'probe-proxy-password']);
      const redacted = await desk.dispatch('config.export', {}, { transport: 'ipc' });
      expect(redacted.ok).toBe(true);
      const reimport = await desk.dispatch('config.import', { ...(redacted.ok ? redacted.data : {}), dry_run: true }, { transport: 'ipc' });
      expect(reimport).toMatchObject({ ok: true, data: { changed: [], unchanged: ['legacy'] } });
      await desk.close();

      // The mark is cleared: a later open rewrites nothing.
      const again = openTestDesk({ dataDir: dir.path });
      expect(again.repo.getMeta('seal_network_values')?.value).toBe('done');
      expect(again.providers.get('legacy').updated_at).toBe(shown.updated_at);
      await again.close();
    } finally {
      dir.remove();
    }
  });
});
