/**
 * Acceptance (issue 12, "Bifrost's config.json"): the config files Bifrost publishes — as fixtures of our own that
 * resemble them — import, and export back valid against Bifrost's config.schema.json with nothing Bifrost would read
 * differently: no base URL we invented (ours end in /v1, Bifrost appends /v1 itself), no allow_private_network it did
 * not set, no vLLM base URL, no proxy block with an empty URL. Bifrost's current standard list (33 names) imports,
 * its limits are its schema's, and newer allowed_requests flags round-trip.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { bifrostStandardType } from '../../src-main/core/catalog/bifrost-standard.js';
import { findCatalogEntry } from '../../src-main/core/catalog/catalog.js';
import { BIFROST_STANDARD_PROVIDER_NAMES, MAX_TIMEOUT_SECONDS } from '../../src-main/core/contract/config-schemas.js';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { PUBLISHED_LIKE, type Doc } from './bifrost-config-fixtures.js';
import { bifrostSchemaErrors, SCHEMA_PROVIDER_NAMES } from './bifrost-config-schema.js';

/** What Bifrost uses when a config.json leaves a network field out (core/schemas: 30 s, 0 retries, 500 ms … 5 s). */
const BIFROST_NETWORK_DEFAULTS: Doc = {
  extra_headers: {},
  default_request_timeout_in_seconds: 30,
  max_retries: 0,
  retry_backoff_initial: 500,
  retry_backoff_max: 5000,
  insecure_skip_verify: false,
  ca_cert_pem: '',
};
const BIFROST_CONCURRENCY_DEFAULT = { concurrency: 1000, buffer_size: 5000 };
const RAW_FLAGS = ['send_back_raw_request', 'send_back_raw_response', 'store_raw_request_response'];

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function fresh(): Promise<TestServer> {
  const s = await startTestServer();
  servers.push(s);
  return s;
}

const importDoc = (t: TestServer, doc: unknown, query = '') => t.request(`/api/v1/config/import${query}`, { method: 'POST', json: doc });
const exportDoc = async (t: TestServer, secrets: 'plain' | 'redacted' = 'plain'): Promise<Doc> => {
  const res = await t.request(`/api/v1/config/export?secrets=${secrets}`);
  expect(res.status, res.text).toBe(200);
  return res.body as Doc;
};
const sorted = (names: string[]) => [...names].sort();
const providerNames = (doc: Doc) => sorted(Object.keys(doc.providers ?? {}));

/** Imports into the store and expects every provider of the file to be added. */
async function imported(t: TestServer, doc: Doc): Promise<void> {
  const res = await importDoc(t, doc);
  expect(res.status, res.text).toBe(200);
  expect(sorted(res.body.added)).toEqual(providerNames(doc));
}

/** Re-imports `doc` and expects nothing to change. */
async function unchangedBy(t: TestServer, doc: Doc, names: string[]): Promise<void> {
  const res = await importDoc(t, doc);
  expect(res.status, res.text).toBe(200);
  expect(res.body).toMatchObject({ added: [], changed: [], removed: [] });
  expect(sorted(res.body.unchanged)).toEqual(sorted(names));
}

/** Every JSON path that holds null (Bifrost omits what is not set; its schema types none of these fields as null). */
function nullPaths(value: unknown, path = ''): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => nullPaths(item, `${path}[${i}]`));
  if (typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nullPaths(v, `${path}.${k}`));
  return [];
}

/**
 * Where Bifrost would read the exported entry otherwise than the file's: a field added that is not Bifrost's own default,
 * a field changed or dropped. Key values are compared as written (a plain export).
 */
