/**
 * A config.json import must never move a stored key to another host silently: a file that keeps a key (`<REDACTED>`,
 * left out, or `env.VAR`) and changes the base URL's host, the proxy, a CA or TLS verification is refused with 409
 * `destination_change_unconfirmed` until the caller confirms, and the dry run lists each such change on its own.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/desk.js';
import { createTestCertificates, type TestCertificates } from '../fakes/certs.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const VICTIM_KEY = 'sk-victim-stored-key-0123456789abcdef';
const BYSTANDER_KEY = 'gsk_bystander_key_0123456789abcdef';
const OLD_BASE = 'https://api.victim-llm.example/v1';
const PROXY_PASSWORD = 'proxy-secret-hunter2-pass';

let certs: TestCertificates;
beforeAll(() => {
  certs = createTestCertificates();
});
afterAll(() => certs.cleanup());

/** Two providers with literal keys; `victim` is the one whose destination the tests change. */
function seedDocument(victimBase = OLD_BASE): Record<string, any> {
  return {
    providers: {
      victim: {
        provider_desk: { type: 'openai' },
        keys: [{ name: 'main', value: VICTIM_KEY, models: [], weight: 1 }],
        network_config: { base_url: victimBase, max_retries: 1 },
      },
      groq: { keys: [{ name: 'main', value: BYSTANDER_KEY, models: [], weight: 1 }], network_config: { max_retries: 1 } },
    },
  };
}

type Mutation = (victim: Record<string, any>) => void;

/** One case per kind of destination: what the file changes, and the destination items the dry run must list. */
const DESTINATION_CASES: Array<{ kind: string; mutate: Mutation; expected: Array<{ field: string; from: unknown; to: unknown }> }> = [
  {
    kind: 'base URL host',
    mutate: (v) => (v.network_config.base_url = 'https://attacker.example:8443/v1'),
    expected: [{ field: 'network_config.base_url', from: OLD_BASE, to: 'https://attacker.example:8443/v1' }],
  },
  {
    kind: 'proxy',
    mutate: (v) => (v.proxy_config = { type: 'http', url: `http://collector:${PROXY_PASSWORD}@proxy.attacker.example:3128` }),
    expected: [
      { field: 'proxy_config.type', from: 'none', to: 'http' },
      { field: 'proxy_config.url', from: '(none)', to: 'http://proxy.attacker.example:3128' },
    ],
  },
  {
    kind: 'CA',
    mutate: (v) => (v.network_config.ca_cert_pem = certs.caPem),
    expected: [
      { field: 'network_config.ca_cert_pem', from: '(none: the system CAs)', to: expect.stringMatching(/^SHA-256 [0-9A-F:]{23}…$/) },
    ],
  },
  {
    kind: 'TLS verification',
    mutate: (v) => (v.network_config.insecure_skip_verify = true),
    expected: [{ field: 'network_config.insecure_skip_verify', from: expect.stringMatching(/^false/), to: expect.stringMatching(/^true/) }],
  },
];

