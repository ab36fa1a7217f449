import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { LITERAL_SECRETS, OPENAI_KEY, PROVIDER_NAMES, realWorldConfig } from '../core/config-file/fixtures.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

describe('config import/export over HTTP', () => {
  it('POST /api/v1/config/import?dry_run=true answers the diff and changes nothing', async () => {
    const res = await t.request('/api/v1/config/import?dry_run=true', { method: 'POST', json: realWorldConfig() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ added: PROVIDER_NAMES, changed: [], unchanged: [], removed: [], applied: false });
    expect((await t.request('/api/v1/providers')).body.total).toBe(0);
  });

  it('rejects an invalid document with 400 validation_failed naming every bad path', async () => {
    const doc = realWorldConfig();
    doc.providers.openai.keys[0].models = 'gpt-4o';
    doc.providers.azure.network_config.base_url = 'not a url';
    doc.providers.custom = { keys: [] };
    const res = await t.request('/api/v1/config/import', { method: 'POST', json: doc });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'providers.azure.network_config.base_url',
      'providers.custom.custom_provider_config.base_provider_type',
      'providers.openai.keys[0].models',
    ]);
    expect((await t.request('/api/v1/providers')).body.total).toBe(0);
  });

  it('applies, exports redacted by default and plain only when asked, and re-imports with nothing changed', async () => {
    const applied = await t.request('/api/v1/config/import', { method: 'POST', json: realWorldConfig() });
    expect(applied.body).toMatchObject({ added: PROVIDER_NAMES, applied: true });
    expect((await t.request('/api/v1/providers')).body.total).toBe(PROVIDER_NAMES.length);

    const redacted = await t.request('/api/v1/config/export');
    expect(redacted.status).toBe(200);
    for (const secret of LITERAL_SECRETS) expect(redacted.text).not.toContain(secret);
    expect(redacted.body.providers.openai.keys[1].value).toBe('env.OPENAI_API_KEY');

    const plain = await t.request('/api/v1/config/export?secrets=plain');
    expect(plain.body.providers.openai.keys[0].value).toBe(OPENAI_KEY);
    const bad = await t.request('/api/v1/config/export?secrets=encrypted');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('secrets');

    for (const doc of [redacted.body, plain.body]) {
      const again = await t.request('/api/v1/config/import', { method: 'POST', json: { ...doc, dry_run: false } });
      expect(again.body).toMatchObject({ added: [], changed: [], removed: [], applied: true });
      expect(again.body.unchanged).toHaveLength(PROVIDER_NAMES.length);
    }
  });

  it('POST /api/v1/config/export seals with a passphrase; import opens it only with the same one', async () => {
    const short = await t.request('/api/v1/config/export', { method: 'POST', json: { secrets: 'encrypted', passphrase: 'short' } });
    expect(short.status).toBe(400);
    const sealed = await t.request('/api/v1/config/export', {
      method: 'POST',
      json: { secrets: 'encrypted', passphrase: 'a long enough passphrase' },
    });
    expect(sealed.status).toBe(200);
    expect(sealed.body.format).toBe('provider-desk-encrypted-config');
    for (const secret of LITERAL_SECRETS) expect(sealed.text).not.toContain(secret);

    const wrong = await t.request('/api/v1/config/import', { method: 'POST', json: { ...sealed.body, passphrase: 'not the passphrase' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'passphrase' }] });
    expect(wrong.body.error.message).toMatch(/passphrase does not open/);

    const right = await t.request('/api/v1/config/import?dry_run=1', {
      method: 'POST',
      json: { ...sealed.body, passphrase: 'a long enough passphrase' },
    });
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ added: [], changed: [], applied: false });
  });

  it('accepts an import larger than the default 1 MiB body limit', async () => {
    const providers: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) {
      providers[`bulk-${i}`] = {
        provider_desk: { type: 'groq', description: 'x'.repeat(300) },
        keys: [{ name: 'main', value: `gsk_bulk_${i}_abcdefghijklmnop` }],
      };
    }
    const body = JSON.stringify({ providers, dry_run: true });
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const res = await t.request('/api/v1/config/import', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.body.added).toHaveLength(3000);
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await t.request('/api/v1/openapi.json')).body;
    expect(spec.paths['/api/v1/config/import'].post.operationId).toBe('config.import');
    expect(spec.paths['/api/v1/config/export'].get.operationId).toBe('config.export');
    expect(spec.paths['/api/v1/config/export'].post.operationId).toBe('config.exportEncrypted');
  });
});
