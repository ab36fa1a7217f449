/**
 * Fuzzing every route of every surface against a real server over a real store: adversarial paths, query strings,
 * headers and bodies. Whatever is sent, the server answers below 500, in JSON, in the error shape of the surface that
 * owns the path; a rejected request leaves the store exactly as it was; a foreign Host or Origin is refused (403) and a
 * request without a valid token never gets past the guard (401), however odd its path or headers.
 *
 * Routes come from the live Fastify route table, so routes added later are fuzzed without touching this file.
 * Reproduce a failure with the same seed: FUZZ_SEED=<seed> FUZZ_RUNS=<n> FUZZ_ONLY='<METHOD /pattern>' npx vitest run
 * test/reliability/fuzz.test.ts (FUZZ_REPORT=1 prints every route fuzzed with its status counts).
 */
import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { createRawClient, type RawClient, type RawResponse } from './helpers/raw-http.js';
import { errorShapeProblem, liveRoutes, SURFACES, surfaceForPath, type Route, type Surface } from './helpers/routes.js';
import { offlineProbeEngine, snapshotDiff, storeSnapshot } from './helpers/store.js';
import {
  authHeaders,
  bodyBytes,
  caseArb,
  hostHeader,
  DEEP_NESTING,
  deepObjectText,
  expectedGuardStatus,
  MALFORMED_SEGMENTS,
  PARSER_REFUSED,
  pathOf,
  unknownPathArb,
  type FuzzCase,
  type SeedPool,
} from './helpers/fuzz-cases.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** Only fuzz routes whose "METHOD pattern" contains this text (for reproducing one failure). */
const ONLY = process.env.FUZZ_ONLY ?? '';
/** Routes whose handler probes a provider: a failed test is a 4xx that still records health (status, last check). */
const PROBE_ROUTE = /\/(test|models|refresh|refresh-models|test-all)$/;
const BODY_LIMIT = 1024 * 1024;

const SEED_PROVIDERS: Array<Record<string, unknown>> = [
  {
    name: 'fz-ok-openai',
    type: 'openai',
    base_url: 'http://127.0.0.1:9/v1',
    api_keys: [
      { name: 'main', value: 'sk-fz-seed-main-0000000000' },
      { name: 'backup', value: 'env.FZ_SEED_KEY' },
    ],
  },
  {
    name: 'fz-anthropic',
    type: 'anthropic',
    base_url: 'http://127.0.0.1:9',
    api_keys: [{ name: 'main', value: 'sk-ant-fz-seed-00000000' }],
  },
  {
    name: 'fz-ok-bedrock',
    type: 'bedrock',
    settings: { region: 'us-east-1', access_key: 'AKIAFZSEEDEXAMPLE000', access_key_secret: 'fz-seed-secret-0000000000' },
  },
  { name: 'fz-ok-ollama', type: 'ollama', base_url: 'http://127.0.0.1:9' },
  {
    name: 'fz-ok-compat',
    type: 'openai-compat',
    base_url: 'http://127.0.0.1:9/v1',
    api_keys: [{ name: 'k', value: 'sk-fz-compat-000000' }],
  },
];

let server: TestServer;
let client: RawClient;
let routes: Route[] = [];
const pool: SeedPool = { names: [], ids: [], seqs: [], keyIds: [], keyNames: [] };
const coverage = new Map<string, { runs: number; statuses: Map<number, number> }>();
const prototypeBaseline = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/** Puts back any seeded provider a fuzzed DELETE removed, and refreshes the ids paths can point at. */
async function ensureSeed(): Promise<void> {
  for (const input of SEED_PROVIDERS) {
    if (server.desk.repo.nameExists(String(input.name))) continue;
    const created = await server.desk.dispatch('providers.create', input, { transport: 'ipc' });
    if (!created.ok) throw new Error(`seeding ${String(input.name)} failed: ${created.error.message}`);
  }
  const rows = server.desk.repo.allProviders();
  const seedNames = new Set(SEED_PROVIDERS.map((p) => String(p.name)));
  const ordered = [...rows.filter((r) => seedNames.has(r.name)), ...rows.filter((r) => !seedNames.has(r.name)).slice(0, 20)];
  pool.names = ordered.map((r) => r.name);
  pool.ids = ordered.map((r) => r.id);
  pool.seqs = ordered.map((r) => r.seq);
  const keys = ordered.flatMap((r) => server.desk.repo.keysOf(r.id));
  pool.keyIds = keys.map((k) => k.id);
  pool.keyNames = keys.map((k) => k.name);
}

