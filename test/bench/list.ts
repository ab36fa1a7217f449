/**
 * The list as the GUI uses it, against a floor doing the same work with the best indexes (floors/list-server.ts):
 *
 *   list_sorted_100k_p50_ratio  the GUI's query (sort=name, order=asc, limit=200) at random page offsets, 100k stored
 *   search_100k_p50_ms_ratio    the same query with a random 3–6 character search (what a user types), 100k stored
 *   list_miss_p99_ratio         pages no cache holds (every request another offset), 10k stored: p99
 *
 * Ours is `provider-desk serve`; both sides get the same requests in the same order from wrk over one keep-alive
 * connection, in alternating rounds, and the figure is the median of the rounds' ratios. Before measuring, the floor's
 * answers are checked to be byte for byte ours.
 */
import { floorCopy, store } from './datasets.js';
import { benchProviderInput, log, median, type Endpoint, assertSameBody, capture, type Figure } from './lib.js';
import { RUN_TS, childEnv, floorPath, startServe, startServer, type Server } from './processes.js';
import { pairedRounds, type PairedRounds } from './wrk.js';

const PAGE = 200;

/** The URL of the GUI's list request (src-renderer/src/stores/providers-store.ts through its HTTP transport). */
export function guiListPath(offset: number, search = ''): string {
  const query = new URLSearchParams();
  if (search) query.set('search', search);
  for (const [key, value] of Object.entries({ sort: 'name', order: 'asc', limit: String(PAGE), offset: String(offset) }))
    query.set(key, value);
  return `/api/v1/providers?${query}`;
}

/** A small deterministic PRNG (mulberry32), so every run sends the same requests. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Every page of the list in a random order: each path once per cycle, so a page cache (LRU) never holds the next one. */
export function sortedPagePaths(providers: number): string[] {
  const pages = Array.from({ length: Math.ceil(providers / PAGE) }, (_, i) => i * PAGE);
  return shuffled(pages, random(1)).map((offset) => guiListPath(offset));
}

/** Offsets 0, 1, 2 … in a random order: thousands of distinct pages, so no request is answered from a cache. */
export function missPaths(providers: number): string[] {
  const offsets = Array.from({ length: providers - PAGE + 1 }, (_, i) => i);
  return shuffled(offsets, random(2)).map((offset) => guiListPath(offset));
}

/**
 * Distinct searches a user might type: 3–6 characters of a random provider's name or display name (trimmed, as the
 * GUI sends them), the GUI's query around them, first page.
 */
export function searchPaths(providers: number, count = 4000): string[] {
  const next = random(3);
  const seen = new Set<string>();
  for (let attempt = 0; seen.size < count && attempt < count * 20; attempt++) {
    const input = benchProviderInput(Math.floor(next() * providers));
    const source = next() < 0.5 ? input.name : (input.display_name ?? input.name);
    const length = 3 + Math.floor(next() * 4);
    const start = Math.floor(next() * Math.max(1, source.length - length + 1));
    const text = source.slice(start, start + length).trim();
    if (text.length >= 3) seen.add(text);
  }
  return [...seen].map((text) => guiListPath(0, text));
}

interface Sides {
  ours: Server & { token: string };
  floor: Server;
  auth: Record<string, string>;
}

/** `serve` over the store, and the floor over its own copy of it with ours' response headers. */
async function startSides(providers: number): Promise<Sides> {
  const [dir, copy] = await Promise.all([store(providers), floorCopy(providers)]);
  const ours = await startServe(dir);
  try {
    const auth = { authorization: `Bearer ${ours.token}` };
    const { headers } = await capture({ url: ours.url + guiListPath(0), headers: auth });
    const floor = await startServer(
      'the list floor',
      process.execPath,
      [RUN_TS, floorPath('list-server.ts'), copy, JSON.stringify(headers)],
      {
        ...childEnv(),
        PD_FLOOR_TOKEN: ours.token,
      },
    );
    return { ours, floor, auth };
  } catch (error) {
    await ours.stop();
    throw error;
  }
}