describe('config import over HTTP: destination changes of kept keys', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
    const seeded = await t.request('/api/v1/config/import', { method: 'POST', json: seedDocument() });
    expect(seeded.status, seeded.text).toBe(200);
  });
  afterEach(async () => t.close());

  const redactedExport = async (): Promise<Record<string, any>> => (await t.request('/api/v1/config/export')).body;
  const plainExport = async (): Promise<unknown> => (await t.request('/api/v1/config/export?secrets=plain')).body;
  const importDoc = (doc: object, query = '') => t.request(`/api/v1/config/import${query}`, { method: 'POST', json: doc });

  for (const { kind, mutate, expected } of DESTINATION_CASES) {
    it(`${kind}: the dry run lists it, an unconfirmed apply is refused with 409 and changes nothing, a confirmed one applies`, async () => {
      const doc = await redactedExport();
      expect(doc.providers.victim.keys[0].value).toBe('<REDACTED>');
      mutate(doc.providers.victim);
      // Another change in the same file: a refused import must not apply it either.
      doc.providers.groq.network_config.max_retries = 4;

      const dry = await importDoc(doc, '?dry_run=true');
      expect(dry.status, dry.text).toBe(200);
      expect(dry.body.destinations).toEqual(expected.map((e) => ({ provider: 'victim', ...e })));
      for (const { field } of expected) expect(dry.body.changes.victim).toContain(field);
      expect(dry.body.changes.groq).toEqual(['network_config.max_retries']);
      expect(dry.text).not.toContain(PROXY_PASSWORD);
      expect(dry.text).not.toContain('BEGIN CERTIFICATE');

      const before = await plainExport();
      const refused = await importDoc(doc);
      expect(refused.status, refused.text).toBe(409);
      expect(refused.body.error.code).toBe('destination_change_unconfirmed');
      expect(refused.body.error.message).toContain('victim');
      for (const { field } of expected) {
        expect(refused.body.error.message).toContain(field);
        expect(refused.body.error.fields.map((f: { path: string }) => f.path)).toContain(`providers.victim.${field}`);
      }
      expect(refused.text).not.toContain(PROXY_PASSWORD);
      expect(refused.text).not.toContain(VICTIM_KEY);
      expect(await plainExport()).toEqual(before);
      expect((await t.request('/api/v1/providers/groq')).body.network_config.max_retries).toBe(1);

      const confirmed = await importDoc({ ...doc, confirm_destinations: true });
      expect(confirmed.status, confirmed.text).toBe(200);
      expect(confirmed.body.applied).toBe(true);
      expect([...confirmed.body.changed].sort()).toEqual(['groq', 'victim']);
      expect(confirmed.body.destinations).toEqual(dry.body.destinations);
      expect(confirmed.body.changes).toEqual(dry.body.changes);
      expect((await t.request('/api/v1/providers/groq')).body.network_config.max_retries).toBe(4);
      expect(t.desk.providers.revealKey('victim', 'main').value).toBe(VICTIM_KEY);
    });
  }

  it('takes the confirmation from the query string too, and applies the new base URL', async () => {
    const doc = await redactedExport();
    doc.providers.victim.network_config.base_url = 'https://attacker.example/v1';
    const applied = await importDoc(doc, '?confirm_destinations=true');
    expect(applied.status, applied.text).toBe(200);
    expect((await t.request('/api/v1/providers/victim')).body.base_url).toBe('https://attacker.example/v1');
  });

  it('a change of the base URL path alone is not a new destination', async () => {
    const doc = await redactedExport();
    doc.providers.victim.network_config.base_url = 'https://API.victim-llm.example:443/v2';
    const dry = await importDoc(doc, '?dry_run=true');
    expect(dry.body).toMatchObject({ destinations: [], changes: { victim: ['network_config.base_url'] } });
    const applied = await importDoc(doc);
    expect(applied.status, applied.text).toBe(200);
    expect((await t.request('/api/v1/providers/victim')).body.base_url).toMatch(/^https:\/\/api\.victim-llm\.example(:443)?\/v2$/i);
  });

  it('needs no confirmation when the file gives every key of the provider literally', async () => {
    const doc = await redactedExport();
    doc.providers.victim.network_config.base_url = 'https://elsewhere.example/v1';
    doc.providers.victim.network_config.insecure_skip_verify = true;
    doc.providers.victim.keys = [{ name: 'main', value: 'sk-a-new-key-the-file-author-owns-0000', models: [], weight: 1 }];
    const dry = await importDoc(doc, '?dry_run=true');
    expect(dry.body.destinations).toEqual([]);
    expect(dry.body.changes.victim).toEqual(
      expect.arrayContaining(['network_config.base_url', 'network_config.insecure_skip_verify', 'keys.main.value']),
    );
    expect((await importDoc(doc)).status).toBe(200);
  });

  it('counts a stored key the file leaves out, and an env.VAR reference, as kept', async () => {
    const leftOut = await redactedExport();
    leftOut.providers.victim.keys = [];
    leftOut.providers.victim.network_config.base_url = 'https://attacker.example/v1';
    expect((await importDoc(leftOut, '?dry_run=true')).body.destinations).toHaveLength(1);
    expect((await importDoc(leftOut)).status).toBe(409);

    const fromEnv = await redactedExport();
    fromEnv.providers.victim.keys = [{ name: 'main', value: 'env.HOME', models: [], weight: 1 }];
    fromEnv.providers.victim.network_config.base_url = 'https://attacker.example/v1';
    expect((await importDoc(fromEnv)).status).toBe(409);
    expect((await t.request('/api/v1/providers/victim')).body.base_url).toBe(OLD_BASE);
  });

  it('lists the error code in the OpenAPI document', async () => {
    const spec = (await t.request('/api/v1/openapi.json')).body;
    expect(spec.paths['/api/v1/config/import'].post.responses['409']).toBeDefined();
    expect(JSON.stringify(spec)).toContain('destination_change_unconfirmed');
  });
});

