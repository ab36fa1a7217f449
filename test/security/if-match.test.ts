import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

/**
 * Every write route of every surface honours If-Match: a stale revision answers 412 in the surface's own error shape
 * and changes nothing (read back through the native API, upstream untouched); the current revision goes through.
 */

const KEY = 'sk-if-match-good-0123456789';
const OTHER_KEY = 'sk-if-match-other-0123456789';

let t: TestServer;
let upstream: FakeProvider;

beforeAll(async () => {
  t = await startTestServer();
  upstream = await startFakeProvider('openai', { keys: [KEY, OTHER_KEY] });
});
afterAll(async () => {
  await t.close();
  await upstream.close();
});

type Response = Awaited<ReturnType<TestServer['request']>>;

interface Seeded {
  id: string;
  name: string;
  keyId: string;
  revision: number;
}

/** An OpenAI-compatible provider on the fake upstream with one key, changed once so that revision 1 is stale. */
async function seed(name: string): Promise<Seeded> {
  const created = await t.request('/api/v1/providers', {
    method: 'POST',
    json: { name, type: 'openai-compat', base_url: upstream.baseUrl, api_keys: [{ name: 'main', value: KEY }] },
  });
  expect(created.status).toBe(201);
  const changed = await t.request(`/api/v1/providers/${name}`, { method: 'PATCH', json: { description: 'seeded' } });
  expect(changed.body.revision).toBe(2);
  return { id: created.body.id, name, keyId: created.body.api_keys[0].id, revision: 2 };
}

/** The provider as the native API shows it (revision, fields, keys, health), or its 404. */
async function stored(name: string): Promise<{ status: number; body: unknown }> {
  const res = await t.request(`/api/v1/providers/${name}`);
  return { status: res.status, body: res.body };
}

const providerCount = async (): Promise<number> => (await t.request('/api/v1/providers')).body.total;

/**
 * Sends the write with a stale If-Match (412 in `shape`, nothing changed, no upstream call), then with the current
 * one (`success`). Returns the successful response.
 */
async function staleThenCurrent(
  seeded: Seeded,
  send: (ifMatch: string) => Promise<Response>,
  shape: unknown,
  success: number,
): Promise<Response> {
  const before = await stored(seeded.name);
  const upstreamCalls = upstream.requests.length;
  const stale = await send(`"${seeded.revision - 1}"`);
  expect(stale.status).toBe(412);
  expect(stale.body).toEqual(shape);
  expect(await stored(seeded.name)).toEqual(before);
  expect(upstream.requests.length).toBe(upstreamCalls);
  const current = await send(`"${seeded.revision}"`);
  expect(current.status, current.text).toBe(success);
  return current;
}

/**
 * A write that would create a provider can never match an If-Match: 412, nothing created, no upstream call.
 * The same request without If-Match creates it (`success`).
 */
async function refusedCreate(send: (ifMatch?: string) => Promise<Response>, shape: unknown, success: number): Promise<void> {
  const count = await providerCount();
  const upstreamCalls = upstream.requests.length;
  const res = await send('"1"');
  expect(res.status).toBe(412);
  expect(res.body).toEqual(shape);
  expect(await providerCount()).toBe(count);
  expect(upstream.requests.length).toBe(upstreamCalls);
  const unconditional = await send();
  expect(unconditional.status, unconditional.text).toBe(success);
  expect(await providerCount()).toBe(count + 1);
}

const NATIVE_412 = { error: { code: 'precondition_failed', message: expect.stringContaining('changed since revision 1') } };
const ZIRI_412 = { error: expect.any(String), code: 'PRECONDITION_FAILED' };
const CODER_412 = { message: expect.any(String), detail: expect.any(String) };
const BIFROST_412 = { is_bifrost_error: false, status_code: 412, error: { message: expect.any(String) }, extra_fields: {} };
const AGENTSTACK_412 = { detail: expect.any(String) };

const headers = (ifMatch?: string): Record<string, string> => (ifMatch === undefined ? {} : { 'if-match': ifMatch });