function readDifferently(file: Doc, exported: Doc): string[] {
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);
  for (const [name, entry] of Object.entries<Doc>(file.providers ?? {})) {
    const back: Doc | undefined = exported.providers?.[name];
    if (!back) {
      out.push(`${name}: missing`);
      continue;
    }
    const fileNet: Doc = entry.network_config ?? {};
    const backNet: Doc = back.network_config ?? {};
    for (const [field, value] of Object.entries(backNet)) {
      if (field in fileNet) {
        if (!same(value, fileNet[field]))
          out.push(`${name}.network_config.${field}: ${JSON.stringify(fileNet[field])} → ${JSON.stringify(value)}`);
      } else if (!(field in BIFROST_NETWORK_DEFAULTS) || !same(value, BIFROST_NETWORK_DEFAULTS[field])) {
        out.push(`${name}.network_config.${field} added: ${JSON.stringify(value)}`);
      }
    }
    for (const field of Object.keys(fileNet)) if (!(field in backNet)) out.push(`${name}.network_config.${field} dropped`);
    if (
      !same(
        back.concurrency_and_buffer_size ?? BIFROST_CONCURRENCY_DEFAULT,
        entry.concurrency_and_buffer_size ?? BIFROST_CONCURRENCY_DEFAULT,
      )
    )
      out.push(`${name}.concurrency_and_buffer_size: ${JSON.stringify(back.concurrency_and_buffer_size)}`);
    if (!same(back.proxy_config, entry.proxy_config)) out.push(`${name}.proxy_config: ${JSON.stringify(back.proxy_config)}`);
    if (!same(back.custom_provider_config, entry.custom_provider_config))
      out.push(`${name}.custom_provider_config: ${JSON.stringify(back.custom_provider_config)}`);
    for (const flag of RAW_FLAGS) if ((back[flag] ?? false) !== (entry[flag] ?? false)) out.push(`${name}.${flag}: ${back[flag]}`);
    if ('provider_desk' in back) out.push(`${name}.provider_desk added: ${JSON.stringify(back.provider_desk)}`);
    for (const field of Object.keys(back)) {
      const known = ['keys', 'network_config', 'concurrency_and_buffer_size', 'proxy_config', 'custom_provider_config', ...RAW_FLAGS];
      if (!known.includes(field) && !(field in entry)) out.push(`${name}.${field} added`);
    }
    const fileKeys: Doc[] = entry.keys ?? [];
    const backKeys: Doc[] = back.keys ?? [];
    if (fileKeys.length !== backKeys.length) out.push(`${name}.keys: ${fileKeys.length} → ${backKeys.length}`);
    fileKeys.forEach((key, i) => {
      const b = backKeys[i] ?? {};
      const at = `${name}.keys[${i}]`;
      if ((b.value ?? '') !== (key.value ?? '')) out.push(`${at}.value: ${JSON.stringify(b.value)}`);
      if (!same(b.models ?? [], key.models ?? [])) out.push(`${at}.models: ${JSON.stringify(b.models)}`);
      if (b.weight !== key.weight) out.push(`${at}.weight: ${b.weight}`);
      if ((b.use_for_batch_api ?? false) !== (key.use_for_batch_api ?? false)) out.push(`${at}.use_for_batch_api`);
      if (b.enabled === false) out.push(`${at}.enabled: false`);
      for (const field of ['id', 'name', 'blacklisted_models']) if (field in key && !same(b[field], key[field])) out.push(`${at}.${field}`);
      for (const field of new Set([...Object.keys(key), ...Object.keys(b)])) {
        if (field.endsWith('_key_config') && !same(b[field], key[field])) out.push(`${at}.${field}: ${JSON.stringify(b[field])}`);
      }
    });
  }
  for (const [section, value] of Object.entries(file)) {
    if (section !== 'providers' && !same(exported[section], value)) out.push(`${section} changed`);
  }
  for (const section of Object.keys(exported)) if (section !== 'providers' && !(section in file)) out.push(`${section} added`);
  return out;
}

describe("Bifrost's published config files (fixtures resembling them)", () => {
  for (const [name, make] of Object.entries(PUBLISHED_LIKE)) {
    it(`${name}: the fixture is valid against Bifrost's schema`, () => {
      expect(bifrostSchemaErrors(make())).toEqual([]);
    });

    it(`${name}: imports, exports valid against the schema with nothing Bifrost reads differently, and re-imports unchanged`, async () => {
      const t = await fresh();
      const file = make();
      const dry = await importDoc(t, file, '?dry_run=true');
      expect(dry.status, dry.text).toBe(200);
      expect(sorted(dry.body.added)).toEqual(providerNames(file));
      await imported(t, file);

      const plain = await exportDoc(t, 'plain');
      const redacted = await exportDoc(t, 'redacted');
      expect(bifrostSchemaErrors(plain)).toEqual([]);
      expect(bifrostSchemaErrors(redacted)).toEqual([]);
      expect(nullPaths(plain)).toEqual([]);
      expect(readDifferently(file, plain)).toEqual([]);

      for (const doc of [plain, redacted, file]) await unchangedBy(t, doc, providerNames(file));
      expect(await exportDoc(t, 'plain')).toEqual(plain);
    });
  }

  it('a key without a name (withprompushgateway) gets one, so the export passes the schema, and round-trips', async () => {
    const t = await fresh();
    const file = {
      providers: {
        gemini: {
          keys: [{ value: 'env.GEMINI_API_KEY', models: ['*'], weight: 1 }],
          network_config: { default_request_timeout_in_seconds: 300 },
        },
      },
    };
    await imported(t, file);
    const plain = await exportDoc(t);
    expect(plain.providers.gemini.keys[0]).toMatchObject({ name: 'key-1', value: 'env.GEMINI_API_KEY', weight: 1 });
    expect(bifrostSchemaErrors(plain)).toEqual([]);
    await unchangedBy(t, plain, ['gemini']);
    await unchangedBy(t, file, ['gemini']);
  });
});