describe('config import end to end: a refused import leaves the key going to the old host', () => {
  let t: TestServer;
  let oldHost: FakeProvider;
  let newHost: FakeProvider;
  beforeAll(async () => {
    [oldHost, newHost] = await Promise.all([
      startFakeProvider('openai', { keys: [VICTIM_KEY] }),
      startFakeProvider('openai', { keys: [VICTIM_KEY] }),
    ]);
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([oldHost.close(), newHost.close()]);
  });

  it('tests against the old upstream after the refusal, and reaches the new one only once confirmed', async () => {
    expect((await t.request('/api/v1/config/import', { method: 'POST', json: seedDocument(oldHost.baseUrl) })).status).toBe(200);
    const doc = (await t.request('/api/v1/config/export')).body;
    doc.providers.victim.network_config.base_url = newHost.baseUrl;

    const refused = await t.request('/api/v1/config/import', { method: 'POST', json: doc });
    expect(refused.status).toBe(409);
    const tested = await t.request('/api/v1/providers/victim/test', { method: 'POST', json: {} });
    expect(tested.status, tested.text).toBe(200);
    expect(tested.body.ok).toBe(true);
    expect(oldHost.requests.some((r) => r.headers.authorization === `Bearer ${VICTIM_KEY}`)).toBe(true);
    expect(newHost.requests).toEqual([]);
    expect(newHost.connections()).toBe(0);

    const confirmed = await t.request('/api/v1/config/import', { method: 'POST', json: { ...doc, confirm_destinations: true } });
    expect(confirmed.status).toBe(200);
    expect((await t.request('/api/v1/providers/victim/test', { method: 'POST', json: {} })).body.ok).toBe(true);
    expect(newHost.requests.some((r) => r.headers.authorization === `Bearer ${VICTIM_KEY}`)).toBe(true);
  });
});

