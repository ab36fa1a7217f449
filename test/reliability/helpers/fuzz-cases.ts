/**
 * fast-check arbitraries for requests to any route: adversarial path parameters, query strings, headers and bodies.
 * Values that depend on the live store or token (a seeded provider's id, the current token) are symbolic and resolved
 * when the request is sent, so a counterexample prints readably and replays with the same seed.
 */
import fc from 'fast-check';
import type { Route } from './routes.js';
import { latin1 } from './raw-http.js';

// --- symbolic values ----------------------------------------------------------------------------------------------

export type SeedRef = { seed: 'name' | 'id' | 'seq' | 'keyId' | 'keyName' | 'upperName'; index: number };
export type Segment = SeedRef | { raw: string };
export type AuthCase =
  | 'bearer'
  | 'coder-session-token'
  | 'basic'
  | 'basic-empty-user'
  | 'cookie-junk'
  | 'none'
  | 'bearer-empty'
  | 'bearer-wrong'
  | 'bearer-lowercase-scheme'
  | 'bearer-token-twice'
  | 'token-without-scheme'
  | 'basic-no-colon'
  | 'basic-not-base64'
  | 'basic-wrong-password'
  | 'basic-unicode'
  | 'digest'
  | 'huge'
  | 'unicode';
export type HostCase = 'ok' | 'localhost' | 'ipv6' | 'evil' | 'evil-with-port' | 'no-port' | 'wrong-port' | 'suffix' | 'none' | 'unicode';

export interface FuzzCase {
  method: string;
  segments: Segment[];
  /** What follows the route: '' or a suffix such as '/', '//', '/..', '/extra'. */
  tail: string;
  query: string;
  auth: AuthCase;
  host: HostCase;
  headers: Record<string, string>;
  body: BodyCase;
}

export type BodyCase =
  { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'text'; text: string } | { kind: 'bytes'; hex: string };

export interface SeedPool {
  names: string[];
  ids: string[];
  seqs: number[];
  keyIds: string[];
  keyNames: string[];
}

// --- building blocks ------------------------------------------------------------------------------------------------

/** An object with exactly these own properties, `__proto__` included (an assignment would set the prototype instead). */
export function objectFrom(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const FIELD_NAMES = [
  'name',
  'type',
  'display_name',
  'description',
  'base_url',
  'enabled',
  'settings',
  'network_config',
  'proxy_config',
  'concurrency_and_buffer_size',
  'custom_provider_config',
  'api_keys',
  'keys',
  'value',
  'id',
  'weight',
  'models',
  'blacklisted_models',
  'key_config',
  'apiKey',
  'metadata',
  'provider',
  'api_key',
  'token',
  'providers',
  'dry_run',
  'prune',
  'passphrase',
  'secrets',
  'kdf',
  'capability',
  'suggested_models',
  'score_cutoff',
  'theme',
  'apiPort',
  'apiEnabled',
  'concurrency',
  'only',
  'deep',
  'model',
  'key_id',
  'revision',
  'access_key_secret',
  'password',
  'extra_headers',
  'max_retries',
  'default_request_timeout_in_seconds',
  'watsonx_project_id',
  'watsonx_space_id',
  '_type',
  '_version',
] as const;

const EVIL_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  'a.b',
  '$where',
  '0',
] as const;

const keyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...EVIL_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const EVIL_STRINGS = [
  '',
  ' ',
  '1',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  'true',
  'null',
  '<REDACTED>',
  'env.HOME',
  'env.',
  'env.FZ_NOT_SET_ANYWHERE',
  'http://127.0.0.1:9',
  'http://[::1]:9/v1',
  'http://127.0.0.1:9/fz-ok/v1',
  'javascript:alert(1)',
  'file:///etc/passwd',
  '\u0000',
  '\ud800',
  '\u2028\u2029',
  '\u202e\u0635',
  '😀'.repeat(20),
  '../../etc/passwd',
  "' OR 1=1 --",
  '{"a":1}',
  '%00',
  'a'.repeat(5000),
  'sk-' + 'x'.repeat(70_000),
] as const;

const leafArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...EVIL_STRINGS) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(2 ** 53 + 1, -0, 1e308, -1, 0, 0.5, 65_536, 1_000_001) },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constant(null) },
);