describe('If-Match on the native API', () => {
  const P = '/api/v1/providers';

  it('PATCH /providers/{id}', async () => {
    const s = await seed('native-patch');
    const res = await staleThenCurrent(
      s,
      (m) => t.request(`${P}/${s.name}`, { method: 'PATCH', json: { display_name: 'Changed' }, headers: headers(m) }),
      NATIVE_412,
      200,
    );
    expect(res.body.display_name).toBe('Changed');
  });

  it('DELETE /providers/{id}, with the ETag a read gave', async () => {
    const s = await seed('native-delete');
    const read = await t.request(`${P}/${s.name}`);
    expect(read.headers.get('etag')).toBe(`"${s.revision}"`);
    await staleThenCurrent(s, (m) => t.request(`${P}/${s.name}`, { method: 'DELETE', headers: headers(m) }), NATIVE_412, 200);
    expect((await stored(s.name)).status).toBe(404);
  });

  it('POST /providers/{id}/keys', async () => {
    const s = await seed('native-key-create');
    await staleThenCurrent(
      s,
      (m) => t.request(`${P}/${s.name}/keys`, { method: 'POST', json: { name: 'second', value: OTHER_KEY }, headers: headers(m) }),
      NATIVE_412,
      201,
    );
    expect((await t.request(`${P}/${s.name}`)).body.api_keys).toHaveLength(2);
  });

  it('PATCH /providers/{id}/keys/{keyId}', async () => {
    const s = await seed('native-key-update');
    const res = await staleThenCurrent(
      s,
      (m) => t.request(`${P}/${s.name}/keys/${s.keyId}`, { method: 'PATCH', json: { value: OTHER_KEY, weight: 3 }, headers: headers(m) }),
      NATIVE_412,
      200,
    );
    expect(res.body.weight).toBe(3);
  });

  it('DELETE /providers/{id}/keys/{keyId}', async () => {
    const s = await seed('native-key-delete');
    await staleThenCurrent(
      s,
      (m) => t.request(`${P}/${s.name}/keys/${s.keyId}`, { method: 'DELETE', headers: headers(m) }),
      NATIVE_412,
      200,
    );
    expect((await t.request(`${P}/${s.name}`)).body.api_keys).toEqual([]);
  });

  it('answers a malformed If-Match with 400 and changes nothing', async () => {
    const s = await seed('native-malformed');
    const before = await stored(s.name);
    for (const [method, path] of [
      ['DELETE', `${P}/${s.name}`],
      ['DELETE', `${P}/${s.name}/keys/${s.keyId}`],
    ] as const) {
      const res = await t.request(path, { method, headers: headers('not-an-etag') });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect(await stored(s.name)).toEqual(before);
  });
});

describe('If-Match on the ZIRI surface', () => {
  it('POST /api/providers updating an existing provider', async () => {
    const s = await seed('ziri-upsert');
    const res = await staleThenCurrent(
      s,
      (m) =>
        t.request('/api/providers', {
          method: 'POST',
          json: { name: s.name, apiKey: OTHER_KEY, metadata: { displayName: 'Changed' } },
          headers: headers(m),
        }),
      ZIRI_412,
      200,
    );
    expect(res.body.provider.displayName).toBe('Changed');
  });

  it('POST /api/providers for a name that does not exist yet', async () => {
    await refusedCreate(
      (m) =>
        t.request('/api/providers', {
          method: 'POST',
          json: { name: 'ziri-new', apiKey: KEY, metadata: { baseUrl: upstream.baseUrl } },
          headers: headers(m),
        }),
      ZIRI_412,
      200,
    );
  });

  it('DELETE /api/providers/:name', async () => {
    const s = await seed('ziri-delete');
    await staleThenCurrent(s, (m) => t.request(`/api/providers/${s.name}`, { method: 'DELETE', headers: headers(m) }), ZIRI_412, 200);
    expect((await stored(s.name)).status).toBe(404);
  });

  it('POST /api/providers/:name/test', async () => {
    const s = await seed('ziri-test');
    const res = await staleThenCurrent(
      s,
      (m) => t.request(`/api/providers/${s.name}/test`, { method: 'POST', headers: headers(m) }),
      ZIRI_412,
      200,
    );
    expect(res.body).toEqual({ success: true, message: 'Provider connection successful' });
  });

  it('answers a malformed If-Match with 400 in ZIRI shape', async () => {
    const s = await seed('ziri-malformed');
    const before = await stored(s.name);
    const res = await t.request(`/api/providers/${s.name}`, { method: 'DELETE', headers: headers('W/"two"') });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringContaining('If-Match'), code: 'INVALID_IF_MATCH' });
    expect(await stored(s.name)).toEqual(before);
  });
});