function isUpstreamFailure(surface: Surface, status: number, body: unknown, method: string, path: string): boolean {
  if (status !== 502) return false;
  // A HEAD answer has no body to name the cause: a 502 of a route that reaches the provider is its GET's upstream failure.
  if (method === 'HEAD' && body === undefined) return surface === 'native' && PROBE_ROUTE.test(path.split('?')[0] ?? '');
  const b = body as { error?: { code?: unknown; message?: unknown }; is_bifrost_error?: unknown } | undefined;
  if (surface === 'native') return b?.error?.code === 'upstream_failed';
  return surface === 'bifrost' && b?.is_bifrost_error === false;
}

function jsonLinesProblem(text: string, sse: boolean): string | null {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (const line of lines) {
    if (sse && !line.startsWith('data: ')) continue;
    try {
      JSON.parse(sse ? line.slice(6) : line);
    } catch {
      return `stream line is not JSON: ${line.slice(0, 200)}`;
    }
  }
  return null;
}

/** What is wrong with an answer, whatever the request was. */
function responseProblems(method: string, path: string, res: RawResponse): string[] {
  const problems: string[] = [];
  const surface = surfaceForPath(path);
  if (res.status >= 500 && !isUpstreamFailure(surface, res.status, res.json, method, path)) problems.push(`answered ${res.status}`);
  if (res.headers['access-control-allow-origin'] === '*') problems.push('CORS allows any origin');
  if (res.headers['x-content-type-options'] !== 'nosniff') problems.push('x-content-type-options: nosniff is missing');
  // A frame: `at fn (/path/file.js:1:2)` or `at /path/file.js:1:2` — a location never spans whitespace (prose such as
  // "at once … 08:00:00" in the OpenAPI document is not one).
  if (/\bat (?:[^\s()]+ ){0,3}\(?(?:file:\/\/)?\/[^\s()]*:\d+:\d+\)?/.test(res.text)) problems.push('the body carries a stack trace');
  if (method === 'HEAD' || res.status === 204 || res.status === 304) {
    if (res.text !== '') problems.push(`a ${method} ${res.status} answer has a body`);
    return problems;
  }
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('application/x-ndjson') || type.startsWith('text/event-stream')) {
    const problem = jsonLinesProblem(res.text, type.startsWith('text/event-stream'));
    if (problem) problems.push(problem);
    return problems;
  }
  if (!type.startsWith('application/json')) problems.push(`content-type is "${type}", not JSON`);
  if (!res.isJson) problems.push('the body is not JSON');
  if (res.status >= 400) {
    const shape = errorShapeProblem(surface, res.status, res.json);
    if (shape) problems.push(shape);
  }
  return problems;
}

function prototypeProblem(): string | null {
  const probe: Record<string, unknown> = {};
  if (probe.polluted !== undefined || Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== prototypeBaseline) {
    return 'Object.prototype was polluted';
  }
  return null;
}