const { value: jsonishArb } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafArb, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(keyArb, tie('value')), { maxLength: 5 }).map(objectFrom),
}));

export { jsonishArb };

// --- templates: bodies close to valid, so mutations reach deep validation -----------------------------------------

const suffixArb = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 8 });

type Template = (suffix: string) => Record<string, unknown>;

const LOOPBACK = 'http://127.0.0.1:9';

const TEMPLATES: Record<string, Template[]> = {
  'POST /api/v1/providers': [
    (s) => ({ name: `fz-n-${s}`, type: 'openai', base_url: `${LOOPBACK}/v1`, api_keys: [{ name: 'k', value: `sk-fz-${s}` }] }),
    (s) => ({
      name: `fz-b-${s}`,
      type: 'bedrock',
      settings: { region: 'us-east-1', access_key: 'AKIAFZ', access_key_secret: `fz-${s}` },
      proxy_config: { type: 'http', url: LOOPBACK, username: 'u', password: `p-${s}` },
      network_config: { max_retries: 1, extra_headers: { 'x-a': 'b' } },
    }),
  ],
  'PATCH /api/v1/providers/:idOrName': [
    (s) => ({ display_name: `fz ${s}`, network_config: { max_retries: 2, default_request_timeout_in_seconds: 5 } }),
    (s) => ({ settings: { access_key_secret: `fz-${s}` }, proxy_config: null, enabled: false }),
  ],
  'POST /api/v1/providers/:idOrName/keys': [
    (s) => ({ name: `k-${s}`, value: `sk-fz-${s}`, weight: 1, models: ['a'] }),
    (s) => ({ name: `kc-${s}`, value: `sk-fz-${s}`, key_config: { azure_key_config: { endpoint: LOOPBACK, api_version: '2024-10-21' } } }),
  ],
  'PATCH /api/v1/providers/:idOrName/keys/:keyId': [
    (s) => ({ value: `sk-fz2-${s}`, enabled: false, weight: 0.5 }),
    () => ({ key_config: { bedrock_key_config: { access_key: 'AKIAFZ', secret_key: '<REDACTED>', region: 'us-east-1' } } }),
  ],
  'POST /api/v1/providers/:idOrName/test': [() => ({ deep: true, model: 'fz-model-a' }), () => ({})],
  'POST /api/v1/test-all': [() => ({ concurrency: 2 }), () => ({ only: ['fz-ok-openai'] })],
  'PATCH /api/v1/preferences': [() => ({ theme: 'dark' }), () => ({ apiPort: 4000 })],
  'POST /api/v1/session': [(s) => ({ token: `pd_${s}` })],
  'POST /api/v1/config/import': [
    (s) => ({
      providers: {
        [`fz-imp-${s}`]: { keys: [{ name: 'main', value: `sk-imp-${s}`, models: [], weight: 1 }], network_config: { base_url: LOOPBACK } },
      },
      dry_run: true,
    }),
    (s) => ({ providers: { [`fz-imp-${s}`]: { keys: [{ name: 'main', value: 'env.FZ_KEY', models: [], weight: 1 }] } } }),
  ],
  'POST /api/v1/config/export': [() => ({ passphrase: 'correct horse battery', kdf: 'scrypt' })],
  'POST /api/providers': [
    (s) => ({ name: `fz-z-${s}`, apiKey: `sk-ziri-${s}-0000000000`, metadata: { displayName: 'Z', baseUrl: LOOPBACK } }),
  ],
  'POST /api/v2/ai/providers': [
    (s) => ({
      type: 'openai',
      name: `fz-c-${s}`,
      display_name: 'C',
      enabled: true,
      base_url: `${LOOPBACK}/v1`,
      api_keys: [`sk-coder-${s}`],
    }),
    (s) => ({
      type: 'anthropic',
      name: `fz-cb-${s}`,
      settings: { _type: 'bedrock', _version: 1, region: 'us-east-1', access_key: 'AKIAFZ', access_key_secret: `fz-${s}` },
    }),
  ],
  'PATCH /api/v2/ai/providers/:idOrName': [
    (s) => ({ display_name: `C ${s}`, api_keys: [{ api_key: `sk-coder2-${s}` }] }),
    () => ({ enabled: false, settings: null }),
  ],
  'POST /bifrost/api/providers': [
    (s) => ({
      provider: `fz-bf-${s}`,
      network_config: { base_url: LOOPBACK, default_request_timeout_in_seconds: 10, max_retries: 1 },
      proxy_config: { type: 'http', url: LOOPBACK, username: 'u', password: `p-${s}` },
      custom_provider_config: { base_provider_type: 'openai', is_key_less: false },
    }),
  ],
  'PUT /bifrost/api/providers/:provider': [
    () => ({ network_config: { base_url: LOOPBACK, max_retries: 0 }, concurrency_and_buffer_size: { concurrency: 2, buffer_size: 10 } }),
  ],
  'POST /bifrost/api/providers/:provider/keys': [
    (s) => ({ name: `k-${s}`, value: `sk-bf-${s}`, models: [], weight: 1, enabled: true }),
    (s) => ({
      name: `az-${s}`,
      value: `az-${s}`,
      models: [],
      weight: 1,
      azure_key_config: { endpoint: LOOPBACK, api_version: '2024-10-21' },
    }),
  ],
  'PUT /bifrost/api/providers/:provider/keys/:key_id': [(s) => ({ name: `k2-${s}`, value: `sk-bf2-${s}`, models: ['m'], weight: 2 })],
  'POST /api/v1/model_providers': [
    (s) => ({ type: 'openai', base_url: `${LOOPBACK}/fz-ok/${s}`, api_key: `sk-as-${s}`, name: `AS ${s}` }),
    (s) => ({ type: 'watsonx', base_url: `${LOOPBACK}/w/${s}`, api_key: `w-${s}`, watsonx_project_id: 'p' }),
  ],
  'POST /api/v1/model_providers/match': [() => ({ capability: 'llm', suggested_models: ['fz-model-a'], score_cutoff: 0.4 })],
};