describe('base URLs: what the user set, never one of our defaults', () => {
  it('leaves network_config.base_url out for providers whose file had none (Bifrost would call /v1/v1/… with ours)', async () => {
    const t = await fresh();
    const names = ['openai', 'groq', 'mistral', 'gemini', 'cerebras', 'xai', 'fireworks', 'openrouter', 'deepseek', 'nebius'];
    const file = {
      providers: Object.fromEntries(names.map((n) => [n, { keys: [{ name: n, value: `env.${n.toUpperCase()}_KEY`, weight: 1 }] }])),
    };
    await imported(t, file);
    // We still check against our own (OpenAI-style, …/v1) defaults.
    expect((await t.request('/api/v1/providers/openai')).body.base_url).toBe('https://api.openai.com/v1');
    const plain = await exportDoc(t);
    for (const n of names) expect(plain.providers[n].network_config, n).not.toHaveProperty('base_url');
    expect(JSON.stringify(plain)).not.toContain('/v1"');
    expect(bifrostSchemaErrors(plain)).toEqual([]);
  });

  it('writes a base URL back byte for byte, a trailing slash and a value equal to our default included', async () => {
    const t = await fresh();
    const file = {
      providers: {
        openai: {
          keys: [{ name: 'k', value: 'env.OPENAI_API_KEY', weight: 1 }],
          network_config: { base_url: 'https://gateway.example.com/openai/' },
        },
        ollama: {
          keys: [{ name: 'local', value: '', weight: 1, ollama_key_config: { url: 'http://localhost:11434' } }],
          network_config: { base_url: 'http://localhost:11434' },
        },
      },
    };
    await imported(t, file);
    const plain = await exportDoc(t);
    expect(plain.providers.openai.network_config.base_url).toBe('https://gateway.example.com/openai/');
    expect(plain.providers.ollama.network_config.base_url).toBe('http://localhost:11434');
    expect(readDifferently(file, plain)).toEqual([]);
    await unchangedBy(t, plain, ['ollama', 'openai']);
  });

  it("writes a default only where Bifrost needs one, in Bifrost's form: a keyless Ollama made here gets http://localhost:11434", async () => {
    const t = await fresh();
    for (const json of [
      { name: 'ollama', type: 'ollama' },
      { name: 'openai', type: 'openai', api_keys: [{ value: 'env.OPENAI_API_KEY' }] },
      { name: 'groq', type: 'groq', api_keys: [{ value: 'env.GROQ_API_KEY' }] },
    ]) {
      const res = await t.request('/api/v1/providers', { method: 'POST', json });
      expect(res.status, res.text).toBe(201);
    }
    const plain = await exportDoc(t);
    expect(plain.providers.ollama.network_config.base_url).toBe('http://localhost:11434');
    expect(plain.providers.ollama).not.toHaveProperty('keys');
    expect(plain.providers.openai.network_config).not.toHaveProperty('base_url');
    expect(plain.providers.groq.network_config).not.toHaveProperty('base_url');
    expect(bifrostSchemaErrors(plain)).toEqual([]);
    await unchangedBy(t, plain, ['groq', 'ollama', 'openai']);
  });

  it('never writes network_config.base_url for vllm (its schema forbids it): a vLLM base URL (loadtest) goes to our own block and comes back', async () => {
    const t = await fresh();
    const file = {
      providers: { vllm: { keys: [{ name: 'load', value: 'sk-123', weight: 1 }], network_config: { base_url: 'http://localhost:8000' } } },
    };
    await imported(t, file);
    expect((await t.request('/api/v1/providers/vllm')).body.base_url).toBe('http://localhost:8000');
    const plain = await exportDoc(t);
    expect(plain.providers.vllm.network_config).not.toHaveProperty('base_url');
    expect(plain.providers.vllm.provider_desk).toEqual({ base_url: 'http://localhost:8000' });
    await unchangedBy(t, plain, ['vllm']);
    const other = await fresh();
    await imported(other, plain);
    expect((await other.request('/api/v1/providers/vllm')).body.base_url).toBe('http://localhost:8000');
  });
});