/** Sends one fuzzed request and throws with a readable report when any property fails. */
async function exercise(route: Route, fuzz: FuzzCase): Promise<void> {
  const path = pathOf(route, fuzz, pool);
  const ignoreHealth = PROBE_ROUTE.test(route.pattern) || route.pattern === '/unknown';
  const db = server.desk.db;
  const before = storeSnapshot(db, { ignoreHealth });
  const host = hostHeader(fuzz.host, server.server.port);
  const headers = { ...fuzz.headers, ...authHeaders(fuzz.auth, server.desk.token.current()), ...host.headers };
  const res = await client.send({ method: fuzz.method, path, headers, body: bodyBytes(fuzz.body), noHost: host.noHost });

  const id = `${route.method} ${route.pattern}`;
  const entry = coverage.get(id) ?? { runs: 0, statuses: new Map<number, number>() };
  entry.runs += 1;
  entry.statuses.set(res.status, (entry.statuses.get(res.status) ?? 0) + 1);
  coverage.set(id, entry);

  const problems = responseProblems(fuzz.method, path, res);
  const guard = expectedGuardStatus(fuzz, path);
  if (guard !== null && res.status !== guard) {
    problems.push(
      `the guard should answer ${guard} (host ${fuzz.host}, origin ${fuzz.headers.origin ?? 'none'}, auth ${fuzz.auth}), not ${res.status}`,
    );
  }
  if (res.status >= 400 && res.status < 500) {
    const after = storeSnapshot(db, { ignoreHealth });
    if (after !== before) problems.push(`a ${res.status} answer changed the store:\n${snapshotDiff(before, after)}`);
  }
  const pollution = prototypeProblem();
  if (pollution) problems.push(pollution);
  if (problems.length > 0) {
    const sent = bodyBytes(fuzz.body);
    throw new Error(
      [
        `${fuzz.method} ${path.slice(0, 300)} → ${res.status}`,
        ...problems.map((p) => `  - ${p}`),
        `  request headers: ${JSON.stringify(headers).slice(0, 400)}`,
        `  request body: ${sent ? sent.toString('utf8').slice(0, 400) : '(none)'}`,
        `  response body: ${res.text.slice(0, 400)}`,
      ].join('\n'),
    );
  }
}

function seedFor(text: string): number {
  let hash = SEED;
  for (const c of text) hash = (Math.imul(hash, 31) + c.charCodeAt(0)) | 0;
  return hash;
}