/** How to damage a template: symbolic, so counterexamples print as data. */
type Mutation =
  | { op: 'keep' }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'pollute'; key: '__proto__' | 'constructor' | 'prototype'; at: number; value: unknown }
  | { op: 'array-for-object'; at: number }
  | { op: 'numbers-as-strings' }
  | { op: 'nulls' }
  | { op: 'deep'; at: number; depth: number; kind: 'array' | 'object' }
  | { op: 'huge'; at: number; size: number; unit: 'ascii' | 'emoji' | 'nul' };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ op: 'keep' } as const) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: jsonishArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('pollute' as const),
      key: fc.constantFrom('__proto__' as const, 'constructor' as const, 'prototype' as const),
      at: fc.nat(),
      value: fc.constantFrom<unknown>({ polluted: 'yes' }, objectFrom([['prototype', { polluted: 'yes' }]]), 'x', null, [1]),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('array-for-object' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'numbers-as-strings' } as const) },
  { weight: 1, arbitrary: fc.constant({ op: 'nulls' } as const) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('deep' as const),
      at: fc.nat(),
      // Deeper nesting (2 000+ levels) makes JSON.stringify overflow the stack in the service today: see DEEP_NESTING.
      depth: fc.constantFrom(16, 64, 256, 1_000),
      kind: fc.constantFrom('array' as const, 'object' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('huge' as const),
      at: fc.nat(),
      size: fc.constantFrom(70_000, 300_000, 900_000),
      unit: fc.constantFrom('ascii' as const, 'emoji' as const, 'nul' as const),
    }),
  },
);

/** Every path to a value inside `value` (objects and arrays), the root included as []. */
function pathsOf(
  value: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function setAt(root: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[head as number] = setAt(copy[head as number], rest, value);
    return copy;
  }
  const source = (root ?? {}) as Record<string, unknown>;
  return objectFrom(Object.entries(source).map(([k, v]) => [k, k === head ? setAt(v, rest, value) : v] as const));
}

function deleteAt(root: unknown, path: Array<string | number>): unknown {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path;
  if (Array.isArray(root))
    return rest.length === 0 ? root.filter((_, i) => i !== head) : root.map((v, i) => (i === head ? deleteAt(v, rest) : v));
  const source = (root ?? {}) as Record<string, unknown>;
  return objectFrom(
    Object.entries(source)
      .filter(([k]) => rest.length > 0 || k !== head)
      .map(([k, v]) => [k, k === head ? deleteAt(v, rest) : v] as const),
  );
}