describe('allow_private_network: Bifrost defaults it to false', () => {
  it('is not written for ollama, sgl and vllm unless the file set it, though our checks of local servers keep it on', async () => {
    const t = await fresh();
    const file = PUBLISHED_LIKE['local servers as Bifrost configures them']!();
    file.providers.sgl.network_config = { allow_private_network: true };
    file.providers.vllm.network_config = { allow_private_network: false };
    await imported(t, file);
    for (const name of ['ollama', 'sgl']) {
      expect((await t.request(`/api/v1/providers/${name}`)).body.network_config.allow_private_network, name).toBe(true);
    }
    expect((await t.request('/api/v1/providers/vllm')).body.network_config.allow_private_network).toBe(false);
    const plain = await exportDoc(t);
    expect(plain.providers.ollama.network_config).not.toHaveProperty('allow_private_network');
    expect(plain.providers.sgl.network_config.allow_private_network).toBe(true);
    expect(plain.providers.vllm.network_config.allow_private_network).toBe(false);
    expect(readDifferently(file, plain)).toEqual([]);
    expect(bifrostSchemaErrors(plain)).toEqual([]);
    await unchangedBy(t, plain, ['ollama', 'sgl', 'vllm']);
  });

  it('is written where a provider made here differs from our default: on for a cloud type, off for a local one', async () => {
    const t = await fresh();
    await t.request('/api/v1/providers', {
      method: 'POST',
      json: {
        name: 'openai',
        type: 'openai',
        network_config: { allow_private_network: true },
        api_keys: [{ value: 'env.OPENAI_API_KEY' }],
      },
    });
    await t.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'vllm', type: 'vllm', network_config: { allow_private_network: false } },
    });
    await t.request('/api/v1/providers', { method: 'POST', json: { name: 'sgl', type: 'sgl' } });
    const plain = await exportDoc(t);
    expect(plain.providers.openai.network_config.allow_private_network).toBe(true);
    expect(plain.providers.vllm.network_config.allow_private_network).toBe(false);
    expect(plain.providers.sgl.network_config).not.toHaveProperty('allow_private_network');
    await unchangedBy(t, plain, ['openai', 'sgl', 'vllm']);
  });
});

