import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src-main/core/contract/domain-schemas.js';
import type { Desk } from '../../src-main/core/desk.js';
import { keyHealth, legacyProviderStatus, providerHealth } from '../../src-main/core/service/health-model.js';
import { RECOMPUTE_HEALTH_MARK } from '../../src-main/core/store/migrations/0003-health.js';
import { importConfig } from '../../src-main/core/config-file/index.js';
import { openTestDesk, tempDir } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const GOOD = 'sk-health-good-0123456789';
const BAD = 'sk-health-bad-9876543210';

function check(over: Partial<CheckResult>): CheckResult {
  return {
    key_id: 'k',
    ok: false,
    latency_ms: 1,
    http_status: null,
    error_class: null,
    message: '',
    checked_at: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}
const key = (last: CheckResult | null, enabled = 1) => ({ enabled, last_check: last ? JSON.stringify(last) : null });
const passed = check({ ok: true });
const rejected = check({ error_class: 'auth_failed', http_status: 401 });
const refused = check({ error_class: 'connection_refused' });
const unset = check({ error_class: 'missing_env' });

describe('the health model', () => {
  it("names a key's health from its last check", () => {
    expect(keyHealth(null)).toBe('untested');
    expect(keyHealth(passed)).toBe('ok');
    expect(keyHealth(rejected)).toBe('error');
    expect(keyHealth(refused)).toBe('offline');
    expect(keyHealth(check({ error_class: 'timeout' }))).toBe('offline');
    expect(keyHealth(unset)).toBe('missing_env');
  });

  it("names a provider's health from its enabled keys: ok, degraded, error, offline, untested", () => {
    expect(providerHealth([key(passed), key(passed)], null)).toBe('ok');
    expect(providerHealth([key(passed), key(rejected)], null)).toBe('degraded');
    expect(providerHealth([key(passed), key(refused)], null)).toBe('degraded');
    // A key not tested yet does not pass: "ok" means every enabled key was seen working.
    expect(providerHealth([key(passed), key(null)], null)).toBe('degraded');
    expect(providerHealth([key(rejected), key(rejected)], null)).toBe('error');
    expect(providerHealth([key(rejected), key(refused)], null)).toBe('error');
    expect(providerHealth([key(refused), key(null)], null)).toBe('offline');
    expect(providerHealth([key(unset)], null)).toBe('error');
    expect(providerHealth([key(null), key(null)], null)).toBe('untested');
    // Disabled keys do not count, whatever they last did.
    expect(providerHealth([key(passed), key(rejected, 0)], null)).toBe('ok');
    expect(providerHealth([key(rejected, 0)], null)).toBe('untested');
  });

  it('never calls a key that only a billed request could prove ok (public listing is no proof)', () => {
    const unproven = check({ ok: true, error_class: 'unsupported', message: 'key not verified; 12 models available' });
    expect(keyHealth(unproven)).toBe('untested');
    expect(providerHealth([key(unproven)], null)).toBe('untested');
    expect(providerHealth([key(passed), key(unproven)], null)).toBe('degraded');
    expect(providerHealth([key(unproven), key(rejected)], null)).toBe('error');
    expect(providerHealth([], check({ key_id: null, ok: true, error_class: 'unsupported' }))).toBe('untested');
  });

  it('uses the keyless check when no key is enabled', () => {
    expect(providerHealth([], check({ key_id: null, ok: true }))).toBe('ok');
    expect(providerHealth([], check({ key_id: null, error_class: 'connection_refused' }))).toBe('offline');
    expect(providerHealth([], check({ key_id: null, error_class: 'missing_credentials' }))).toBe('error');
    expect(providerHealth([], null)).toBe('untested');
  });

  it('derives the deprecated status and state from health with their old meanings', () => {
    expect(legacyProviderStatus('ok')).toEqual({ status: 'active', state: 'online' });
    expect(legacyProviderStatus('degraded')).toEqual({ status: 'error', state: 'online' });
    expect(legacyProviderStatus('error')).toEqual({ status: 'error', state: 'offline' });
    expect(legacyProviderStatus('offline')).toEqual({ status: 'error', state: 'offline' });
    expect(legacyProviderStatus('untested')).toEqual({ status: 'untested', state: 'unknown' });
  });
});

describe('health kept by the service', () => {
  let fake: FakeProvider;
  let other: FakeProvider;
  let desk: Desk;

  beforeAll(async () => {
    fake = await startFakeProvider('openai', { keys: [GOOD] });
    other = await startFakeProvider('openai', { keys: [GOOD], delayMs: 400 });
  });
  afterAll(async () => {
    await fake.close();
    await other.close();
  });
  afterEach(async () => desk?.close());

  /** A provider with a working and a rejected key, tested: degraded. */
  async function mixed(name = 'mixed', baseUrl = fake.baseUrl) {
    desk.providers.create({
      name,
      type: 'openai',
      base_url: baseUrl,
      api_keys: [
        { name: 'good', value: GOOD },
        { name: 'bad', value: BAD },
      ],
    });
    await desk.health.test(name);
    return desk.providers.get(name);
  }
  const keyHealths = (name: string) => Object.fromEntries(desk.providers.get(name).api_keys.map((k) => [k.name, k.health]));

  it('is degraded with one good and one bad key, each key with its own health and the deprecated fields derived', async () => {
    desk = openTestDesk();
    const provider = await mixed();
    expect(provider).toMatchObject({ health: 'degraded', status: 'error', state: 'online' });
    expect(provider.last_check).toMatchObject({ ok: false, error_class: 'auth_failed' });
    expect(keyHealths('mixed')).toEqual({ good: 'ok', bad: 'error' });
    expect(provider.api_keys.map((k) => k.status)).toEqual(['ok', 'error']);
  });

  it('recomputes at once when the failing key is removed or disabled', async () => {
    desk = openTestDesk();
    await mixed('removed');
    const bad = desk.providers.get('removed').api_keys.find((k) => k.name === 'bad')!;
    desk.providers.removeKey('removed', bad.id);
    expect(desk.providers.get('removed')).toMatchObject({ health: 'ok', status: 'active', last_check: { ok: true } });

    await mixed('disabled');
    desk.providers.updateKey('disabled', 'bad', { enabled: false });
    expect(desk.providers.get('disabled').health).toBe('ok');
    expect(desk.providers.get('disabled').api_keys.find((k) => k.name === 'bad')).toMatchObject({
      health: 'untested',
      status: 'untested',
      last_check: null,
    });
    // Turned back on, it counts again, as untested until tested.
    desk.providers.updateKey('disabled', 'bad', { enabled: true });
    expect(desk.providers.get('disabled').health).toBe('degraded');
    expect(keyHealths('disabled')).toEqual({ good: 'ok', bad: 'untested' });
  });

  it("clears a key's verdict when its value or key config changes, and keeps it when nothing that matters changed", async () => {
    desk = openTestDesk();
    desk.providers.create({ name: 'single', type: 'openai', base_url: fake.baseUrl, api_keys: [{ name: 'only', value: BAD }] });
    await desk.health.test('single');
    expect(desk.providers.get('single').health).toBe('error');

    desk.providers.updateKey('single', 'only', { value: BAD, weight: 3, name: 'renamed', models: ['gpt-4o'] });
    expect(desk.providers.get('single')).toMatchObject({ health: 'error', api_keys: [{ health: 'error' }] });

    desk.providers.updateKey('single', 'renamed', { value: GOOD });
    expect(desk.providers.get('single')).toMatchObject({ health: 'untested', last_check: null, api_keys: [{ health: 'untested' }] });

    await desk.health.test('single');
    expect(desk.providers.get('single').health).toBe('ok');
    desk.providers.updateKey('single', 'renamed', { key_config: { azure_key_config: { endpoint: 'https://example.invalid' } } });
    expect(desk.providers.get('single')).toMatchObject({ health: 'untested', api_keys: [{ health: 'untested' }] });
  });

  it('clears every verdict of the provider when anything that decides where its requests go changes', async () => {
    desk = openTestDesk();
    const changes: Array<[string, Parameters<Desk['providers']['update']>[1]]> = [
      ['base URL', { base_url: `${fake.url}/v1/other` }],
      ['proxy', { proxy_config: { type: 'http', url: 'http://127.0.0.1:9' } }],
      ['CA', { network_config: { ca_cert_pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' } }],
      ['TLS verification', { network_config: { insecure_skip_verify: true } }],
      ['extra headers', { network_config: { extra_headers: { 'x-team': 'blue' } } }],
      ['a secret header value', { network_config: { extra_headers: { authorization: 'Bearer other-token-123' } } }],
      ['private network rule', { network_config: { allow_private_network: true } }],
      ['settings', { settings: { organization: 'org-other' } }],
    ];
    for (const [index, [what, patch]] of changes.entries()) {
      const name = `moved-${index}`;
      // The secret header case starts from a stored secret header, so only its value changes.
      desk.providers.create({
        name,
        type: 'openai',
        base_url: fake.baseUrl,
        network_config: { extra_headers: { authorization: 'Bearer first-token-123' } },
        api_keys: [
          { name: 'good', value: GOOD },
          { name: 'bad', value: BAD },
        ],
      });
      await desk.health.test(name);
      expect(desk.providers.get(name).health, what).toBe('degraded');
      desk.providers.update(name, patch);
      expect(desk.providers.get(name), what).toMatchObject({ health: 'untested', status: 'untested', state: 'unknown', last_check: null });
      expect(keyHealths(name), what).toEqual({ good: 'untested', bad: 'untested' });
    }
  });

  it('keeps the verdicts when a change does not decide where requests go', async () => {
    desk = openTestDesk();
    await mixed();
    desk.providers.update('mixed', {
      display_name: 'Mixed',
      description: 'two keys',
      network_config: { default_request_timeout_in_seconds: 45, max_retries: 2 },
      concurrency_and_buffer_size: { concurrency: 10, buffer_size: 100 },
    });
    // The same values sent again (a form saved whole) are no change either.
    desk.providers.update('mixed', { base_url: fake.baseUrl, network_config: { insecure_skip_verify: false } });
    expect(desk.providers.get('mixed').health).toBe('degraded');
    expect(keyHealths('mixed')).toEqual({ good: 'ok', bad: 'error' });
  });

  it('clears verdicts when a config import moves the provider', async () => {
    desk = openTestDesk();
    // A standard Bifrost name, so the file needs no custom_provider_config to say what it is.
    await mixed('openai');
    const result = await importConfig(
      desk,
      {
        providers: {
          openai: {
            keys: [
              { name: 'good', value: GOOD, models: [], weight: 1 },
              { name: 'bad', value: BAD, models: [], weight: 1 },
            ],
            network_config: { base_url: `${fake.url}/v1/moved` },
          },
        },
      },
      { confirmDestinations: true },
    );
    expect(result.applied).toBe(true);
    expect(desk.providers.get('openai').health).toBe('untested');
    expect(keyHealths('openai')).toEqual({ good: 'untested', bad: 'untested' });
  });

  it('drops the verdicts of a test when the provider moved while it ran', async () => {
    desk = openTestDesk();
    desk.providers.create({ name: 'slow', type: 'openai', base_url: other.baseUrl, api_keys: [{ name: 'good', value: GOOD }] });
    const running = desk.health.test('slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    desk.providers.update('slow', { base_url: fake.baseUrl });
    const outcome = await running;
    expect(outcome.results[0]).toMatchObject({ ok: true });
    expect(outcome.health).toBe('untested');
    expect(desk.providers.get('slow')).toMatchObject({ health: 'untested', api_keys: [{ health: 'untested', last_check: null }] });
  });

  it('reports an unset env.VAR as missing_env naming the variable, resolved with the environment of the owning process', async () => {
    const variable = `PD_HEALTH_MODEL_KEY_${process.pid}`;
    delete process.env[variable];
    desk = openTestDesk();
    desk.providers.create({
      name: 'from-env',
      type: 'openai',
      base_url: fake.baseUrl,
      api_keys: [{ name: 'env', value: `env.${variable}` }],
    });
    const outcome = await desk.health.test('from-env');
    expect(outcome.results[0]).toMatchObject({ ok: false, error_class: 'missing_env' });
    expect(outcome.results[0]!.message).toContain(variable);
    expect(outcome.results[0]!.hint).toContain(variable);
    expect(desk.providers.get('from-env')).toMatchObject({ health: 'error', api_keys: [{ health: 'missing_env', status: 'error' }] });
    const dataDir = desk.options.dataDir;
    await desk.close();

    // The same store opened by a process started with the variable set: that environment decides, not this one's.
    desk = openTestDesk({ dataDir, env: { ...process.env, [variable]: GOOD } });
    expect(process.env[variable]).toBeUndefined();
    const owned = await desk.health.test('from-env');
    expect(owned.results[0]).toMatchObject({ ok: true });
    expect(desk.providers.get('from-env')).toMatchObject({ health: 'ok', api_keys: [{ health: 'ok' }] });
  });

  it('computes the health of a store written before the health model once, on its first open', async () => {
    const dir = tempDir();
    desk = openTestDesk({ dataDir: dir.path });
    await mixed();
    // What an older version left: no health column value, and the mark migration 0003 sets.
    const row = desk.providers.requireRow('mixed');
    desk.repo.updateProvider({ ...row, health: 'untested' }, row.revision);
    desk.repo.setMeta(RECOMPUTE_HEALTH_MARK, 'pending');
    await desk.close();

    desk = openTestDesk({ dataDir: dir.path });
    expect(desk.providers.get('mixed').health).toBe('degraded');
    expect(desk.providers.list({ health: 'degraded' }).items.map((p) => p.name)).toEqual(['mixed']);
    expect(desk.repo.getMeta(RECOMPUTE_HEALTH_MARK)?.value).toBe('done');
  });
});