function mapLeaves(value: unknown, fn: (leaf: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapLeaves(v, fn));
  if (value && typeof value === 'object') return objectFrom(Object.entries(value).map(([k, v]) => [k, mapLeaves(v, fn)] as const));
  return fn(value);
}

const DEEP_MARK = '__fz_deep__';

/** Applies a mutation; deep nesting and huge strings are spliced into the JSON text (see `bodyText`). */
function mutate(template: Record<string, unknown>, mutation: Mutation): BodyCase {
  const paths = pathsOf(template);
  const pick = (at: number) => paths[at % paths.length] ?? [];
  switch (mutation.op) {
    case 'keep':
      return { kind: 'json', value: template };
    case 'set':
      return { kind: 'json', value: setAt(template, pick(mutation.at), mutation.value) };
    case 'delete':
      return { kind: 'json', value: deleteAt(template, pick(mutation.at)) ?? null };
    case 'pollute': {
      const objects = paths.filter((p) => {
        const v = p.reduce<unknown>((acc, k) => (acc as Record<string | number, unknown>)[k], template);
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      });
      const at = objects[mutation.at % objects.length] ?? [];
      const target = at.reduce<unknown>((acc, k) => (acc as Record<string | number, unknown>)[k], template) as Record<string, unknown>;
      return { kind: 'json', value: setAt(template, at, objectFrom([...Object.entries(target), [mutation.key, mutation.value]])) };
    }
    case 'array-for-object': {
      const at = pick(mutation.at);
      const current = at.reduce<unknown>((acc, k) => (acc as Record<string | number, unknown>)[k], template);
      return { kind: 'json', value: setAt(template, at, Array.isArray(current) ? { 0: current[0] ?? null } : [current]) };
    }
    case 'numbers-as-strings':
      return { kind: 'json', value: mapLeaves(template, (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v)) };
    case 'nulls':
      return { kind: 'json', value: mapLeaves(template, () => null) };
    case 'deep': {
      const open = mutation.kind === 'array' ? '['.repeat(mutation.depth) : '{"a":'.repeat(mutation.depth);
      const close = mutation.kind === 'array' ? ']'.repeat(mutation.depth) : '}'.repeat(mutation.depth);
      const text = JSON.stringify(setAt(template, pick(mutation.at), DEEP_MARK)).replace(`"${DEEP_MARK}"`, `${open}1${close}`);
      return { kind: 'text', text };
    }
    case 'huge': {
      const unit = mutation.unit === 'ascii' ? 'x' : mutation.unit === 'emoji' ? '😀' : '\u0000';
      const count = Math.floor(mutation.size / (mutation.unit === 'ascii' ? 1 : mutation.unit === 'emoji' ? 4 : 6));
      return { kind: 'json', value: setAt(template, pick(mutation.at), unit.repeat(count)) };
    }
  }
}

const JUNK_TEXTS = [
  '',
  ' ',
  '{',
  '{"a":}',
  '[1,]',
  "{'a':1}",
  'nul',
  'NaN',
  'null',
  'true',
  '123',
  '"text"',
  '[]',
  '{}{}',
  '\ufeff{}',
  '{"a":1} trailing',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":1e999999}',
  '{"a":-0}',
  '{"a":' + '9'.repeat(400) + '}',
  'a=1&b=2',
  '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
] as const;

/** A body for `route`: mostly templates with one mutation, sometimes arbitrary JSON, junk text or raw bytes. */
export function bodyArb(route: Route): fc.Arbitrary<BodyCase> {
  const templates = TEMPLATES[`${route.method} ${route.pattern}`] ?? [() => ({})];
  const templated = fc
    .tuple(fc.nat(templates.length - 1), suffixArb, mutationArb)
    .map(([i, suffix, mutation]) => mutate((templates[i] ?? templates[0]!)(suffix), mutation));
  const bodyless = route.method === 'GET' || route.method === 'DELETE';
  return fc.oneof(
    { weight: bodyless ? 8 : 1, arbitrary: fc.constant({ kind: 'none' } as const) },
    { weight: bodyless ? 1 : 10, arbitrary: templated },
    { weight: 2, arbitrary: jsonishArb.map((value) => ({ kind: 'json', value }) as const) },
    { weight: 2, arbitrary: fc.constantFrom(...JUNK_TEXTS).map((text) => ({ kind: 'text', text }) as const) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'bytes', hex: Buffer.from(bytes).toString('hex') }) as const),
    },
  );
}