/** The floor must answer these paths with ours' bytes (a different answer would be a different amount of work). */
async function checkSameWork(sides: Sides, paths: string[]): Promise<void> {
  for (const path of paths) {
    const at = (origin: string): Endpoint => ({ url: origin + path, headers: sides.auth });
    await assertSameBody(at(sides.ours.url), at(sides.floor.url));
  }
}

function latencyFigure(key: string, label: string, rounds: PairedRounds, pick: 'p50' | 'p99', target: number, note: string): Figure {
  const ratios = rounds.ours.map((run, i) => run[pick] / (rounds.floor[i] as { p50: number; p99: number })[pick]);
  const requests = (runs: Array<{ requests: number }>) => runs.reduce((sum, run) => sum + run.requests, 0);
  return {
    key,
    label,
    ours: median(rounds.ours.map((run) => run[pick])),
    baseline: median(rounds.floor.map((run) => run[pick])),
    unit: 'ms',
    value: median(ratios),
    target: { op: '<=', value: target },
    note: `${note}; ${requests(rounds.ours)} requests ours, ${requests(rounds.floor)} floor in ${rounds.ours.length} alternating rounds (ratio: median round)`,
  };
}

export async function listFigures100k(want: (key: string) => boolean, providers = 100_000): Promise<Figure[]> {
  log(`list: ${providers} providers — serve and the floor (index and trigram table built on its copy)…`);
  const sides = await startSides(providers);
  const figures: Figure[] = [];
  try {
    const sorted = sortedPagePaths(providers);
    const searches = searchPaths(providers);
    await checkSameWork(sides, [sorted[0] as string, sorted[sorted.length - 1] as string, ...searches.slice(0, 5)]);
    const common = { headers: sides.auth, connections: 1 };
    if (want('list_sorted_100k_p50_ratio')) {
      log('list: sorted pages at random offsets…');
      const rounds = await pairedRounds(
        { ...common, origin: sides.ours.url, paths: sorted },
        { ...common, origin: sides.floor.url, paths: sorted },
        { rounds: 3, seconds: 3, stride: 97 },
      );
      figures.push(
        latencyFigure(
          'list_sorted_100k_p50_ratio',
          `GUI list page (sort=name, ${PAGE}), ${providers / 1000}k, p50 (ms)`,
          rounds,
          'p50',
          1.5,
          `${sorted.length} pages in random order; floor: (name COLLATE NOCASE, seq) index, same rows and bytes`,
        ),
      );
    }
    if (want('search_100k_p50_ms_ratio')) {
      log('list: searches of 3–6 characters…');
      const rounds = await pairedRounds(
        { ...common, origin: sides.ours.url, paths: searches },
        { ...common, origin: sides.floor.url, paths: searches },
        { rounds: 3, seconds: 3, stride: Math.floor(searches.length / 4) },
      );
      figures.push(
        latencyFigure(
          'search_100k_p50_ms_ratio',
          `GUI search (3–6 chars), ${providers / 1000}k, p50 (ms)`,
          rounds,
          'p50',
          1.5,
          `${searches.length} distinct searches; floor: FTS5 trigram candidates + LIKE, same rows and bytes`,
        ),
      );
    }
  } finally {
    await sides.floor.stop();
    await sides.ours.stop();
  }
  return figures;
}

export async function listMissFigure(providers = 10_000): Promise<Figure> {
  log(`list: uncached pages at ${providers / 1000}k…`);
  const sides = await startSides(providers);
  try {
    const paths = missPaths(providers);
    await checkSameWork(sides, paths.slice(0, 3));
    const common = { headers: sides.auth, connections: 1 };
    const rounds = await pairedRounds(
      { ...common, origin: sides.ours.url, paths },
      { ...common, origin: sides.floor.url, paths },
      { rounds: 4, seconds: 3, stride: Math.floor(paths.length / 5) },
    );
    return latencyFigure(
      'list_miss_p99_ratio',
      `uncached list page, ${providers / 1000}k, p99 (ms)`,
      rounds,
      'p99',
      1.5,
      `GUI query at ${paths.length} distinct offsets, never repeated within a round; floor: indexed SQL, same bytes`,
    );
  } finally {
    await sides.floor.stop();
    await sides.ours.stop();
  }
}
