/**
 * Memory of `provider-desk serve` (VmRSS from /proc; no forced GC: what a user's process holds):
 *
 *   rss_mb_10k            after listing all 10,000 providers page by page (baseline column: the same over an empty store)
 *   rss_models_growth_mb  growth while a 5,000-model list is served at ~100 requests/s for 15 s: the highest RSS seen
 *                         minus the RSS after the first answer (the baseline column)
 */
import { request } from 'undici';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDataDir, store } from './datasets.js';
import { log, openBenchDesk, type Figure } from './lib.js';
import { startServe } from './processes.js';
import type { ModelRow } from '../../src-main/core/store/rows.js';

async function getJson(url: string, token: string): Promise<unknown> {
  const response = await request(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.body.json();
  if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
  return body;
}

/** `serve`'s RSS while `work` runs, sampled every 100 ms: the highest seen (the RSS once it ended included) and the last. */
export async function rssDuring(server: { rssMb(): number }, work: () => Promise<void>): Promise<{ highest: number; last: number }> {
  let highest = server.rssMb();
  const sampler = setInterval(() => (highest = Math.max(highest, server.rssMb())), 100);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const last = server.rssMb();
  return { highest: Math.max(highest, last), last };
}

/** A growth figure of `serve`'s RSS: the highest seen minus `baseline` (the baseline column), at most 50 MB. */
export function rssGrowthFigure(key: string, label: string, baseline: number, highest: number, note: string): Figure {
  const growth = highest - baseline;
  return { key, label, ours: growth, baseline, unit: 'MB', value: growth, absolute: true, target: { op: '<=', value: 50 }, note };
}

/** Starts `serve` over dataDir, lists every page with `pageSize`, and returns the server's RSS afterwards. */
async function serveAndList(dataDir: string, pageSize: number): Promise<{ rss: number; listed: number }> {
  const server = await startServe(dataDir);
  try {
    let listed = 0;
    for (let offset = 0; ; offset += pageSize) {
      const page = (await getJson(`${server.url}/api/v1/providers?limit=${pageSize}&offset=${offset}`, server.token)) as {
        items: unknown[];
        total: number;
      };
      listed += page.items.length;
      if (offset + pageSize >= page.total) break;
    }
    // Let the allocator settle after the last response.
    await sleep(500);
    return { rss: server.rssMb(), listed };
  } finally {
    await server.stop();
  }
}

export async function rss10k(providers = 10_000, pageSize = 100): Promise<Figure> {
  log(`rss: serve over an empty store, then over ${providers} providers…`);
  const empty = freshDataDir('rss-empty');
  await openBenchDesk(empty).close();
  const baseline = await serveAndList(empty, pageSize);
  const ours = await serveAndList(await store(providers), pageSize);
  if (ours.listed !== providers) throw new Error(`listed ${ours.listed} of ${providers}`);
  return {
    key: 'rss_mb_10k',
    label: `serve RSS after listing ${providers / 1000}k (MB)`,
    ours: ours.rss,
    baseline: baseline.rss,
    unit: 'MB',
    value: ours.rss,
    absolute: true,
    target: { op: '<=', value: 200 },
    note: `VmRSS of \`provider-desk serve\` after ${providers / pageSize} pages of ${pageSize}; baseline = same over an empty store; the target applies to ours`,
  };
}

/** A store with one provider holding `count` stored models (as a refresh stores them). */
async function modelsStore(count: number): Promise<string> {
  const dir = freshDataDir('rss-models');
  const desk = openBenchDesk(dir);
  try {
    const provider = desk.providers.create({
      name: 'many-models',
      type: 'openai',
      api_keys: [{ value: 'sk-bench-models-0123456789abcdef' }],
    });
    const fetchedAt = new Date().toISOString();
    const models: ModelRow[] = Array.from({ length: count }, (_, i) => ({
      provider_id: provider.id,
      model_id: `bench-model-${String(i).padStart(5, '0')}`,
      key_id: null,
      display_name: `Bench model ${i}`,
      capabilities: JSON.stringify(['chat', 'tools']),
      context_window: 128_000,
      owned_by: 'bench',
      fetched_at: fetchedAt,
    }));
    desk.repo.transaction(() => desk.repo.replaceModels(provider.id, models));
  } finally {
    await desk.close();
  }
  return dir;
}

export async function rssModelsGrowth(models = 5000, perSecond = 100, seconds = 15): Promise<Figure> {
  log(`rss: serve answering a ${models}-model list ~${perSecond}/s for ${seconds} s…`);
  const server = await startServe(await modelsStore(models));
  try {
    const url = `${server.url}/api/v1/providers/many-models/models`;
    const first = (await getJson(url, server.token)) as { models: unknown[] };
    if (first.models.length !== models) throw new Error(`the model list has ${first.models.length} models, not ${models}`);
    await sleep(200);
    const baseline = server.rssMb();
    let served = 0;
    // Two clients, each on its own schedule (a slow answer delays only its own next request; a missed slot is skipped).
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const interval = 2000 / perSecond;
    const client = async (phase: number): Promise<void> => {
      for (let due = started + phase; performance.now() < deadline; due = Math.max(due + interval, performance.now())) {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        await getJson(url, server.token);
        served++;
      }
    };
    const { highest, last } = await rssDuring(server, async () => {
      await Promise.all([client(0), client(interval / 2)]);
    });
    const elapsed = (performance.now() - started) / 1000;
    return rssGrowthFigure(
      'rss_models_growth_mb',
      `serve RSS growth, ${models / 1000}k-model list repeated (MB)`,
      baseline,
      highest,
      `${served} answers in ${elapsed.toFixed(0)} s (${(served / elapsed).toFixed(0)}/s); RSS after the first answer ${baseline.toFixed(0)} MB (baseline column), highest ${highest.toFixed(0)} MB, at the end ${last.toFixed(0)} MB`,
    );
  } finally {
    await server.stop();
  }
}