export function bodyBytes(body: BodyCase): Buffer | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'json':
      return Buffer.from(JSON.stringify(body.value) ?? 'null', 'utf8');
    case 'text':
      return Buffer.from(body.text, 'utf8');
    case 'bytes':
      return Buffer.from(body.hex, 'hex');
  }
}

// --- paths --------------------------------------------------------------------------------------------------------

/** Percent-encodes any string; a lone surrogate (which encodeURIComponent refuses) becomes U+FFFD first. */
function encodeSafely(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

/**
 * Paths the router itself refuses before any route or hook runs: a parameter over its 500-character limit, and
 * percent-encodings that do not decode to UTF-8. Kept out of the random cases and tested one by one.
 */
export const MALFORMED_SEGMENTS = ['a'.repeat(501), 'a'.repeat(4000), '%', '%zz', '%C0%AF', '%ED%A0%80', '%E2%82'] as const;

/** Nesting that JSON.parse takes (a 1 MiB body can nest 100 000 levels) but that overflows recursive code. */
export const DEEP_NESTING = 10_000;

/** `{"a":{"a":…1…}}`, `depth` levels. */
export function deepObjectText(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Requests Node's HTTP parser refuses (clientError) before Fastify routes them: raw bytes over 0x7e in the path, headers over 16 KiB. */
export const PARSER_REFUSED = [
  { label: 'raw UTF-8 in the path', segment: latin1('é😀'), headers: {} as Record<string, string> },
  { label: 'a DEL byte in the path', segment: 'a\u007fb', headers: {} as Record<string, string> },
  { label: 'over 16 KiB of headers', segment: 'fz-ok-openai', headers: { 'x-fz-filler': 'f'.repeat(17_000) } },
] as const;

const RAW_SEGMENTS = [
  '..',
  '.',
  // Request-target tricks that once reached protected routes: encoded letters, encoded separators, overlong UTF-8.
  '%61pi',
  '%76%31',
  '%2f',
  '%5c',
  '%C0%AF',
  '%E0%80%AF',
  'a\\b',
  '%2e%2e',
  '%2E%2E%2F',
  '..%2F..%2Fapi%2Fv1%2Ftoken',
  '%2F',
  'a%2Fb',
  '%00',
  '%E2%80%AE',
  '%F0%9F%98%80',
  '~',
  '*',
  ':idOrName',
  'undefined',
  'null',
  '0',
  '-1',
  '1e309',
  'NaN',
  '9007199254740993',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '%3CREDACTED%3E',
  'env.HOME',
  '%27%20OR%201%3D1%20--',
  ';',
  '%5C',
  '00000000-0000-0000-0000-000000000000',
  'FZ-OK-OPENAI',
] as const;

const segmentArb: fc.Arbitrary<Segment> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      seed: fc.constantFrom('name' as const, 'id' as const, 'seq' as const, 'keyId' as const, 'keyName' as const, 'upperName' as const),
      index: fc.nat(50),
    }),
  },
  { weight: 3, arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((raw) => ({ raw })) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map((s) => ({ raw: encodeSafely(s) })) },
  // Unicode as a client sends it: percent-encoded UTF-8 (raw bytes over 0x7e are refused by Node's parser: PARSER_REFUSED).
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map((s) => ({ raw: encodeSafely(s) })) },
  // Long, but within the router's 500-character parameter limit (longer ones: see MALFORMED_PATHS).
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 490 }).map((n) => ({ raw: 'a'.repeat(n) })) },
  { weight: 1, arbitrary: fc.uuid().map((raw) => ({ raw })) },
);

const tailArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('/', '//', '/..', '/../..', '/./', '/extra', '/%2e%2e/%2e%2e/v1/token', '%00', '/keys/x/y/z', ';a=b'),
  },
);

// --- query strings --------------------------------------------------------------------------------------------------

const QUERY_KEYS = [
  'search',
  'type',
  'health',
  'sort',
  'order',
  'limit',
  'offset',
  'secrets',
  'dry_run',
  'prune',
  'passphrase',
  'deep',
  'idOrName',
  'id',
  '__proto__',
  '__proto__[polluted]',
  'constructor[prototype][polluted]',
  'limit[]',
  'a[b][c]',
  '',
] as const;
const QUERY_VALUES = [
  '-1',
  'NaN',
  'Infinity',
  '1e309',
  '0',
  '99999999999999999999',
  '',
  'true',
  'false',
  'plain',
  'redacted',
  'encrypted',
  'asc',
  'desc',
  'name',
  'openai,anthropic',
  '%00',
  '%F0%9F%98%80',
  '%ZZ',
  'a'.repeat(800),
] as const;

