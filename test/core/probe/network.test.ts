import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProbeEngine } from '../../../src-main/core/probe/engine.js';
import { systemResolver, type Resolver } from '../../../src-main/core/probe/network/guarded-connect.js';
import type { ProxyConfig } from '../../../src-main/core/contract/config-schemas.js';
import type { ClosableProbeEngine } from '../../../src-main/core/probe/types.js';
import { createTestCertificates, type TestCertificates } from '../../fakes/certs.js';
import { createHttpServer } from '../../fakes/http-server.js';
import { startHttpProxy, startSocks5Proxy, type TestProxy } from '../../fakes/proxies.js';
import { startFakeProvider, type FakeProvider } from '../../fakes/providers.js';
import { closedPort, key, target, testNetwork } from './helpers.js';

/** Names the tests point at chosen addresses; everything else resolves normally. */
const names: Record<string, string[]> = {
  'metadata.test': ['169.254.169.254'],
  'intranet.test': ['10.20.30.40'],
  'mixed.test': ['127.0.0.1', '169.254.169.254'],
  'loop.test': ['127.0.0.1'],
};
const resolve: Resolver = async (host) =>
  names[host] ? names[host].map((address) => ({ address, family: address.includes(':') ? 6 : 4 })) : systemResolver(host);

let engine: ClosableProbeEngine;
let certs: TestCertificates;
const cleanups: Array<() => Promise<void>> = [];

async function fake(...args: Parameters<typeof startFakeProvider>): Promise<FakeProvider> {
  const started = await startFakeProvider(...args);
  cleanups.push(() => started.close());
  return started;
}
async function proxy(started: Promise<TestProxy>): Promise<TestProxy> {
  const p = await started;
  cleanups.push(() => p.close());
  return p;
}
function proxyConfig(overrides: Partial<ProxyConfig>): ProxyConfig {
  return { type: 'http', url: '', username: '', password: '', ca_cert_pem: '', ...overrides };
}

