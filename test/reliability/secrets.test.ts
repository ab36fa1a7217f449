/**
 * Secrets never leak: unique canary keys, proxy URL passwords and secret header values go in through every way in
 * (native API, every compatible surface, config import, the CLI), a provider that echoes the key in its error body is
 * probed with one, and then every byte the app wrote or answered is searched: the data dir (SQLite file, -wal, -shm,
 * logs at debug level, token file, keyfile, preferences), every HTTP answer (headers and body), redacted and encrypted
 * exports, CLI output and the server's own output. Only a plain export, asked for explicitly, may hold them, and it must (that proves the search works).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDocument } from '../../src-main/core/config-file/envelope.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { BIN } from '../helpers/cli.js';
import { openTestDesk } from '../helpers/desk.js';
import { filesUnder, makeAccessKeyCanary, makeCanary, scanDir, scanText, type Canary, type Finding } from './helpers/canary.js';
import { childEnv, startServeProcess, type HttpAnswer, type ServeProcess } from './helpers/serve.js';

const LOOPBACK = 'http://127.0.0.1:9/v1';
const PASSPHRASE = 'correct horse battery staple';

const C = {
  nativeCreate: makeCanary('native-create'),
  nativeKeyAdd: makeCanary('native-key-add'),
  nativeKeyPatch: makeCanary('native-key-patch'),
  bedrockAccessKey: makeAccessKeyCanary('bedrock-access-key'),
  bedrockSecret: makeCanary('bedrock-secret'),
  proxyCreate: makeCanary('proxy-create'),
  proxyPatch: makeCanary('proxy-patch'),
  proxyUrlPassword: makeCanary('proxy-url-password'),
  proxyUrlToken: makeCanary('proxy-url-token'),
  secretHeader: makeCanary('secret-header'),
  cookieHeader: makeCanary('cookie-header'),
  ziriCreate: makeCanary('ziri-create'),
  ziriUpdate: makeCanary('ziri-update'),
  coderCreate: makeCanary('coder-create'),
  coderPatch: makeCanary('coder-patch'),
  coderBedrockSecret: makeCanary('coder-bedrock-secret'),
  coderBedrockPatch: makeCanary('coder-bedrock-patch'),
  bifrostProxy: makeCanary('bifrost-proxy'),
  bifrostProxyPut: makeCanary('bifrost-proxy-put'),
  bifrostHeader: makeCanary('bifrost-header'),
  bifrostProxyUrl: makeCanary('bifrost-proxy-url'),
  bifrostKeyCreate: makeCanary('bifrost-key-create'),
  bifrostKeyUpdate: makeCanary('bifrost-key-update'),
  bifrostTypedSecret: makeCanary('bifrost-typed-secret'),
  agentStack: makeCanary('agentstack'),
  importKey: makeCanary('import-key'),
  importProxy: makeCanary('import-proxy'),
  importSetting: makeCanary('import-setting'),
  importHeader: makeCanary('import-header'),
  importProxyUrl: makeCanary('import-proxy-url'),
  cliCreate: makeCanary('cli-create'),
  cliHeader: makeCanary('cli-header'),
  cliImport: makeCanary('cli-import'),
  echo: makeCanary('echo'),
};
/** Sent only in requests that must be refused: they must never be stored, echoed or logged. */
const R = {
  nativeBadName: makeCanary('rejected-native-bad-name'),
  nativeWhitespace: makeCanary('rejected-native-whitespace'),
  nativeConflict: makeCanary('rejected-native-conflict'),
  nativeBadSetting: makeCanary('rejected-native-bad-setting'),
  nativeBadNetwork: makeCanary('rejected-native-bad-network'),
  ziriBadName: makeCanary('rejected-ziri-bad-name'),
  ziriWhitespace: makeCanary('rejected-ziri-whitespace'),
  coderBadType: makeCanary('rejected-coder-bad-type'),
  coderMixed: makeCanary('rejected-coder-mixed'),
  bifrostBadModels: makeCanary('rejected-bifrost-bad-models'),
  bifrostBadProxy: makeCanary('rejected-bifrost-bad-proxy'),
  agentStackWhitespace: makeCanary('rejected-agentstack-whitespace'),
  agentStackProbe: makeCanary('rejected-agentstack-probe'),
  importInvalid: makeCanary('rejected-import-invalid'),
  cliInvalid: makeCanary('rejected-cli-invalid'),
};
const ALL: Canary[] = [...Object.values(C), ...Object.values(R)];
/** Replaced by a later write: from then on they must be nowhere, not even in a plain export. */
const REPLACED = new Set<Canary>([
  C.nativeKeyAdd,
  C.proxyCreate,
  C.ziriCreate,
  C.coderCreate,
  C.coderBedrockSecret,
  C.bifrostProxy,
  C.bifrostKeyCreate,
]);
const live = () => Object.values(C).filter((c) => !REPLACED.has(c));