const queryArb: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 }).map(encodeSafely)),
      fc.oneof(fc.constantFrom(...QUERY_VALUES), fc.string({ unit: 'binary', maxLength: 16 }).map(encodeSafely)),
      fc.boolean(),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v, bare]) => (bare && v === '' ? k : `${k}=${v}`)).join('&')}`));

// --- headers ---------------------------------------------------------------------------------------------------------

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json;charset=latin1',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
  'application/json, text/html',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/*',
  '*/*',
  ';;;',
] as const;

const headersArb = (route: Route): fc.Arbitrary<Record<string, string>> =>
  fc
    .record({
      contentType: fc.oneof(
        { weight: 8, arbitrary: fc.constant<string | null>('application/json') },
        { weight: 2, arbitrary: fc.constantFrom<string | null>(...CONTENT_TYPES) },
        { weight: 1, arbitrary: fc.constant<string | null>(null) },
      ),
      origin: fc.oneof(
        { weight: 20, arbitrary: fc.constant<string | null>(null) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<string | null>(
            'http://evil.example',
            'null',
            'file://',
            'http://127.0.0.1.evil.example',
            'http://localhost',
          ),
        },
      ),
      ifMatch: fc.oneof(
        { weight: 6, arbitrary: fc.constant<string | null>(null) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<string | null>('"1"', 'W/"2"', '*', 'garbage', '"-1"', '"1e3"', '"99999999999999999999"', ''),
        },
      ),
      accept: fc.oneof(
        { weight: 6, arbitrary: fc.constant<string | null>(null) },
        { weight: 1, arbitrary: fc.constantFrom<string | null>('text/event-stream', 'application/xml', '*/*', 'application/x-ndjson') },
      ),
      filler: fc.oneof(
        { weight: 10, arbitrary: fc.constant<number | null>(null) },
        // Node refuses more than 16 KiB of request line and headers (431) before the app sees them: with the longest
        // query (6 × 800), filler (5 000) and Authorization (4 000) a request stays under it.
        { weight: 1, arbitrary: fc.constantFrom<number | null>(1_000, 3_000, 5_000) },
      ),
      extra: fc.option(
        fc.tuple(
          fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz-'), minLength: 1, maxLength: 12 }),
          fc.string({ unit: 'grapheme', maxLength: 40 }),
        ),
        { freq: 4 },
      ),
    })
    .map(({ contentType, origin, ifMatch, accept, filler, extra }) => {
      const headers: Record<string, string> = {};
      if (contentType !== null) headers['content-type'] = contentType;
      if (origin !== null) headers.origin = origin;
      if (ifMatch !== null && route.method === 'PATCH') headers['if-match'] = ifMatch;
      if (accept !== null) headers.accept = accept;
      if (filler !== null) headers['x-fz-filler'] = 'f'.repeat(filler);
      if (extra) {
        const [name, value] = extra;
        const header = `x-fz-${name}`;
        if (!(header in headers)) headers[header] = latin1(value.replace(/[\r\n\0]/g, ' ').trim());
      }
      return headers;
    });

const AUTH_CASES: AuthCase[] = [
  'none',
  'bearer-empty',
  'bearer-wrong',
  'bearer-lowercase-scheme',
  'bearer-token-twice',
  'token-without-scheme',
  'basic-no-colon',
  'basic-not-base64',
  'basic-wrong-password',
  'basic-unicode',
  'basic-empty-user',
  'cookie-junk',
  'digest',
  'huge',
  'unicode',
];

const authArb: fc.Arbitrary<AuthCase> = fc.oneof(
  { weight: 16, arbitrary: fc.constant<AuthCase>('bearer') },
  { weight: 2, arbitrary: fc.constantFrom<AuthCase>('coder-session-token', 'basic') },
  { weight: 2, arbitrary: fc.constantFrom(...AUTH_CASES) },
);

const hostArb: fc.Arbitrary<HostCase> = fc.oneof(
  { weight: 30, arbitrary: fc.constant<HostCase>('ok') },
  { weight: 2, arbitrary: fc.constantFrom<HostCase>('localhost', 'ipv6') },
  // 'none' (no Host header at all) is tested on its own: Node refuses it before the app sees it.
  { weight: 2, arbitrary: fc.constantFrom<HostCase>('evil', 'evil-with-port', 'no-port', 'wrong-port', 'suffix', 'unicode') },
);

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;

/** A request to `route`: its own method most of the time, any other now and then. */
export function caseArb(route: Route): fc.Arbitrary<FuzzCase> {
  return fc.record({
    method: fc.oneof({ weight: 12, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) }),
    segments: fc.array(segmentArb, { minLength: route.params.length, maxLength: route.params.length }),
    tail: tailArb,
    query: fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 2, arbitrary: queryArb }),
    auth: authArb,
    host: hostArb,
    headers: headersArb(route),
    body: bodyArb(route),
  });
}

/** Requests to paths no route serves, under each surface's prefix. */
export function unknownPathArb(): fc.Arbitrary<FuzzCase> {
  const prefixes = [
    '/%61pi/v1/',
    '/API/V1/',
    '/bifros%74/api/',
    '/api/v1/',
    '/api/providers/',
    '/api/v2/',
    '/api/v2/ai/providers/x/',
    '/bifrost/',
    '/bifrost/api/',
    '/api/v1/model_providers/',
  ];
  return fc.record({
    method: fc.constantFrom(...OTHER_METHODS),
    segments: fc.tuple(fc.constantFrom(...prefixes), segmentArb, segmentArb).map(([prefix, a, b]) => [{ raw: prefix.slice(0, -1) }, a, b]),
    tail: tailArb,
    query: queryArb,
    auth: authArb,
    host: fc.constant<HostCase>('ok'),
    headers: headersArb({ method: 'POST', pattern: '/unknown', params: [], surface: 'other' }),
    body: fc.oneof(
      fc.constant({ kind: 'none' } as const),
      jsonishArb.map((value) => ({ kind: 'json', value }) as const),
    ),
  });
}

// --- resolving a case into bytes on the wire ------------------------------------------------------------------------

function resolveSegment(segment: Segment, pool: SeedPool): string {
  if ('raw' in segment) return segment.raw;
  const pick = <T>(list: T[]): T | undefined => list[segment.index % Math.max(1, list.length)];
  switch (segment.seed) {
    case 'name':
      return pick(pool.names) ?? 'missing';
    case 'upperName':
      return (pick(pool.names) ?? 'missing').toUpperCase();
    case 'id':
      return pick(pool.ids) ?? 'missing';
    case 'seq':
      return String(pick(pool.seqs) ?? 0);
    case 'keyId':
      return pick(pool.keyIds) ?? 'missing';
    case 'keyName':
      return encodeURIComponent(pick(pool.keyNames) ?? 'missing');
  }
}

export function pathOf(route: Route, fuzz: FuzzCase, pool: SeedPool): string {
  let index = 0;
  let path: string;
  if (route.pattern === '/unknown') {
    path = fuzz.segments.map((s, i) => (i === 0 ? resolveSegment(s, pool) : `/${resolveSegment(s, pool)}`)).join('');
  } else {
    path = route.pattern.replace(/:(\w+)/g, () => resolveSegment(fuzz.segments[index++] ?? { raw: 'x' }, pool));
  }
  return `${path}${fuzz.tail}${fuzz.query}`;
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function authHeaders(auth: AuthCase, token: string): Record<string, string> {
  switch (auth) {
    case 'bearer':
      return { authorization: `Bearer ${token}` };
    case 'coder-session-token':
      return { 'coder-session-token': token };
    case 'basic':
      return { authorization: `Basic ${b64(`fuzz:${token}`)}` };
    case 'basic-empty-user':
      return { authorization: `Basic ${b64(`:${token}`)}` };
    case 'cookie-junk':
      return { cookie: 'pd_session=forged; pd_session=also-forged' };
    case 'none':
      return {};
    case 'bearer-empty':
      return { authorization: 'Bearer ' };
    case 'bearer-wrong':
      return { authorization: `Bearer ${token}x` };
    case 'bearer-lowercase-scheme':
      return { authorization: `bearer ${token}` };
    case 'bearer-token-twice':
      return { authorization: `Bearer ${token} ${token}` };
    case 'token-without-scheme':
      return { authorization: token };
    case 'basic-no-colon':
      return { authorization: `Basic ${b64(token)}` };
    case 'basic-not-base64':
      return { authorization: 'Basic !!!%%%***' };
    case 'basic-wrong-password':
      return { authorization: `Basic ${b64('fuzz:pd_wrong')}` };
    case 'basic-unicode':
      return { authorization: latin1(`Basic ${b64(`ü😀:${token}`)}é`) };
    case 'digest':
      return { authorization: 'Digest username="a", realm="b", nonce="c", uri="/", response="d"' };
    case 'huge':
      return { authorization: `Bearer ${'A'.repeat(4_000)}` };
    case 'unicode':
      return { authorization: latin1(`Bearer ${token}😀`) };
  }
}

export function hostHeader(host: HostCase, port: number): { headers: Record<string, string>; noHost: boolean } {
  const value: Record<Exclude<HostCase, 'none'>, string> = {
    ok: `127.0.0.1:${port}`,
    localhost: `localhost:${port}`,
    ipv6: `[::1]:${port}`,
    evil: 'evil.example',
    'evil-with-port': `evil.example:${port}`,
    'no-port': '127.0.0.1',
    'wrong-port': `127.0.0.1:${port === 1 ? 2 : 1}`,
    suffix: `localhost.evil.example:${port}`,
    unicode: latin1(`lоcalhost:${port}`),
  };
  return host === 'none' ? { headers: {}, noHost: true } : { headers: { host: value[host] }, noHost: false };
}

const ACCEPTED_AUTH = new Set<AuthCase>(['bearer', 'coder-session-token', 'basic', 'basic-empty-user', 'bearer-lowercase-scheme']);
/** Base64 decoding skips characters outside its alphabet, so a Basic header with stray bytes may still carry the token. */
const EITHER_AUTH = new Set<AuthCase>(['basic-unicode']);
const BAD_HOSTS = new Set<HostCase>(['evil', 'evil-with-port', 'no-port', 'wrong-port', 'suffix', 'unicode', 'none']);

/**
 * Whether a request target is outside normal form, which the server refuses with 400 before routing: not origin-form,
 * `//`, a backslash, an encoded `/` or `\`, a percent-encoded unreserved character, bad percent-encoding or UTF-8, a
 * control character, or a `.`/`..` segment once decoded. Written from the rule, independently of the server's code.
 */
