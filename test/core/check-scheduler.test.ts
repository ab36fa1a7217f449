import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckScheduler, followCheckInterval, type RunSummary, type SchedulerClock } from '../../src-main/core/service/check-scheduler.js';
import { confPreferences, observablePreferences } from '../../src-main/core/preferences.js';
import type { CheckTransition } from '../../src-main/core/contract/operation-schemas.js';
import type { Desk } from '../../src-main/core/desk.js';
import { openTestDesk, tempDir } from '../helpers/desk.js';
import { createHttpServer, type TestServer } from '../fakes/http-server.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const GOOD_KEY = 'sk-proj-scheduled-0123456789abcdef';

/** Timers that fire only when the test moves time on. */
class ManualClock implements SchedulerClock {
  private time = 0;
  private nextId = 1;
  private timers: Array<{ id: number; at: number; callback: () => void }> = [];

  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, at: this.time + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** How long until each pending timer fires. */
  pending(): number[] {
    return this.timers.map((t) => t.at - this.time);
  }
  /** Moves time on by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = target;
  }
}

/**
 * OpenAI's model list as the real service answers it (the key is required; a wrong one gets 401 invalid_api_key),
 * counting the requests in flight. `hold()` keeps answers back until `release()`; `revoke()` makes the good key wrong.
 */
async function startGauge(options: { delayMs?: number; hold?: boolean } = {}) {
  let inFlight = 0;
  let maxInFlight = 0;
  let total = 0;
  let held: Array<() => void> = [];
  let holding = options.hold ?? false;
  let revoked = false;
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    inFlight -= 1;
    if (revoked || req.headers.authorization !== `Bearer ${GOOD_KEY}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' }] }));
  };
  const server: TestServer = await createHttpServer((req, res) => {
    total += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    if (holding) held.push(() => answer(req, res));
    else setTimeout(() => answer(req, res), options.delayMs ?? 0);
  });
  return {
    baseUrl: `${server.url}/v1`,
    maxInFlight: () => maxInFlight,
    total: () => total,
    hold() {
      holding = true;
    },
    revoke() {
      revoked = true;
    },
    release() {
      holding = false;
      const waiting = held;
      held = [];
      waiting.forEach((go) => go());
    },
    close: () => server.close(),
  };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function desk(): Desk {
  const opened = openTestDesk();
  cleanups.push(() => opened.close());
  return opened;
}

function scheduler(target: Desk, clock: SchedulerClock, options: ConstructorParameters<typeof CheckScheduler>[1] = {}) {
  const created = new CheckScheduler(
    { providers: target.providers, health: target.health, transitions: target.checkTransitions },
    { clock, ...options },
  );
  cleanups.push(() => created.stop());
  return created;
}

function addProvider(target: Desk, name: string, baseUrl: string, keys: Array<{ name: string; value: string }>) {
  return target.providers.create({ name, type: 'openai', base_url: baseUrl, api_keys: keys });
}

/** Resolves with the next finished run; fires `trigger` after listening. */
async function nextRun(s: CheckScheduler, trigger: () => void): Promise<RunSummary> {
  const finished = once(s.events, 'runFinished') as Promise<[RunSummary]>;
  trigger();
  return (await finished)[0];
}

function collect(s: CheckScheduler) {
  const failing: CheckTransition[] = [];
  const recovered: CheckTransition[] = [];
  s.events.on('keyStartedFailing', (t) => failing.push(t));
  s.events.on('keyRecovered', (t) => recovered.push(t));
  return { failing, recovered };
}

describe('scheduled checks', () => {
  it('first runs after a random delay of at most the cap, then at the interval ± the jitter, never before a run ends', async () => {
    const gauge = await startGauge();
    cleanups.push(() => gauge.close());
    const target = desk();
    addProvider(target, 'openai', gauge.baseUrl, [{ name: 'main', value: GOOD_KEY }]);
    const clock = new ManualClock();
    const s = scheduler(target, clock, { intervalMs: 60_000, jitter: 0.1, maxInitialDelayMs: 30_000 });

    const [first] = clock.pending();
    expect(clock.pending()).toHaveLength(1);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(30_000);

    const waits: number[] = [];
    await nextRun(s, () => clock.advance(first!));
    for (let run = 0; run < 6; run++) {
      expect(clock.pending()).toHaveLength(1);
      const wait = clock.pending()[0]!;
      waits.push(wait);
      await nextRun(s, () => clock.advance(wait));
    }
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(54_000);
      expect(wait).toBeLessThanOrEqual(66_000);
    }
    expect(new Set(waits).size).toBeGreaterThan(1);
    expect(gauge.total()).toBe(7);
  });

  it('puts the jitter at both ends of its range', async () => {
    const target = desk();
    const clock = new ManualClock();
    const draws = [0, 0, 0.999999];
    const s = scheduler(target, clock, { intervalMs: 100_000, jitter: 0.1, random: () => draws.shift() ?? 0.5 });
    expect(clock.pending()).toEqual([0]);
    await nextRun(s, () => clock.advance(0));
    expect(clock.pending()).toEqual([90_000]);
    await nextRun(s, () => clock.advance(90_000));
    expect(clock.pending()[0]).toBeCloseTo(110_000, -1);
  });

  it('tests at most `concurrency` providers at once, as the upstream counts them', async () => {
    const gauge = await startGauge({ delayMs: 150 });
    cleanups.push(() => gauge.close());
    const target = desk();
    for (let i = 0; i < 10; i++) addProvider(target, `openai-${i}`, gauge.baseUrl, [{ name: 'main', value: GOOD_KEY }]);
    const s = scheduler(target, new ManualClock(), { concurrency: 3 });
    const summary = await s.runNow();
    expect(summary).toMatchObject({ total: 10, passed: 10, failed: 0 });
    expect(gauge.total()).toBe(10);
    expect(gauge.maxInFlight()).toBe(3);
  });

  it('never runs twice at once: a second request joins the run in flight, and time passing during it starts nothing', async () => {
    const gauge = await startGauge({ hold: true });
    cleanups.push(() => gauge.close());
    const target = desk();
    addProvider(target, 'openai', gauge.baseUrl, [{ name: 'main', value: GOOD_KEY }]);
    const clock = new ManualClock();
    const s = scheduler(target, clock, { intervalMs: 1000, maxInitialDelayMs: 0 });
    clock.advance(0);
    expect(s.running).toBe(true);
    const joined = s.runNow();
    expect(s.runNow()).toBe(joined);
    await until(() => gauge.total() === 1);
    clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gauge.total()).toBe(1);
    expect(clock.pending()).toEqual([]);
    gauge.release();
    await joined;
    expect(s.running).toBe(false);
    expect(clock.pending()).toHaveLength(1);
    expect(gauge.total()).toBe(1);
  });

  it('announces a key that goes from working to 401 exactly once, and its recovery once; untested keys are not news', async () => {
    const fake: FakeProvider = await startFakeProvider('openai', { keys: [GOOD_KEY] });
    cleanups.push(() => fake.close());
    const target = desk();
    addProvider(target, 'openai', fake.baseUrl, [
      { name: 'main', value: GOOD_KEY },
      { name: 'never-worked', value: 'sk-proj-wrong-0123456789abcdef' },
    ]);
    const s = scheduler(target, new ManualClock());
    const seen = collect(s);

    await s.runNow();
    await s.runNow();
    expect(seen.failing).toEqual([]);

    fake.keys.splice(0); // the provider revokes the key
    const broke = await s.runNow();
    await s.runNow();
    expect(seen.failing).toHaveLength(1);
    expect(broke.transitions).toHaveLength(1);
    const failing = seen.failing[0]!;
    expect(failing).toMatchObject({
      kind: 'key_started_failing',
      provider: 'openai',
      key_name: 'main',
      result: { ok: false, http_status: 401, error_class: 'auth_failed' },
    });
    expect(failing.message).toBe("Key 'main' of openai stopped working: 401 — the key was rejected");
    expect(JSON.stringify(failing)).not.toContain(GOOD_KEY);

    fake.keys.push(GOOD_KEY);
    await s.runNow();
    await s.runNow();
    expect(seen.failing).toHaveLength(1);
    expect(seen.recovered).toHaveLength(1);
    expect(seen.recovered[0]).toMatchObject({ kind: 'key_recovered', key_name: 'main', message: "Key 'main' of openai works again" });

    // The same transitions, oldest first, through the contract (what the browser GUI polls).
    const recent = await target.dispatch('checks.recent', {}, { transport: 'http' });
    expect(recent.ok && recent.data.events.map((e) => e.kind)).toEqual(['key_started_failing', 'key_recovered']);
    const after = await target.dispatch('checks.recent', { after: recent.ok ? recent.data.cursor : '' }, { transport: 'http' });
    expect(after.ok && after.data.events).toEqual([]);
    const bad = await target.dispatch('checks.recent', { after: 'yesterday' }, { transport: 'http' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: [{ path: 'after' }] } });
  });

  it('stop() waits for the run in flight, and announces what it found before returning', async () => {
    const fake = await startFakeProvider('openai', { keys: [GOOD_KEY], delayMs: 300 });
    cleanups.push(() => fake.close());
    const target = desk();
    addProvider(target, 'openai', fake.baseUrl, [{ name: 'main', value: GOOD_KEY }]);
    const clock = new ManualClock();
    const s = scheduler(target, clock, { intervalMs: 1000, maxInitialDelayMs: 0 });
    const seen = collect(s);
    await nextRun(s, () => clock.advance(0));
    fake.keys.splice(0);
    const finished: RunSummary[] = [];
    s.events.on('runFinished', (summary) => finished.push(summary));
    clock.advance(clock.pending()[0]!);
    expect(s.running).toBe(true);
    await s.stop();
    expect(s.running).toBe(false);
    expect(finished).toHaveLength(1);
    expect(seen.failing).toHaveLength(1);
    expect(clock.pending()).toEqual([]);
    s.configure(1000);
    expect(clock.pending()).toEqual([]);
    await expect(s.runNow()).rejects.toThrow(/stopped/);
  });

  it('stop() gives up after its bound, and a run that ends later stores its results but announces nothing', async () => {
    const gauge = await startGauge();
    cleanups.push(() => gauge.close());
    const target = desk();
    addProvider(target, 'openai', gauge.baseUrl, [{ name: 'main', value: GOOD_KEY }]);
    const clock = new ManualClock();
    const s = scheduler(target, clock, { intervalMs: 1000, maxInitialDelayMs: 0, stopTimeoutMs: 5000 });
    const seen = collect(s);
    await nextRun(s, () => clock.advance(0));
    // The provider revokes the key, and answers only once stop() has given up.
    gauge.revoke();
    gauge.hold();
    clock.advance(clock.pending()[0]!);
    await until(() => gauge.total() === 2);

    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    clock.advance(5000);
    await stopping;
    expect(s.running).toBe(true);

    const latest = async () => {
      const checks = await target.dispatch('providers.checks', { idOrName: 'openai' }, { transport: 'http' });
      return checks.ok ? checks.data.checks[0] : undefined;
    };
    expect(await latest()).toMatchObject({ ok: true });
    gauge.release();
    await until(() => !s.running);
    expect(await latest()).toMatchObject({ ok: false, http_status: 401 });
    expect(seen.failing).toEqual([]);
    expect(clock.pending()).toEqual([]);
  });

  it('follows the interval preference: on, changed, off, and a hand-edited bad value counts as off', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const preferences = observablePreferences(confPreferences(dir.path));
    const target = desk();
    const clock = new ManualClock();
    const s = scheduler(target, clock, { maxInitialDelayMs: 60_000 });
    const unfollow = followCheckInterval(preferences, s);
    cleanups.push(unfollow);
    expect(s.interval).toBe(0);
    expect(clock.pending()).toEqual([]);

    preferences.set('checkIntervalMinutes', 15);
    expect(s.interval).toBe(15 * 60_000);
    expect(clock.pending()).toHaveLength(1);
    expect(clock.pending()[0]).toBeLessThanOrEqual(60_000);

    preferences.set('checkIntervalMinutes', 60);
    expect(s.interval).toBe(60 * 60_000);
    expect(clock.pending()).toHaveLength(1);

    preferences.set('checkIntervalMinutes', 0);
    expect(clock.pending()).toEqual([]);

    // Preferences refuse to write a bad value; one edited into preferences.json by hand counts as off.
    preferences.set('checkIntervalMinutes', 15);
    expect(() => preferences.set('checkIntervalMinutes', -5)).toThrow(/checkIntervalMinutes/);
    const file = join(dir.path, 'preferences.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), checkIntervalMinutes: -5 }));
    cleanups.push(followCheckInterval(preferences, s));
    expect(s.interval).toBe(0);
    preferences.set('theme', 'dark');
    expect(clock.pending()).toEqual([]);
  });

  it('stores the interval through preferences.update, refusing values out of range with the field named', async () => {
    const target = desk();
    const ctx = { transport: 'http' as const };
    expect(await target.dispatch('preferences.get', {}, ctx)).toMatchObject({ ok: true, data: { checkIntervalMinutes: 0 } });
    expect(await target.dispatch('preferences.update', { checkIntervalMinutes: 15 }, ctx)).toMatchObject({
      ok: true,
      data: { checkIntervalMinutes: 15 },
    });
    expect(target.preferences.get('checkIntervalMinutes')).toBe(15);
    for (const bad of [-1, 2.5, 100_000, '15']) {
      expect(await target.dispatch('preferences.update', { checkIntervalMinutes: bad }, ctx)).toMatchObject({
        ok: false,
        error: { code: 'validation_failed', fields: [{ path: 'checkIntervalMinutes' }] },
      });
    }
    expect(target.preferences.get('checkIntervalMinutes')).toBe(15);
  });
});