beforeAll(() => {
  engine = createProbeEngine({ resolve });
  certs = createTestCertificates();
});
afterAll(async () => {
  await engine.close();
  certs.cleanup();
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

describe('TLS', () => {
  it('a server signed by a private CA fails without the CA and works with it', async () => {
    const f = await fake('openai', { tls: certs.localhost });
    const without = await engine.checkKey(target('openai', f.baseUrl), key('test-key'));
    expect(without.result).toMatchObject({ ok: false, error_class: 'tls_failed' });
    expect(without.result.message).toContain('unknown CA');
    const withCa = await engine.checkKey(
      target('openai', f.baseUrl, { network: testNetwork({ ca_cert_pem: certs.caPem }) }),
      key('test-key'),
    );
    expect(withCa.result.ok).toBe(true);
  });

  it('names a self-signed certificate and a hostname mismatch', async () => {
    const self = await fake('openai', { tls: certs.selfSigned });
    const selfResult = await engine.checkKey(target('openai', self.baseUrl), key('test-key'));
    expect(selfResult.result.error_class).toBe('tls_failed');
    expect(selfResult.result.message).toContain('self-signed');

    const wrong = await fake('openai', { tls: certs.wrongHost });
    const wrongResult = await engine.checkKey(
      target('openai', wrong.baseUrl, { network: testNetwork({ ca_cert_pem: certs.caPem }) }),
      key('test-key'),
    );
    expect(wrongResult.result.error_class).toBe('tls_failed');
    expect(wrongResult.result.message).toContain('hostname mismatch');
  });

  it('insecure_skip_verify accepts any certificate; a broken CA PEM is reported', async () => {
    const self = await fake('openai', { tls: certs.selfSigned });
    const insecure = await engine.checkKey(
      target('openai', self.baseUrl, { network: testNetwork({ insecure_skip_verify: true }) }),
      key('test-key'),
    );
    expect(insecure.result.ok).toBe(true);
    const broken = await engine.checkKey(
      target('openai', self.baseUrl, {
        network: testNetwork({ ca_cert_pem: '-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----' }),
      }),
      key('test-key'),
    );
    expect(broken.result).toMatchObject({ ok: false, error_class: 'tls_failed' });
    expect(broken.result.message).toContain('not valid PEM');
  });

  it('speaking https to a plain http server is a TLS failure, not a hang', async () => {
    const f = await fake('openai');
    const { result } = await engine.checkKey(target('openai', `${f.url.replace('http:', 'https:')}/v1`), key('test-key'));
    expect(result.error_class).toBe('tls_failed');
  });
});

describe('proxies', () => {
  it('an HTTP proxy without credentials carries the request', async () => {
    const f = await fake('openai');
    const p = await proxy(startHttpProxy());
    const { result } = await engine.checkKey(target('openai', f.baseUrl, { proxy: proxyConfig({ url: p.url }) }), key('test-key'));
    expect(result.ok).toBe(true);
    expect(p.requests).toEqual([new URL(f.url).host]);
  });

  it('proxy credentials from the config are sent as Proxy-Authorization (http and https targets)', async () => {
    const plain = await fake('openai');
    const secure = await fake('anthropic', { tls: certs.localhost });
    const p = await proxy(startHttpProxy({ username: 'alice', password: 'pr0xy-pass' }));
    const good = proxyConfig({ url: p.url, username: 'alice', password: 'pr0xy-pass' });
    expect((await engine.checkKey(target('openai', plain.baseUrl, { proxy: good }), key('test-key'))).result.ok).toBe(true);
    const viaTunnel = await engine.checkKey(
      target('anthropic', secure.url, { proxy: good, network: testNetwork({ ca_cert_pem: certs.caPem }) }),
      key('test-key'),
    );
    expect(viaTunnel.result.ok).toBe(true);
    expect(p.requests).toHaveLength(2);
    expect(plain.requests[0]?.headers['proxy-authorization']).toBeUndefined();
  });

  it('wrong proxy credentials → proxy_failed "proxy authentication failed", and the password is never shown', async () => {
    const plain = await fake('openai');
    const secure = await fake('openai', { tls: certs.localhost });
    const p = await proxy(startHttpProxy({ username: 'alice', password: 'right-pass' }));
    const bad = proxyConfig({ url: p.url, username: 'alice', password: 'Wr0ngPassw0rd!' });
    for (const f of [plain, secure]) {
      const { result } = await engine.checkKey(
        target('openai', f.baseUrl, { proxy: bad, network: testNetwork({ ca_cert_pem: certs.caPem }) }),
        key('test-key'),
      );
      expect(result).toMatchObject({ ok: false, error_class: 'proxy_failed' });
      expect(result.message).toContain('proxy authentication failed');
      expect(result.message).not.toContain('Wr0ngPassw0rd');
    }
    expect(p.requests).toHaveLength(0);
  });

  it('an https:// proxy is trusted through the proxy CA setting', async () => {
    const f = await fake('openai');
    const p = await proxy(startHttpProxy(undefined, certs.localhost));
    const trusted = await engine.checkKey(
      target('openai', f.baseUrl, { proxy: proxyConfig({ url: p.url, ca_cert_pem: certs.caPem }) }),
      key('test-key'),
    );
    expect(trusted.result.ok).toBe(true);
    expect(p.requests).toHaveLength(1);
    const untrusted = await engine.checkKey(target('openai', f.baseUrl, { proxy: proxyConfig({ url: p.url }) }), key('test-key'));
    expect(untrusted.result.error_class).toBe('tls_failed');
    expect(p.requests).toHaveLength(1);
  });

  it('a proxy that is not running → proxy_failed naming the proxy', async () => {
    const f = await fake('openai');
    const port = await closedPort();
    const { result } = await engine.checkKey(
      target('openai', f.baseUrl, { proxy: proxyConfig({ url: `http://127.0.0.1:${port}` }) }),
      key('test-key'),
    );
    expect(result.error_class).toBe('proxy_failed');
    expect(result.message).toContain(`127.0.0.1:${port}`);
  });

  it('SOCKS5 with username/password', async () => {
    const f = await fake('gemini');
    const s = await proxy(startSocks5Proxy({ username: 'bob', password: 's0cks' }));
    const good = await engine.checkKey(
      target('gemini', f.url, { proxy: proxyConfig({ type: 'socks5', url: s.url, username: 'bob', password: 's0cks' }) }),
      key('test-key'),
    );
    expect(good.result.ok).toBe(true);
    expect(s.requests).toEqual([new URL(f.url).host]);
    const bad = await engine.checkKey(
      target('gemini', f.url, { proxy: proxyConfig({ type: 'socks5', url: s.url, username: 'bob', password: 'nope' }) }),
      key('test-key'),
    );
    expect(bad.result.error_class).toBe('proxy_failed');
  });

  it('type "environment" uses HTTP_PROXY', async () => {
    const f = await fake('openai');
    const p = await proxy(startHttpProxy());
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    process.env.HTTP_PROXY = p.url;
    delete process.env.NO_PROXY;
    try {
      const { result } = await engine.checkKey(
        target('openai', f.baseUrl, { proxy: proxyConfig({ type: 'environment' }) }),
        key('test-key'),
      );
      expect(result.ok).toBe(true);
      expect(p.requests).toEqual([new URL(f.url).host]);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('private networks', () => {
  it('0.0.0.0 is blocked without a connection, even with allow_private_network', async () => {
    const server = await createHttpServer((_req, res) => res.end('{}'));
    cleanups.push(() => server.close());
    for (const allow of [false, true]) {
      const { result } = await engine.checkKey(
        target('openai', `http://0.0.0.0:${server.port}/v1`, { network: testNetwork({ allow_private_network: allow }) }),
        key('k'),
      );
      expect(result).toMatchObject({ ok: false, error_class: 'blocked_private_network' });
    }
    expect(server.connections()).toBe(0);
  });

  it('169.254.169.254 (cloud metadata) is blocked, by literal and by a name resolving to it', async () => {
    for (const base of ['http://169.254.169.254/v1', 'http://metadata.test/v1']) {
      const started = Date.now();
      const { result } = await engine.checkKey(target('openai', base, { network: testNetwork({ allow_private_network: true }) }), key('k'));
      expect(result).toMatchObject({ ok: false, error_class: 'blocked_private_network' });
      expect(result.message).toContain('link-local');
      expect(Date.now() - started).toBeLessThan(500);
    }
  });

  it('a name resolving to loopback and link-local is blocked at dial time: nothing connects', async () => {
    const server = await createHttpServer((_req, res) => res.end('{}'));
    cleanups.push(() => server.close());
    const { result } = await engine.checkKey(target('openai', `http://mixed.test:${server.port}/v1`), key('k'));
    expect(result.error_class).toBe('blocked_private_network');
    expect(server.connections()).toBe(0);
  });

  it('10.x is blocked before connecting when private networks are not allowed', async () => {
    for (const base of ['http://10.20.30.40:8080/v1', 'http://intranet.test:8080/v1']) {
      const started = Date.now();
      const { result } = await engine.checkKey(target('openai', base), key('k'));
      expect(result).toMatchObject({ ok: false, error_class: 'blocked_private_network' });
      expect(result.message).toContain('allow_private_network');
      expect(Date.now() - started).toBeLessThan(500);
    }
  });

  it('loopback is always allowed, by address or by name', async () => {
    const f = await fake('openai');
    const port = new URL(f.url).port;
    for (const base of [`http://127.0.0.1:${port}/v1`, `http://loop.test:${port}/v1`, `http://localhost:${port}/v1`]) {
      const { result } = await engine.checkKey(target('openai', base), key('test-key'));
      expect(result.ok).toBe(true);
    }
  });

  it('through a proxy the target is still checked, and the proxy never sees the request', async () => {
    const p = await proxy(startHttpProxy());
    const { result } = await engine.checkKey(
      target('openai', 'http://169.254.169.254/v1', { proxy: proxyConfig({ url: p.url }) }),
      key('k'),
    );
    expect(result.error_class).toBe('blocked_private_network');
    const named = await engine.checkKey(target('openai', 'http://intranet.test/v1', { proxy: proxyConfig({ url: p.url }) }), key('k'));
    expect(named.result.error_class).toBe('blocked_private_network');
    expect(p.requests).toHaveLength(0);
  });
});

describe('connection reuse', () => {
  it('probes with the same network config share a keep-alive connection; close() ends the engine', async () => {
    const own = createProbeEngine();
    const f = await fake('openai');
    for (let i = 0; i < 6; i++) expect((await own.checkKey(target('openai', f.baseUrl), key('test-key'))).result.ok).toBe(true);
    expect(f.requests).toHaveLength(6);
    expect(f.connections()).toBeLessThanOrEqual(2); // undici may open a second socket while the first is being released
    await own.close();
    const after = await own.checkKey(target('openai', f.baseUrl), key('test-key'));
    expect(after.result.ok).toBe(false);
    expect(after.result.message).toContain('closed');
  });
});