const dataDir = mkdtempSync(join(tmpdir(), 'pd-secrets-'));
const scratch = mkdtempSync(join(tmpdir(), 'pd-secrets-files-'));
let serve: ServeProcess;
let fakeOk: FakeProvider;
let fakeEcho: FakeProvider;
/** Every answer received, with its headers, and every CLI run's output: all searched at the end. */
const transcript: Array<{ where: string; text: string }> = [];
const answers = new Map<string, HttpAnswer>();

async function call(
  label: string,
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const res = await serve.request(path, init);
  const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  transcript.push({ where: `HTTP ${init.method ?? 'GET'} ${path} (${label})`, text: `${res.status}\n${headers}\n\n${res.text}` });
  answers.set(label, res);
  return res;
}

function cli(label: string, args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, '--data-dir', dataDir], {
      env: childEnv({ PROVIDER_DESK_LOG_LEVEL: 'debug' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      transcript.push({ where: `CLI ${label} stdout`, text: stdout }, { where: `CLI ${label} stderr`, text: stderr });
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

function expectStatus(res: HttpAnswer, status: number, what: string): void {
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBe(status);
}

function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `canary "${f.canary}" found in ${f.where}`).join('\n');
}

beforeAll(async () => {
  fakeOk = await startFakeProvider('openai', { keys: [C.agentStack.value] });
  fakeEcho = await startFakeProvider('openai', { keys: ['sk-the-only-valid-key-000000'], echoKey: true });
  serve = await startServeProcess(dataDir, { env: { PROVIDER_DESK_LOG_LEVEL: 'debug' } });
}, 60_000);

afterAll(async () => {
  await serve?.stop('SIGKILL');
  await fakeOk?.close();
  await fakeEcho?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('secrets never leak', () => {
  it('finds a canary whole, cut to 12 characters of its core, or encoded, and not in a mask', () => {
    const canary = makeCanary('self-test');
    const hits = (text: string) => scanText(text, [canary], 'self-test').length;
    expect(hits(`x${canary.value}x`)).toBe(1);
    expect(hits(`…${canary.core.slice(7, 19)}…`)).toBe(1);
    expect(hits(Buffer.from(`a${canary.value}`).toString('base64'))).toBe(1);
    expect(hits(Buffer.from(canary.value).toString('hex'))).toBe(1);
    // As a proxy URL password, and inside the Basic credential a proxy or header would carry.
    expect(hits(`http://user:${canary.value}@127.0.0.1:9`)).toBe(1);
    expect(hits(`Basic ${Buffer.from(`proxy-user:${canary.value}`).toString('base64')}`)).toBe(1);
    expect(hits(`${canary.value.slice(0, 4)}${'*'.repeat(24)}${canary.value.slice(-4)}`)).toBe(0);
  });

  it('takes canary keys through the native API, every compatible surface, config import and the CLI', async () => {
    // Native API: a provider with a key, a key added then replaced, settings secrets, a proxy password set then replaced.
    expectStatus(
      await call('native create', '/api/v1/providers', {
        method: 'POST',
        json: { name: 'sec-native', type: 'openai', base_url: LOOPBACK, api_keys: [{ name: 'c1', value: C.nativeCreate.value }] },
      }),
      201,
      'native create',
    );
    expectStatus(
      await call('native key add', '/api/v1/providers/sec-native/keys', {
        method: 'POST',
        json: { name: 'c2', value: C.nativeKeyAdd.value },
      }),
      201,
      'native key add',
    );
    expectStatus(
      await call('native key patch', '/api/v1/providers/sec-native/keys/c2', { method: 'PATCH', json: { value: C.nativeKeyPatch.value } }),
      200,
      'native key patch',
    );
    expectStatus(
      await call('native bedrock settings', '/api/v1/providers', {
        method: 'POST',
        json: {
          name: 'sec-bedrock',
          type: 'bedrock',
          settings: { region: 'us-east-1', access_key: C.bedrockAccessKey.value, access_key_secret: C.bedrockSecret.value },
        },
      }),
      201,
      'native bedrock settings',
    );
    expectStatus(
      await call('native proxy create', '/api/v1/providers', {
        method: 'POST',
        json: {
          name: 'sec-proxy',
          type: 'openai',
          base_url: LOOPBACK,
          proxy_config: { type: 'http', url: 'http://127.0.0.1:9', username: 'proxy-user', password: C.proxyCreate.value },
        },
      }),
      201,
      'native proxy create',
    );
    expectStatus(
      await call('native proxy patch', '/api/v1/providers/sec-proxy', {
        method: 'PATCH',
        json: { proxy_config: { type: 'http', url: 'http://127.0.0.1:9', username: 'proxy-user', password: C.proxyPatch.value } },
      }),
      200,
      'native proxy patch',
    );

    // Network secrets: a proxy URL with a password (then one with a lone token), secret-looking header values.
    expectStatus(
      await call('native network create', '/api/v1/providers', {
        method: 'POST',
        json: {
          name: 'sec-network',
          type: 'openai',
          base_url: LOOPBACK,
          network_config: { extra_headers: { 'Helicone-Auth': `Bearer ${C.secretHeader.value}`, Cookie: `sid=${C.cookieHeader.value}` } },
          proxy_config: { type: 'http', url: `http://proxy-user:${C.proxyUrlPassword.value}@127.0.0.1:9` },
        },
      }),
      201,
      'native network create',
    );
    expectStatus(
      await call('native network token', '/api/v1/providers', {
        method: 'POST',
        json: {
          name: 'sec-network-token',
          type: 'openai',
          base_url: LOOPBACK,
          proxy_config: { url: `http://${C.proxyUrlToken.value}@127.0.0.1:9` },
        },
      }),
      201,
      'native network token',
    );

    // ZIRI: create, then upsert the same name with a new key (which replaces the first).
    expectStatus(
      await call('ziri create', '/api/providers', {
        method: 'POST',
        json: { name: 'sec-ziri', apiKey: C.ziriCreate.value, metadata: { baseUrl: LOOPBACK } },
      }),
      200,
      'ziri create',
    );
    expectStatus(
      await call('ziri update', '/api/providers', { method: 'POST', json: { name: 'sec-ziri', apiKey: C.ziriUpdate.value } }),
      200,
      'ziri update',
    );

    // Coder: create with a key, PATCH the key list to a new key only, and a Bedrock block with its secret.
    const coder = await call('coder create', '/api/v2/ai/providers', {
      method: 'POST',
      json: { type: 'openai', name: 'sec-coder', base_url: LOOPBACK, api_keys: [C.coderCreate.value] },
    });
    expectStatus(coder, 201, 'coder create');
    expectStatus(
      await call('coder patch', '/api/v2/ai/providers/sec-coder', {
        method: 'PATCH',
        json: { api_keys: [{ api_key: C.coderPatch.value }] },
      }),
      200,
      'coder patch',
    );
    expectStatus(
      await call('coder bedrock', '/api/v2/ai/providers', {
        method: 'POST',
        json: {
          type: 'bedrock',
          name: 'sec-coder-bedrock',
          base_url: 'http://127.0.0.1:9',
          settings: {
            _type: 'bedrock',
            _version: 1,
            region: 'us-east-1',
            access_key: 'AKIAFAKEEXAMPLE00001',
            access_key_secret: C.coderBedrockSecret.value,
          },
        },
      }),
      201,
      'coder bedrock',
    );
    expectStatus(
      await call('coder bedrock patch', '/api/v2/ai/providers/sec-coder-bedrock', {
        method: 'PATCH',
        json: {
          settings: {
            _type: 'bedrock',
            _version: 1,
            region: 'us-east-1',
            access_key: 'AKIAFAKEEXAMPLE00001',
            access_key_secret: C.coderBedrockPatch.value,
          },
        },
      }),
      200,
      'coder bedrock patch',
    );

    // Bifrost: a provider with a proxy password, a key created then updated, a typed key config with a secret.
    expectStatus(
      await call('bifrost create', '/bifrost/api/providers', {
        method: 'POST',
        json: {
          provider: 'sec-bifrost',
          network_config: { base_url: LOOPBACK },
          proxy_config: { type: 'http', url: 'http://127.0.0.1:9', username: 'u', password: C.bifrostProxy.value },
          custom_provider_config: { base_provider_type: 'openai' },
        },
      }),
      200,
      'bifrost create',
    );
    expectStatus(
      await call('bifrost update', '/bifrost/api/providers/sec-bifrost', {
        method: 'PUT',
        json: {
          network_config: { base_url: LOOPBACK, extra_headers: { 'x-api-key': C.bifrostHeader.value } },
          concurrency_and_buffer_size: { concurrency: 10, buffer_size: 100 },
          proxy_config: {
            type: 'http',
            url: `http://u:${C.bifrostProxyUrl.value}@127.0.0.1:9`,
            username: 'u',
            password: C.bifrostProxyPut.value,
          },
        },
      }),
      200,
      'bifrost update',
    );
    expectStatus(
      await call('bifrost key create', '/bifrost/api/providers/sec-bifrost/keys', {
        method: 'POST',
        json: { name: 'b1', value: C.bifrostKeyCreate.value, models: [], weight: 1 },
      }),
      200,
      'bifrost key create',
    );
    expectStatus(
      await call('bifrost key update', '/bifrost/api/providers/sec-bifrost/keys/b1', {
        method: 'PUT',
        json: { name: 'b1', value: C.bifrostKeyUpdate.value, models: [], weight: 1 },
      }),
      200,
      'bifrost key update',
    );
    expectStatus(
      await call('bifrost bedrock create', '/bifrost/api/providers', { method: 'POST', json: { provider: 'bedrock' } }),
      200,
      'bifrost bedrock',
    );
    expectStatus(
      await call('bifrost typed key', '/bifrost/api/providers/bedrock/keys', {
        method: 'POST',
        json: {
          name: 'typed',
          value: 'env.AWS_BEARER_TOKEN_BEDROCK',
          models: [],
          weight: 1,
          bedrock_key_config: { access_key: 'AKIAFAKEEXAMPLE00001', secret_key: C.bifrostTypedSecret.value, region: 'us-east-1' },
        },
      }),
      200,
      'bifrost typed key',
    );

    // Agent Stack: create probes the provider first (a fake that accepts this canary key).
    expectStatus(
      await call('agentstack create', '/api/v1/model_providers', {
        method: 'POST',
        json: { type: 'openai', base_url: fakeOk.baseUrl, api_key: C.agentStack.value, name: 'Sec Agent Stack' },
      }),
      201,
      'agentstack create',
    );

    // Config import over HTTP: a literal key, a proxy password and a settings secret.
    expectStatus(
      await call('config import', '/api/v1/config/import', {
        method: 'POST',
        json: {
          providers: {
            'sec-import': {
              provider_desk: { type: 'openai' },
              keys: [{ name: 'i1', value: C.importKey.value, models: [], weight: 1 }],
              network_config: { base_url: LOOPBACK, extra_headers: { Authorization: `Bearer ${C.importHeader.value}` } },
              proxy_config: {
                type: 'http',
                url: `http://u:${C.importProxyUrl.value}@127.0.0.1:9`,
                username: 'u',
                password: C.importProxy.value,
              },
            },
            'sec-import-bedrock': {
              provider_desk: { type: 'bedrock', settings: { region: 'us-east-1', access_key_secret: C.importSetting.value } },
              keys: [],
            },
          },
        },
      }),
      200,
      'config import',
    );

    // The CLI: a contract call and a config import from a file outside the data dir.
    const created = await cli('call providers.create', [
      'call',
      'providers.create',
      JSON.stringify({
        name: 'sec-cli',
        type: 'openai',
        base_url: LOOPBACK,
        api_keys: [{ name: 'k', value: C.cliCreate.value }],
        network_config: { extra_headers: { 'X-Custom-Token': C.cliHeader.value } },
      }),
    ]);
    expect(created.code, created.stderr).toBe(0);
    const file = join(scratch, 'import.json');
    writeFileSync(
      file,
      JSON.stringify({
        providers: {
          'sec-cli-import': { provider_desk: { type: 'openai' }, keys: [{ name: 'k', value: C.cliImport.value, models: [], weight: 1 }] },
        },
      }),
    );
    const imported = await cli('import', ['import', file]);
    expect(imported.code, imported.stderr).toBe(0);

    // The provider that will be probed: its upstream puts the whole presented key in its error messages.
    expectStatus(
      await call('echo create', '/api/v1/providers', {
        method: 'POST',
        json: { name: 'sec-echo', type: 'openai', base_url: fakeEcho.baseUrl, api_keys: [{ name: 'e', value: C.echo.value }] },
      }),
      201,
      'echo create',
    );
  }, 60_000);

  it('refuses invalid writes that carry a canary without storing, echoing or logging it', async () => {
    const refused: Array<[string, string, { method: string; json: unknown }]> = [
      [
        'native bad name',
        '/api/v1/providers',
        { method: 'POST', json: { name: 'Bad Name!', type: 'openai', api_keys: [{ value: R.nativeBadName.value }] } },
      ],
      [
        'native whitespace',
        '/api/v1/providers',
        { method: 'POST', json: { name: 'sec-ws', type: 'openai', api_keys: [{ value: `${R.nativeWhitespace.value} ` }] } },
      ],
      [
        'native conflict',
        '/api/v1/providers',
        { method: 'POST', json: { name: 'sec-native', type: 'openai', api_keys: [{ value: R.nativeConflict.value }] } },
      ],
      [
        'native bad setting',
        '/api/v1/providers/sec-bedrock',
        { method: 'PATCH', json: { settings: { access_key_secret: R.nativeBadSetting.value }, base_url: 'not a url' } },
      ],
      [
        'native bad network',
        '/api/v1/providers',
        {
          method: 'POST',
          json: {
            name: 'sec-bad-network',
            type: 'openai',
            base_url: 'not a url',
            network_config: { extra_headers: { Authorization: `Bearer ${R.nativeBadNetwork.value}` } },
            proxy_config: { url: `http://u:${R.nativeBadNetwork.value}@127.0.0.1:9` },
          },
        },
      ],
      ['ziri bad name', '/api/providers', { method: 'POST', json: { name: 'Bad Name!', apiKey: R.ziriBadName.value } }],
      ['ziri whitespace', '/api/providers', { method: 'POST', json: { name: 'sec-ziri', apiKey: `${R.ziriWhitespace.value} x` } }],
      [
        'coder bad type',
        '/api/v2/ai/providers',
        { method: 'POST', json: { type: 'nope', name: 'sec-c2', base_url: LOOPBACK, api_keys: [R.coderBadType.value] } },
      ],
      [
        'coder mixed',
        '/api/v2/ai/providers',
        { method: 'POST', json: { type: 'openai', name: 'sec-c3', base_url: LOOPBACK, api_keys: [R.coderMixed.value, 7] } },
      ],
      [
        'bifrost bad models',
        '/bifrost/api/providers/sec-bifrost/keys',
        { method: 'POST', json: { name: 'bad', value: R.bifrostBadModels.value, models: ['*', 'a'], weight: 1 } },
      ],
      [
        'bifrost bad proxy',
        '/bifrost/api/providers',
        { method: 'POST', json: { provider: 'sec-bf2', proxy_config: { type: 'nope', url: '', password: R.bifrostBadProxy.value } } },
      ],
      [
        'agentstack whitespace',
        '/api/v1/model_providers',
        { method: 'POST', json: { type: 'openai', base_url: fakeOk.baseUrl, api_key: ` ${R.agentStackWhitespace.value}` } },
      ],
      // The probe before create fails (the fake does not know this key), and the fake's error names the key masked.
      [
        'agentstack probe',
        '/api/v1/model_providers',
        { method: 'POST', json: { type: 'openai', base_url: fakeEcho.baseUrl, api_key: R.agentStackProbe.value } },
      ],
    ];
    refused.push([
      'import invalid',
      '/api/v1/config/import',
      {
        method: 'POST',
        json: {
          providers: {
            'sec-imp-bad': { provider_desk: { type: 'openai' }, keys: [{ name: 'k', value: R.importInvalid.value, weight: 'heavy' }] },
          },
        },
      },
    ]);
    for (const [label, path, init] of refused) {
      const res = await call(`refused ${label}`, path, init);
      expect(res.status, `${label}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${label}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
    }
    const invalid = await cli('call invalid', [
      'call',
      'providers.create',
      JSON.stringify({ name: 'Bad!', type: 'openai', api_keys: [{ value: R.cliInvalid.value }] }),
    ]);
    expect(invalid.code).not.toBe(0);
    const findings = transcript.flatMap((t) => scanText(t.text, ALL, t.where));
    expect(findings, describeFindings(findings)).toEqual([]);
  }, 30_000);

  it('reads everything back through every surface (lists, single items, keys) without a canary', async () => {
    const reads = [
      '/api/v1/providers?limit=1000',
      '/api/v1/providers/sec-native',
      '/api/v1/providers/sec-bedrock',
      '/api/v1/providers/sec-proxy',
      '/api/v1/providers/sec-network',
      '/api/v1/providers/sec-network-token',
      '/api/v1/providers/sec-cli',
      '/api/providers/sec-network',
      '/api/v2/ai/providers/sec-network',
      '/bifrost/api/providers/sec-network',
      '/bifrost/api/providers/sec-import',
      '/api/providers',
      '/api/providers/sec-ziri',
      '/api/v2/ai/providers',
      '/api/v2/ai/providers/sec-coder',
      '/api/v2/ai/providers/sec-coder-bedrock',
      '/bifrost/api/providers',
      '/bifrost/api/providers/sec-bifrost',
      '/bifrost/api/providers/sec-bifrost/keys',
      '/bifrost/api/providers/sec-bifrost/keys/b1',
      '/bifrost/api/providers/bedrock/keys',
      '/api/v1/model_providers',
      '/api/v1/openapi.json',
      '/api/v1/info',
    ];
    for (const path of reads) expect((await call(`read ${path}`, path)).status, path).toBeLessThan(400);
    const findings = transcript.flatMap((t) => scanText(t.text, ALL, t.where));
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('keeps the canary out of check results and messages when the upstream echoes the key', async () => {
    expect((await call('native test', '/api/v1/providers/sec-echo/test', { method: 'POST', json: {} })).status).toBe(200);
    expect((await call('ziri test', '/api/providers/sec-echo/test', { method: 'POST', json: {} })).status).toBe(400);
    expect((await call('models refresh', '/api/v1/providers/sec-echo/models/refresh', { method: 'POST', json: {} })).status).toBe(502);
    expect((await call('bifrost refresh', '/bifrost/api/providers/sec-echo/refresh-models', { method: 'POST', json: {} })).status).toBe(
      200,
    );
    expect((await call('test-all', '/api/v1/test-all', { method: 'POST', json: { only: ['sec-echo'] } })).status).toBe(200);
    expect((await call('checks', '/api/v1/providers/sec-echo/checks')).status).toBe(200);
    expect((await call('echo get', '/api/v1/providers/sec-echo')).status).toBe(200);
    expect((await cli('test', ['test', 'sec-echo'])).code).toBe(1);
    expect((await cli('models', ['models', 'sec-echo', '--refresh'])).code).toBe(1);

    // The upstream did get the canary, and did answer with it whole: there was something to keep out.
    expect(fakeEcho.requests.some((r) => String(r.headers.authorization ?? '').includes(C.echo.value))).toBe(true);
    const checks = answers.get('checks')!.body as { checks: Array<{ ok: boolean; message: string }> };
    expect(checks.checks.length).toBeGreaterThan(0);
    expect(checks.checks.every((c) => !c.ok)).toBe(true);
    // The upstream's own message (which quoted the canary) is what the stored message reports.
    expect(checks.checks.some((c) => c.message.includes('Incorrect API key provided'))).toBe(true);

    const findings = transcript.flatMap((t) => scanText(t.text, ALL, t.where));
    expect(findings, describeFindings(findings)).toEqual([]);
  }, 60_000);

  it('keeps a gateway token out of every answer but its creation, every log and file, and off the management API', async () => {
    // Created outside the transcript: this one answer is the only place the token may ever appear.
    const created = await serve.request('/api/v1/tokens', { method: 'POST', json: { name: 'secrets-scan', providers: ['sec-native'] } });
    expect(created.status, created.text).toBe(201);
    const { id, token } = created.body as { id: string; token: string };
    // From here on every scan (answers, exports, the data dir, logs, CLI and server output) also looks for it.
    ALL.push({ label: 'gateway-token', value: token, core: token.slice('pdg_'.length) });

    const bearer = { authorization: `Bearer ${token}` };
    expectStatus(await call('gateway token on providers', '/api/v1/providers', { headers: bearer }), 403, 'gateway token on providers');
    expectStatus(
      await call('gateway token on plain export', '/api/v1/config/export?secrets=plain', { headers: bearer }),
      403,
      'gateway token on plain export',
    );
    expectStatus(
      await call('gateway token as x-api-key on export', '/api/v1/config/export', { headers: { authorization: '', 'x-api-key': token } }),
      401,
      'gateway token as x-api-key on export',
    );
    expectStatus(await call('gateway token on token', '/api/v1/token', { headers: bearer }), 403, 'gateway token on token');
    expectStatus(await call('gateway token login', '/api/v1/session', { method: 'POST', json: { token } }), 401, 'gateway token login');
    expectStatus(await call('tokens list', '/api/v1/tokens'), 200, 'tokens list');
    expectStatus(await call('token usage', `/api/v1/tokens/${id}/usage`), 200, 'token usage');
    const listed = await cli('token list', ['token', 'list', '--all', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('secrets-scan');
    expectStatus(await call('token revoke', `/api/v1/tokens/${id}`, { method: 'DELETE' }), 200, 'token revoke');

    const findings = transcript.flatMap((t) => scanText(t.text, ALL, t.where));
    expect(findings, describeFindings(findings)).toEqual([]);
  }, 30_000);

  it('keeps redacted and encrypted exports free of canaries, and a plain export holds every live one', async () => {
    const redacted = await call('export redacted', '/api/v1/config/export');
    expect(redacted.status).toBe(200);
    expect(scanText(redacted.text, ALL, 'redacted export')).toEqual([]);

    const encrypted = await call('export encrypted', '/api/v1/config/export', { method: 'POST', json: { passphrase: PASSPHRASE } });
    expect(encrypted.status, encrypted.text.slice(0, 300)).toBe(200);
    expect(scanText(encrypted.text, ALL, 'encrypted export')).toEqual([]);

    const cliRedacted = await cli('export', ['export']);
    expect(cliRedacted.code, cliRedacted.stderr).toBe(0);
    const passphraseFile = join(scratch, 'passphrase');
    writeFileSync(passphraseFile, `${PASSPHRASE}\n`, { mode: 0o600 });
    const cliEncrypted = await cli('export encrypted', ['export', '--secrets', 'encrypted', '--passphrase-file', passphraseFile]);
    expect(cliEncrypted.code, cliEncrypted.stderr).toBe(0);

    // What was asked for in plain must hold every live canary, and no replaced one: the search does find them.
    const plain = await serve.request('/api/v1/config/export?secrets=plain');
    expect(plain.status).toBe(200);
    const inPlain = new Set(scanText(plain.text, ALL, 'plain export').map((f) => f.canary));
    expect([...inPlain].sort()).toEqual(
      live()
        .map((c) => c.label)
        .sort(),
    );
    const cliPlain = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'export', '--secrets', 'plain', '--data-dir', dataDir], {
        env: childEnv(),
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    expect(new Set(scanText(cliPlain, ALL, 'CLI plain export').map((f) => f.canary))).toEqual(inPlain);
    // The encrypted exports hold them too, sealed (decrypting proves the search above looked at real ciphertext).
    for (const text of [encrypted.text, cliEncrypted.stdout]) {
      const opened = await openDocument(JSON.parse(text) as Record<string, unknown>, PASSPHRASE);
      expect(new Set(scanText(JSON.stringify(opened), ALL, 'decrypted export').map((f) => f.canary))).toEqual(inPlain);
    }
  }, 60_000);

  it('leaves no canary in any byte of the data dir, the logs at debug level, any answer, any CLI or server output', async () => {
    const running = scanDir(dataDir, ALL, 'data dir (server running)');
    expect(running.files).toEqual(expect.arrayContaining(['provider-desk.sqlite', 'provider-desk.sqlite-wal', 'api-token', 'master.key']));
    await serve.stop('SIGTERM');
    const stopped = scanDir(dataDir, ALL, 'data dir (server stopped)');
    expect(stopped.files).toEqual(expect.arrayContaining(['provider-desk.sqlite', 'logs/provider-desk.log']));

    // Debug logging was on and wrote request lines, so the logs had every chance to leak.
    const log = readFileSync(join(dataDir, 'logs', 'provider-desk.log'), 'utf8');
    expect(log).toContain('"level":"debug"');
    expect(log).toContain('"route":"/api/v1/providers/:idOrName/keys/:keyId"');

    const findings = [
      ...running.findings,
      ...stopped.findings,
      ...scanText(serve.output(), ALL, 'serve stdout/stderr'),
      ...transcript.flatMap((t) => scanText(t.text, ALL, t.where)),
    ];
    expect(findings, describeFindings(findings)).toEqual([]);
  }, 30_000);
});

/**
 * Other OS users: the secrets are sealed and the keyfile is 0600 wherever the data dir is, but the store itself
 * (provider names, base URLs, settings, masked keys, model lists) is only private while the data dir is 0700. A data
 * dir that already exists (a --data-dir the user made, Electron's userData) keeps its 0755 and SQLite writes 0644
 * files into it. Fails until src-main/core/store/database.ts opens the store with private permissions (chmod the dir
 * to 0700, or create the files 0600).
 */
describe.runIf(process.platform !== 'win32')('data dir permissions (foundation: store/database.ts)', () => {
  it('keeps every file of a data dir that already exists (mode 0755) unreadable by other users', async () => {
    const existing = mkdtempSync(join(tmpdir(), 'pd-perms-'));
    chmodSync(existing, 0o755);
    try {
      const desk = openTestDesk({ dataDir: existing });
      desk.token.ensureFile();
      const created = await desk.dispatch(
        'providers.create',
        { name: 'perm', type: 'openai', api_keys: [{ value: 'sk-perm-0000000000' }] },
        { transport: 'ipc' },
      );
      expect(created.ok).toBe(true);
      const exposed = filesUnder(existing)
        .filter((file) => !file.endsWith('preferences.json'))
        .filter((file) => (statSync(file).mode & 0o077) !== 0)
        .map((file) => `${file.slice(existing.length + 1)} (${(statSync(file).mode & 0o777).toString(8)})`);
      const dirPrivate = (statSync(existing).mode & 0o077) === 0;
      expect(
        dirPrivate || exposed.length === 0,
        `data dir ${(statSync(existing).mode & 0o777).toString(8)}, readable by others: ${exposed.join(', ')}`,
      ).toBe(true);
      await desk.close();
    } finally {
      rmSync(existing, { recursive: true, force: true });
    }
  });
});