/** Runs the property for each route; returns one message per route that failed (all routes run either way). */
async function fuzzRoutes(selected: Route[], runs: number): Promise<string[]> {
  const failures: string[] = [];
  for (const route of selected) {
    await ensureSeed();
    const details = await fc.check(
      fc.asyncProperty(caseArb(route), (fuzz) => exercise(route, fuzz)),
      { numRuns: runs, seed: seedFor(`${route.method} ${route.pattern}`), interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true },
    );
    if (details.failed) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      const example = JSON.stringify(details.counterexample?.[0], (_k, v: unknown) =>
        typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length})` : v,
      );
      failures.push(
        `${route.method} ${route.pattern} (seed ${details.seed}, path ${details.counterexamplePath}):\n${cause}\n  case: ${example}`,
      );
    }
  }
  return failures;
}

beforeAll(async () => {
  server = await startTestServer({ probe: offlineProbeEngine() });
  client = createRawClient(server.server.port);
  routes = liveRoutes(server.server.app);
  await ensureSeed();
});

afterAll(async () => {
  const total = [...coverage.values()].reduce((sum, c) => sum + c.runs, 0);
  console.log(`fuzzed ${coverage.size} routes with ${total} requests (seed ${SEED}, ${RUNS} runs per route; FUZZ_REPORT=1 lists them)`);
  if (process.env.FUZZ_REPORT) {
    const lines = [...coverage.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([id, c]) =>
          `${id.padEnd(58)} ${String(c.runs).padStart(4)} runs  ${[...c.statuses.entries()].map(([s, n]) => `${s}×${n}`).join(' ')}`,
      );
    console.log(lines.join('\n'));
  }
  client?.close();
  await server?.close();
  if (server) rmSync(server.desk.options.dataDir, { recursive: true, force: true });
});

describe('fuzzing every route of every surface', () => {
  it('finds the routes of the native API and of each compatible surface in the live route table', () => {
    const bySurface = new Map<Surface, number>();
    for (const route of routes) bySurface.set(route.surface, (bySurface.get(route.surface) ?? 0) + 1);
    expect(bySurface.get('native') ?? 0).toBeGreaterThanOrEqual(10);
    expect(routes.some((r) => r.pattern === '/api/v1/providers/:idOrName/keys/:keyId')).toBe(true);
    expect(routes.every((r) => r.surface !== 'other')).toBe(true);
  });

  for (const surface of SURFACES) {
    it(`never answers 5xx, always answers JSON in the ${surface} error shape, and rejects without writing (${surface})`, async (ctx) => {
      const selected = routes.filter((r) => r.surface === surface && `${r.method} ${r.pattern}`.includes(ONLY));
      if (selected.length === 0) ctx.skip();
      const failures = await fuzzRoutes(selected, RUNS);
      expect(failures, failures.join('\n\n')).toEqual([]);
    }, 180_000);
  }

  it('answers paths no route serves with a 4xx in the shape of the surface that owns the prefix', async () => {
    const unknown: Route = { method: 'GET', pattern: '/unknown', params: [], surface: 'other' };
    const details = await fc.check(
      fc.asyncProperty(unknownPathArb(), (fuzz) => exercise(unknown, fuzz)),
      { numRuns: RUNS * 2, seed: seedFor('unknown'), interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true },
    );
    expect(details.failed, details.failed ? String(details.errorInstance) : '').toBe(false);
  }, 120_000);

  it('answers a body over the 1 MiB limit with 413 in each surface shape, and one just under it without a 5xx', async () => {
    // The gateway takes LLM requests up to 32 MiB (test/gateway covers its limit).
    const posts = routes.filter(
      (r) => r.method === 'POST' && r.params.length === 0 && r.pattern !== '/api/v1/config/import' && r.surface !== 'gateway',
    );
    const bySurface = new Map<Surface, Route>();
    for (const route of posts) if (!bySurface.has(route.surface)) bySurface.set(route.surface, route);
    for (const route of bySurface.values()) {
      const token = server.desk.token.current();
      const over = Buffer.from(JSON.stringify({ name: 'x', padding: 'p'.repeat(BODY_LIMIT) }));
      const before = storeSnapshot(server.desk.db);
      const res = await client.send({
        method: 'POST',
        path: route.pattern,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: over,
      });
      expect(res.status, `${route.pattern}: ${res.text.slice(0, 200)}`).toBe(413);
      expect(errorShapeProblem(route.surface, res.status, res.json)).toBeNull();
      expect(storeSnapshot(server.desk.db)).toBe(before);
      const under = Buffer.from(JSON.stringify({ padding: 'p'.repeat(BODY_LIMIT - 64) }));
      const ok = await client.send({
        method: 'POST',
        path: route.pattern,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: under,
      });
      expect(ok.status, `${route.pattern}: ${ok.text.slice(0, 200)}`).toBeLessThan(500);
      expect(responseProblems('POST', route.pattern, ok)).toEqual([]);
    }
  });

  it('is still alive and its store intact after the fuzzing', async () => {
    const res = await client.send({ method: 'GET', path: '/api/v1/health', headers: {} });
    expect(res.status).toBe(200);
    expect(server.desk.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(server.desk.db.pragma('foreign_key_check')).toEqual([]);
    expect(prototypeProblem()).toBeNull();
  });
});

/**
 * Requests the router or Node refuse before any hook or route runs. Each surface must still answer in its own shape
 * (and with the same headers as every other answer). These fail until src-main/core/http/server.ts handles them
 * (Fastify's `frameworkErrors` option for FST_ERR_BAD_URL / FST_ERR_MAX_PARAM_LENGTH, `http: { requireHostHeader:
 * false }` so that the Host guard answers a request without Host, and `clientErrorHandler` for what Node's parser
 * refuses, whose `error.rawPacket` still holds the request line and so the path).
 */
describe('requests refused before routing (foundation: server.ts)', () => {
  const withParams = () => {
    const bySurface = new Map<Surface, Route>();
    for (const route of routes) if (route.params.length > 0 && !bySurface.has(route.surface)) bySurface.set(route.surface, route);
    return [...bySurface.values()];
  };

  async function expectSurfaceRejection(
    route: Route,
    path: string,
    extra: { noHost?: boolean; headers?: Record<string, string> } = {},
  ): Promise<string[]> {
    const token = server.desk.token.current();
    const headers = { authorization: `Bearer ${token}`, ...extra.headers };
    let res: RawResponse;
    try {
      res = await client.send({ method: 'GET', path, headers, ...(extra.noHost ? { noHost: true } : {}) });
    } catch (error) {
      return [`${path.slice(0, 120)}: no answer (${String(error)})`];
    }
    const problems = responseProblems('GET', path, res);
    if (res.status < 400 || res.status >= 500) problems.push(`answered ${res.status}`);
    const shown = path.length > 120 ? `${path.slice(0, 100)}…(${path.length} chars)` : path;
    return problems.map((p) => `${shown} → ${res.status}: ${p}`);
  }

  it('answers a path parameter over the router limit (500 characters) with a 4xx in the surface error shape', async () => {
    const problems: string[] = [];
    for (const route of withParams()) {
      for (const segment of MALFORMED_SEGMENTS.filter((s) => s.length > 500)) {
        problems.push(...(await expectSurfaceRejection(route, route.pattern.replace(/:\w+/g, segment))));
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('answers a percent-encoding that is not UTF-8 with a 4xx in the surface error shape', async () => {
    const problems: string[] = [];
    for (const route of withParams()) {
      for (const segment of MALFORMED_SEGMENTS.filter((s) => s.length <= 500)) {
        problems.push(...(await expectSurfaceRejection(route, route.pattern.replace(/:\w+/g, segment))));
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('answers requests the HTTP parser refuses (raw UTF-8 in the path, over 16 KiB of headers) in the surface error shape', async () => {
    const problems: string[] = [];
    for (const route of withParams()) {
      for (const refused of PARSER_REFUSED) {
        const path = route.pattern.replace(/:\w+/g, refused.segment);
        problems.push(...(await expectSurfaceRejection(route, path, { headers: refused.headers })).map((p) => `${refused.label}: ${p}`));
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('answers a request without a Host header with 403 in the surface error shape', async () => {
    const problems: string[] = [];
    for (const route of withParams()) {
      const path = route.pattern.replace(/:\w+/g, 'fz-ok-openai');
      problems.push(...(await expectSurfaceRejection(route, path, { noHost: true })));
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
});

/**
 * JSON nested 10 000 levels deep is 60 KB, well within the body limit, and JSON.parse takes it; the service then
 * stores it with a recursive JSON.stringify (provider-writer.ts settingsJson, the key_config writer) and overflows the
 * stack: a RangeError answered 500. Fails until the depth is bounded (best in one place, e.g. the server's JSON parser
 * answering 400 past some 64 levels, which also covers the CLI-less surfaces; or in the contract's schemas).
 */
describe(`deeply nested JSON, ${DEEP_NESTING} levels (foundation: service/provider-writer.ts)`, () => {
  it('answers a deep settings or key_config block on the native write routes with a 4xx and writes nothing', async () => {
    await ensureSeed();
    const deep = deepObjectText(DEEP_NESTING);
    const cases: Array<[string, string, string]> = [
      ['POST', '/api/v1/providers', `{"name":"fz-deep","type":"openai","settings":{"x":${deep}}}`],
      ['PATCH', '/api/v1/providers/fz-ok-openai', `{"settings":{"x":${deep}}}`],
      ['POST', '/api/v1/providers/fz-ok-openai/keys', `{"name":"deep","value":"sk-deep-0000000000","key_config":{"x":${deep}}}`],
      ['PATCH', '/api/v1/providers/fz-ok-openai/keys/main', `{"key_config":{"x":${deep}}}`],
    ];
    const problems: string[] = [];
    for (const [method, path, body] of cases) {
      const before = storeSnapshot(server.desk.db);
      const res = await client.send({
        method,
        path,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.desk.token.current()}` },
        body,
      });
      const issues = responseProblems(method, path, res);
      if (res.status < 400) issues.push(`accepted with ${res.status}`);
      if (storeSnapshot(server.desk.db) !== before) issues.push('the store changed');
      problems.push(...issues.map((issue) => `${method} ${path} → ${res.status} ${res.text.slice(0, 120)}: ${issue}`));
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