describe('provider-desk import: destination changes', () => {
  const dir = tempDir('pd-sec-import-');
  const data = join(dir.path, 'data');
  const file = (name: string) => join(dir.path, name);
  afterAll(() => dir.remove());

  const exportedDoc = async (): Promise<Record<string, any>> => {
    const run = await runCli(['export', '--data-dir', data]);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout);
  };

  it('lists base URL, proxy, CA and TLS changes, refuses without --confirm-destinations, applies with it', async () => {
    writeFileSync(file('seed.json'), JSON.stringify(seedDocument()));
    expect((await runCli(['import', file('seed.json'), '--data-dir', data])).code).toBe(0);
    const doc = await exportedDoc();
    for (const { mutate } of DESTINATION_CASES) mutate(doc.providers.victim);
    writeFileSync(file('moved.json'), JSON.stringify(doc));

    const dry = await runCli(['import', file('moved.json'), '--dry-run', '--data-dir', data]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^victim\s+changed$/m);
    expect(dry.stdout).toContain('applying needs --confirm-destinations');
    for (const field of [
      'network_config.base_url',
      'proxy_config.type',
      'proxy_config.url',
      'network_config.ca_cert_pem',
      'network_config.insecure_skip_verify',
    ]) {
      expect(dry.stdout).toMatch(new RegExp(`^victim\\s+${field.replace(/\./g, '\\.')}\\s`, 'm'));
    }
    expect(dry.stdout).toMatch(/^ {2}victim: .*network_config\.base_url/m);
    expect(dry.stdout).toContain('https://attacker.example:8443/v1');
    expect(dry.stdout).not.toContain(PROXY_PASSWORD);

    const json = await runCli(['import', file('moved.json'), '--dry-run', '--json', '--data-dir', data]);
    expect(JSON.parse(json.stdout).destinations).toHaveLength(5);

    const refused = await runCli(['import', file('moved.json'), '--data-dir', data]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--confirm-destinations');
    expect(refused.stderr).toContain('providers.victim.network_config.base_url');
    expect(refused.stderr).toContain('providers.victim.proxy_config.url');
    expect(refused.stderr).not.toContain(PROXY_PASSWORD);
    const after = await exportedDoc();
    expect(after.providers.victim.network_config.base_url).toBe(OLD_BASE);
    expect(after.providers.victim.network_config.insecure_skip_verify).toBe(false);
    expect(after.providers.victim.proxy_config).toBeUndefined();

    const applied = await runCli(['import', file('moved.json'), '--confirm-destinations', '--data-dir', data]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Applied.');
    expect((await exportedDoc()).providers.victim.network_config.base_url).toBe('https://attacker.example:8443/v1');
  });

  it('imports a change of the base URL path without confirmation', async () => {
    const doc = await exportedDoc();
    doc.providers.victim.network_config.base_url = 'https://attacker.example:8443/v2';
    writeFileSync(file('path.json'), JSON.stringify(doc));
    const run = await runCli(['import', file('path.json'), '--data-dir', data]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('--confirm-destinations');
  });
});

describe('config import: settings that name where a kept key goes', () => {
  const AZURE_KEY = 'azure-victim-key-0123456789abcdef0123';
  const WATSONX_KEY = 'watsonx-victim-apikey-0123456789abcdef';
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
    const seeded = await t.request('/api/v1/config/import', {
      method: 'POST',
      json: {
        providers: {
          azure: {
            keys: [
              {
                name: 'east',
                value: AZURE_KEY,
                models: [],
                weight: 1,
                azure_key_config: { endpoint: 'https://victim.openai.azure.com', api_version: '2024-10-21' },
              },
            ],
            network_config: { base_url: 'https://victim.openai.azure.com' },
          },
          wx: {
            provider_desk: { type: 'watsonx', settings: { iam_url: 'https://iam.cloud.ibm.com', project_id: 'p1' } },
            keys: [{ name: 'main', value: WATSONX_KEY, models: [], weight: 1 }],
            network_config: { base_url: 'https://us-south.ml.cloud.ibm.com' },
          },
        },
      },
    });
    expect(seeded.status, seeded.text).toBe(200);
  });
  afterEach(async () => t.close());

  const importDoc = (doc: object, query = '') => t.request(`/api/v1/config/import${query}`, { method: 'POST', json: doc });

  it("lists a kept key's new Azure endpoint and a provider's new IAM URL, refuses them unconfirmed, applies them confirmed", async () => {
    const doc = (await t.request('/api/v1/config/export')).body;
    expect(doc.providers.azure.keys[0].value).toBe('<REDACTED>');
    doc.providers.azure.keys[0].azure_key_config.endpoint = 'https://collector.attacker.example';
    doc.providers.wx.provider_desk.settings.iam_url = 'https://iam.attacker.example/identity/token';

    const dry = await importDoc(doc, '?dry_run=true');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body.destinations).toEqual([
      {
        provider: 'azure',
        field: 'keys[0].azure_key_config.endpoint',
        from: 'https://victim.openai.azure.com',
        to: 'https://collector.attacker.example',
      },
      { provider: 'wx', field: 'settings.iam_url', from: 'https://iam.cloud.ibm.com', to: 'https://iam.attacker.example/identity/token' },
    ]);

    const refused = await importDoc(doc);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error.code).toBe('destination_change_unconfirmed');
    expect(refused.body.error.fields.map((f: { path: string }) => f.path)).toEqual([
      'providers.azure.keys[0].azure_key_config.endpoint',
      'providers.wx.settings.iam_url',
    ]);
    expect(refused.text).not.toContain(AZURE_KEY);
    const stillThere = (await t.request('/api/v1/config/export?secrets=plain')).body;
    expect(stillThere.providers.azure.keys[0].azure_key_config.endpoint).toBe('https://victim.openai.azure.com');
    expect(stillThere.providers.wx.provider_desk.settings.iam_url).toBe('https://iam.cloud.ibm.com');

    const confirmed = await importDoc({ ...doc, confirm_destinations: true });
    expect(confirmed.status, confirmed.text).toBe(200);
    const applied = (await t.request('/api/v1/config/export?secrets=plain')).body;
    expect(applied.providers.azure.keys[0].azure_key_config.endpoint).toBe('https://collector.attacker.example');
    expect(applied.providers.azure.keys[0].value).toBe(AZURE_KEY);
  });

  it('needs no confirmation when the file gives the key itself, or only changes the path', async () => {
    const doc = (await t.request('/api/v1/config/export?secrets=plain')).body;
    doc.providers.azure.keys[0].azure_key_config.endpoint = 'https://elsewhere.openai.azure.com';
    doc.providers.wx.provider_desk.settings.iam_url = 'https://iam.cloud.ibm.com/identity/token';
    const answer = await importDoc(doc);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.destinations).toEqual([]);
  });
});