describe('If-Match on the Coder surface', () => {
  const B = '/api/v2/ai/providers';

  it('POST (create)', async () => {
    await refusedCreate(
      (m) =>
        t.request(B, {
          method: 'POST',
          json: { type: 'openai-compat', name: 'coder-new', enabled: true, base_url: upstream.baseUrl, api_keys: [KEY] },
          headers: headers(m),
        }),
      CODER_412,
      201,
    );
  });

  it('PATCH /:idOrName', async () => {
    const s = await seed('coder-patch');
    const res = await staleThenCurrent(
      s,
      (m) =>
        t.request(`${B}/${s.name}`, {
          method: 'PATCH',
          json: { display_name: 'Changed', api_keys: [{ api_key: OTHER_KEY }] },
          headers: headers(m),
        }),
      CODER_412,
      200,
    );
    expect(res.body.display_name).toBe('Changed');
  });

  it('DELETE /:idOrName', async () => {
    const s = await seed('coder-delete');
    await staleThenCurrent(s, (m) => t.request(`${B}/${s.id}`, { method: 'DELETE', headers: headers(m) }), CODER_412, 204);
    expect((await stored(s.name)).status).toBe(404);
  });

  it('answers a malformed If-Match with 400 in Coder shape', async () => {
    const s = await seed('coder-malformed');
    const before = await stored(s.name);
    const res = await t.request(`${B}/${s.name}`, { method: 'PATCH', json: { display_name: 'X' }, headers: headers('*') });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Invalid If-Match header.', detail: expect.any(String) });
    expect(await stored(s.name)).toEqual(before);
  });
});

