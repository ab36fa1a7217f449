import { afterEach, describe, expect, it } from 'vitest';
import { parseOrigins } from '../../src-main/core/http/guard.js';
import { startApiServer } from '../../src-main/core/http/server.js';
import { runCli } from '../helpers/cli.js';
import { openTestDesk, startTestServer, tempDir } from '../helpers/desk.js';

const NOT_ORIGINS = [
  'null',
  '*',
  'http://*.example',
  'file://',
  'file:///etc/passwd',
  'http://x/path',
  'http://x/?q=1',
  'http://x#top',
  'http://user:pass@x',
  'ftp://x',
  'chrome-extension://abcdef',
  'localhost:5173',
  'http://x\\evil',
  'http://exa mple.com',
];

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('allowed browser origins', () => {
  it('accepts only scheme://host[:port] with http or https, normalised as a browser sends it', () => {
    expect(parseOrigins(['http://localhost:5173', 'HTTPS://Example.COM:443/', 'http://[::1]:8080', ' http://a.test '], 'test')).toEqual([
      'http://localhost:5173',
      'https://example.com',
      'http://[::1]:8080',
      'http://a.test',
    ]);
    for (const value of NOT_ORIGINS)
      expect(() => parseOrigins([value], '--origin'), value).toThrow(/^--origin ".*" is not an allowed origin: /);
  });

  it('startApiServer refuses them before it listens', async () => {
    for (const value of ['null', '*', 'http://*.example', 'file://', 'http://x/path']) {
      const desk = openTestDesk();
      cleanups.push(() => desk.close());
      await expect(startApiServer(desk.http, { port: 0, origins: ['http://ok.test', value] }), value).rejects.toThrow(
        `origins "${value}" is not an allowed origin`,
      );
      expect(desk.api?.enabled ?? false).toBe(false);
    }
  });

  it('serve exits non-zero naming --origin or PROVIDER_DESK_ALLOWED_ORIGINS', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    for (const value of ['null', '*', 'http://*.example', 'file://', 'http://x/path']) {
      const run = await runCli(['serve', '--port', '0', '--data-dir', dir.path, '--origin', value]);
      expect(run.code, value).toBe(2);
      expect(run.stderr).toContain(`--origin "${value}" is not an allowed origin`);
      expect(run.stdout).not.toContain('listening');
    }
    const fromEnv = await runCli(['serve', '--port', '0', '--data-dir', dir.path], {
      PROVIDER_DESK_ALLOWED_ORIGINS: 'http://localhost:5173,null',
    });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('PROVIDER_DESK_ALLOWED_ORIGINS "null" is not an allowed origin');
  });

  it('never answers Access-Control-Allow-Origin null or *; an allowed origin is echoed exactly', async () => {
    const ts = await startTestServer({}, { origins: ['http://Localhost:5173/'] });
    cleanups.push(() => ts.close());
    const auth = { authorization: `Bearer ${ts.token}` };
    for (const origin of ['null', '*', 'file://']) {
      const answer = await ts.raw('/api/v1/providers', { ...auth, origin });
      expect(answer.status, origin).toBe(403);
      expect(answer.headers['access-control-allow-origin'], origin).toBeUndefined();
      const preflight = await ts.raw('/api/v1/providers', { origin, 'access-control-request-method': 'GET' }, 'OPTIONS');
      expect(preflight.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
    const allowed = await ts.raw('/api/v1/providers', { ...auth, origin: 'http://localhost:5173' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });
});