describe("limits: Bifrost's schema sets only minimums", () => {
  it('accepts a 7200 s timeout and 12 retries, and exports them unchanged', async () => {
    const t = await fresh();
    const file = {
      providers: {
        openai: {
          keys: [{ name: 'k', value: 'env.OPENAI_API_KEY', weight: 1 }],
          network_config: { default_request_timeout_in_seconds: 7200, max_retries: 12 },
        },
      },
    };
    expect(bifrostSchemaErrors(file)).toEqual([]);
    await imported(t, file);
    expect((await t.request('/api/v1/providers/openai')).body.network_config).toMatchObject({
      default_request_timeout_in_seconds: 7200,
      max_retries: 12,
    });
    const plain = await exportDoc(t);
    expect(plain.providers.openai.network_config).toMatchObject({ default_request_timeout_in_seconds: 7200, max_retries: 12 });
    expect(readDifferently(file, plain)).toEqual([]);
  });

  it('still refuses what the schema refuses, naming the field: a timeout of 0, a negative retry count', async () => {
    const t = await fresh();
    const res = await importDoc(t, {
      providers: {
        openai: {
          keys: [{ name: 'k', value: 'env.OPENAI_API_KEY', weight: 1 }],
          network_config: { default_request_timeout_in_seconds: 0, max_retries: -1 },
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'providers.openai.network_config.default_request_timeout_in_seconds',
      'providers.openai.network_config.max_retries',
    ]);
  });

  it('has one ceiling of its own, the longest timeout a Node timer can hold, and names the field', async () => {
    const t = await fresh();
    const file = (seconds: number) => ({
      providers: {
        openai: {
          keys: [{ name: 'k', value: 'env.OPENAI_API_KEY', weight: 1 }],
          network_config: { default_request_timeout_in_seconds: seconds },
        },
      },
    });
    expect((await importDoc(t, file(MAX_TIMEOUT_SECONDS), '?dry_run=true')).status).toBe(200);
    const res = await importDoc(t, file(MAX_TIMEOUT_SECONDS + 1), '?dry_run=true');
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual([
      'providers.openai.network_config.default_request_timeout_in_seconds',
    ]);
  });
});

describe('proxy_config', () => {
  it('writes {"type": "environment"} without an empty url, which fails the schema (oneOf: env.VAR or a URI)', async () => {
    const t = await fresh();
    const file = {
      providers: { openai: { keys: [{ name: 'k', value: 'env.OPENAI_API_KEY', weight: 1 }], proxy_config: { type: 'environment' } } },
    };
    await imported(t, file);
    const plain = await exportDoc(t);
    expect(plain.providers.openai.proxy_config).toEqual({ type: 'environment' });
    expect(bifrostSchemaErrors(plain)).toEqual([]);
    await unchangedBy(t, plain, ['openai']);

    // The same for a proxy set through the native API, where the store fills url, username and CA with "".
    const made = await fresh();
    await made.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'anthropic', type: 'anthropic', proxy_config: { type: 'environment' }, api_keys: [{ value: 'env.ANTHROPIC_API_KEY' }] },
    });
    const exported = await exportDoc(made);
    expect(exported.providers.anthropic.proxy_config).toEqual({ type: 'environment' });
    expect(bifrostSchemaErrors(exported)).toEqual([]);
  });
});