export function isMalformedTarget(rawPath: string): boolean {
  const path = rawPath.split('?')[0] ?? '';
  if (!path.startsWith('/') || path.includes('//') || path.includes('\\')) return true;
  for (const [, hex = ''] of path.matchAll(/%([0-9a-fA-F]{2})/g)) {
    const char = String.fromCharCode(parseInt(hex, 16));
    if (/[A-Za-z0-9\-._~/\\]/.test(char)) return true;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return true;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(decoded)) return true;
  return decoded.split('/').some((segment) => segment === '.' || segment === '..');
}

/** Routes that answer without auth: health and the browser login (every other route, matched or not, needs a token). */
function isPublicRoute(method: string, path: string): boolean {
  const bare = path.replace(/\/$/, '');
  return (
    (bare === '/api/v1/health' && (method === 'GET' || method === 'HEAD')) ||
    (bare === '/api/v1/session' && (method === 'POST' || method === 'DELETE'))
  );
}

/**
 * What the guard must answer before any route runs: 400 for a request target outside normal form, 403 for a Host that
 * is not loopback with the server's port (DNS rebinding) or an Origin not on the allow-list, then 401 without a valid
 * token (except the public routes: deny by default, unmatched paths included); null when the guard lets it through.
 */
export function expectedGuardStatus(fuzz: FuzzCase, rawPath: string): 400 | 401 | 403 | null {
  if (isMalformedTarget(rawPath)) return 400;
  if (BAD_HOSTS.has(fuzz.host)) return 403;
  if (fuzz.headers.origin !== undefined) return 403;
  const path = rawPath.split('?')[0] ?? '';
  if (isPublicRoute(fuzz.method, path) || ACCEPTED_AUTH.has(fuzz.auth) || EITHER_AUTH.has(fuzz.auth)) return null;
  return 401;
}