describe('If-Match on the Bifrost surface', () => {
  const P = '/bifrost/api/providers';

  it('POST /providers (create)', async () => {
    await refusedCreate(
      (m) =>
        t.request(P, {
          method: 'POST',
          json: {
            provider: 'bifrost-new',
            custom_provider_config: { base_provider_type: 'openai' },
            network_config: { base_url: upstream.baseUrl },
          },
          headers: headers(m),
        }),
      BIFROST_412,
      200,
    );
  });

  it('PUT /providers/:provider updating an existing provider', async () => {
    const s = await seed('bifrost-put');
    const res = await staleThenCurrent(
      s,
      (m) =>
        t.request(`${P}/${s.name}`, {
          method: 'PUT',
          json: { network_config: { base_url: upstream.baseUrl }, concurrency_and_buffer_size: { concurrency: 2, buffer_size: 20 } },
          headers: headers(m),
        }),
      BIFROST_412,
      200,
    );
    expect(res.body.concurrency_and_buffer_size).toEqual({ concurrency: 2, buffer_size: 20 });
  });

  it('PUT /providers/:provider for a name that does not exist yet', async () => {
    await refusedCreate(
      (m) =>
        t.request(`${P}/bifrost-put-new`, {
          method: 'PUT',
          json: {
            custom_provider_config: { base_provider_type: 'openai' },
            network_config: { base_url: upstream.baseUrl },
            concurrency_and_buffer_size: { concurrency: 2, buffer_size: 20 },
          },
          headers: headers(m),
        }),
      BIFROST_412,
      200,
    );
  });

  it('DELETE /providers/:provider', async () => {
    const s = await seed('bifrost-delete');
    await staleThenCurrent(s, (m) => t.request(`${P}/${s.name}`, { method: 'DELETE', headers: headers(m) }), BIFROST_412, 200);
    expect((await stored(s.name)).status).toBe(404);
  });

  it('POST /providers/:provider/keys', async () => {
    const s = await seed('bifrost-key-create');
    await staleThenCurrent(
      s,
      (m) => t.request(`${P}/${s.name}/keys`, { method: 'POST', json: { name: 'second', value: OTHER_KEY }, headers: headers(m) }),
      BIFROST_412,
      200,
    );
    expect((await t.request(`/api/v1/providers/${s.name}`)).body.api_keys).toHaveLength(2);
  });

  it('PUT /providers/:provider/keys/:key_id', async () => {
    const s = await seed('bifrost-key-update');
    const res = await staleThenCurrent(
      s,
      (m) => t.request(`${P}/${s.name}/keys/${s.keyId}`, { method: 'PUT', json: { value: OTHER_KEY, weight: 3 }, headers: headers(m) }),
      BIFROST_412,
      200,
    );
    expect(res.body.weight).toBe(3);
  });

  it('DELETE /providers/:provider/keys/:key_id', async () => {
    const s = await seed('bifrost-key-delete');
    await staleThenCurrent(
      s,
      (m) => t.request(`${P}/${s.name}/keys/${s.keyId}`, { method: 'DELETE', headers: headers(m) }),
      BIFROST_412,
      200,
    );
    expect((await t.request(`/api/v1/providers/${s.name}`)).body.api_keys).toEqual([]);
  });

  it('POST /providers/:provider/refresh-models', async () => {
    const s = await seed('bifrost-refresh');
    const res = await staleThenCurrent(
      s,
      (m) => t.request(`${P}/${s.name}/refresh-models`, { method: 'POST', json: {}, headers: headers(m) }),
      BIFROST_412,
      200,
    );
    // Bifrost's refresh answers the keys, each with its discovery status; the models are on /api/models.
    expect(res.body.keys[0].status).toBe('success');
    const models = await t.request(`/bifrost/api/models?provider=${s.name}&limit=50`);
    expect(models.body.models.map((m: { name: string }) => m.name)).toEqual(expect.arrayContaining(['gpt-4o']));
  });

  it('answers a malformed If-Match with 400 in Bifrost shape', async () => {
    const s = await seed('bifrost-malformed');
    const before = await stored(s.name);
    const res = await t.request(`${P}/${s.name}/keys/${s.keyId}`, { method: 'DELETE', headers: headers('"1", "2"') });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      is_bifrost_error: false,
      status_code: 400,
      error: { message: expect.stringContaining('If-Match') },
      extra_fields: {},
    });
    expect(await stored(s.name)).toEqual(before);
  });
});

describe('If-Match on the Agent Stack surface', () => {
  const MP = '/api/v1/model_providers';

  it('POST (create)', async () => {
    // Another spelling of the upstream's address: the seeded providers already use upstream.baseUrl.
    const baseUrl = `http://localhost:${new URL(upstream.url).port}/v1`;
    await refusedCreate(
      (m) => t.request(MP, { method: 'POST', json: { type: 'openai', base_url: baseUrl, api_key: KEY }, headers: headers(m) }),
      AGENTSTACK_412,
      201,
    );
  });

  it('DELETE /:id', async () => {
    const s = await seed('agentstack-delete');
    await staleThenCurrent(s, (m) => t.request(`${MP}/${s.id}`, { method: 'DELETE', headers: headers(m) }), AGENTSTACK_412, 204);
    expect((await stored(s.name)).status).toBe(404);
  });

  it('answers a malformed If-Match with 400 in Agent Stack shape', async () => {
    const s = await seed('agentstack-malformed');
    const before = await stored(s.name);
    const res = await t.request(`${MP}/${s.id}`, { method: 'DELETE', headers: headers('') });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: expect.stringContaining('If-Match') });
    expect(await stored(s.name)).toEqual(before);
  });
});