describe("Bifrost's current standard list (33 names)", () => {
  /** A schema-valid entry for each name (a config block where its key needs one; a base URL for Databricks, which has none). */
  function everyStandardProvider(): Doc {
    const keyed = (name: string, extra: Doc = {}) => ({
      keys: [{ name: `${name}-key`, value: `env.KEY_${name.replace(/\W/g, '_').toUpperCase()}`, weight: 1, ...extra }],
    });
    const aws = { access_key: 'env.AWS_ACCESS_KEY_ID', secret_key: 'env.AWS_SECRET_ACCESS_KEY', region: 'us-east-1' };
    const special: Doc = {
      azure: keyed('azure', { azure_key_config: { endpoint: 'https://fixture.openai.azure.com', api_version: '2024-10-21' } }),
      bedrock: { keys: [{ name: 'bedrock-key', weight: 1, bedrock_key_config: aws }] },
      bedrock_mantle: { keys: [{ name: 'mantle-key', weight: 1, bedrock_mantle_key_config: aws }] },
      vertex: {
        keys: [
          {
            name: 'vertex-key',
            weight: 1,
            vertex_key_config: { project_id: 'p', region: 'us-central1', auth_credentials: 'env.VERTEX_CREDENTIALS' },
          },
        ],
      },
      ollama: { keys: [{ name: 'ollama-key', value: '', weight: 1, ollama_key_config: { url: 'http://127.0.0.1:11434' } }] },
      sgl: { keys: [{ name: 'sgl-key', value: '', weight: 1, sgl_key_config: { url: 'http://127.0.0.1:30000' } }] },
      vllm: { keys: [{ name: 'vllm-key', value: '', weight: 1, vllm_key_config: { url: 'http://127.0.0.1:8000', model_name: 'm' } }] },
      databricks: { ...keyed('databricks'), network_config: { base_url: 'https://dbc-fixture.cloud.databricks.com/serving-endpoints' } },
    };
    return { providers: Object.fromEntries(BIFROST_STANDARD_PROVIDER_NAMES.map((name) => [name, special[name] ?? keyed(name)])) };
  }

  it('lists the 33 names of Bifrost’s StandardProviders, `_` and `-` included', () => {
    expect(BIFROST_STANDARD_PROVIDER_NAMES).toHaveLength(33);
    expect(BIFROST_STANDARD_PROVIDER_NAMES).toEqual(
      expect.arrayContaining([
        'bedrock_mantle',
        'runware',
        'deepseek',
        'opencode-go',
        'opencode-zen',
        'sarvam',
        'wafer',
        'github-copilot',
        'databricks',
        'typesafe',
      ]),
    );
  });

  it('resolves every name to its catalog type, where the Bifrost surface and the config import look it up', () => {
    for (const name of BIFROST_STANDARD_PROVIDER_NAMES) expect(findCatalogEntry(name)?.id, name).toBe(bifrostStandardType(name));
  });

  it('imports a file naming every one, each as its catalog type, and exports it back unchanged', async () => {
    const t = await fresh();
    const file = everyStandardProvider();
    expect(bifrostSchemaErrors(file)).toEqual([]);
    await imported(t, file);
    const shown = async (name: string) => (await t.request(`/api/v1/providers/${name}`)).body as { type: string; base_url: string };
    expect(await shown('bedrock_mantle')).toMatchObject({ type: 'bedrock' });
    expect(await shown('deepseek')).toMatchObject({ type: 'deepseek' });
    expect(await shown('runware')).toMatchObject({ type: 'openai-compat', base_url: 'https://api.runware.ai/v1' });
    expect(await shown('opencode-go')).toMatchObject({ type: 'openai-compat', base_url: 'https://opencode.ai/zen/go/v1' });
    expect(await shown('opencode-zen')).toMatchObject({ type: 'openai-compat', base_url: 'https://opencode.ai/zen/v1' });
    expect(await shown('sarvam')).toMatchObject({ type: 'openai-compat', base_url: 'https://api.sarvam.ai/v1' });
    expect(await shown('databricks')).toMatchObject({ type: 'openai-compat' });

    const plain = await exportDoc(t);
    expect(providerNames(plain)).toEqual(sorted([...BIFROST_STANDARD_PROVIDER_NAMES]));
    expect(readDifferently(file, plain)).toEqual([]);
    expect(bifrostSchemaErrors(plain)).toEqual([]);
    for (const name of SCHEMA_PROVIDER_NAMES.filter((n) => n !== 'deepgram')) expect(plain.providers[name], name).toBeDefined();
    await unchangedBy(t, plain, [...BIFROST_STANDARD_PROVIDER_NAMES]);
  });

  it('refuses Databricks without a base URL, naming the field (Bifrost has no default: the workspace host is per user)', async () => {
    const t = await fresh();
    const res = await importDoc(t, { providers: { databricks: { keys: [{ name: 'k', value: 'env.DATABRICKS_TOKEN', weight: 1 }] } } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain('providers.databricks.network_config.base_url');
  });
});

describe('custom providers: allowed_requests flags round-trip', () => {
  it("keeps Bifrost's newer flags (image_edit, rerank, ocr, video_*, realtime …) and any unknown one, as the file gave them", async () => {
    const t = await fresh();
    const allowed = {
      list_models: true,
      chat_completion: true,
      image_edit: true,
      rerank: false,
      ocr: true,
      ocr_stream: true,
      video_generation: true,
      video_retrieve: true,
      realtime: true,
      websocket_responses: false,
      some_future_flag: true,
    };
    const file = {
      providers: {
        'media-gateway': {
          keys: [{ name: 'k', value: 'env.MEDIA_KEY', weight: 1 }],
          network_config: { base_url: 'https://media.gateway.example/v1' },
          custom_provider_config: { base_provider_type: 'openai', allowed_requests: allowed },
        },
        plain_gateway: {
          keys: [{ name: 'k', value: 'env.PLAIN_KEY', weight: 1 }],
          network_config: { base_url: 'https://plain.gateway.example/v1' },
          custom_provider_config: { base_provider_type: 'anthropic' },
        },
      },
    };
    await imported(t, file);
    expect((await t.request('/api/v1/providers/media-gateway')).body.custom_provider_config.allowed_requests).toMatchObject(allowed);
    const plain = await exportDoc(t);
    expect(plain.providers['media-gateway'].custom_provider_config).toEqual({
      is_key_less: false,
      base_provider_type: 'openai',
      allowed_requests: allowed,
    });
    // Nothing set is left out, never written as null.
    expect(plain.providers.plain_gateway.custom_provider_config).toEqual({ is_key_less: false, base_provider_type: 'anthropic' });
    expect(nullPaths(plain)).toEqual([]);
    await unchangedBy(t, plain, ['media-gateway', 'plain_gateway']);
    await unchangedBy(t, file, ['media-gateway', 'plain_gateway']);
  });
});
