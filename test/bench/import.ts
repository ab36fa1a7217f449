/**
 * Imports of a config.json (Bifrost's format, as `config.export --secrets plain` writes it):
 *
 *   import_10k_ratio         config.import of 10,000 providers into a fresh store through the service ÷ inserting the
 *                            same rows (providers and keys, secrets sealed by the vault) in one raw better-sqlite3
 *                            transaction into another fresh store
 *   import_100k_peak_rss_mb  peak RSS of `provider-desk import config.json` with 100,000 providers into a fresh store
 *                            (getrusage's maxrss, written at exit by peak-rss.mjs) — bounded at 250 MB, the file being
 *                            read as the import needs it; the baseline column is the peak of a process that only
 *                            reads and parses the same file whole (floors/json-parse.mjs), for context
 */
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Desk } from '../../src-main/core/desk.js';
import { keyValueAad, providerSecretsAad } from '../../src-main/core/service/provider-writer.js';
import { DB_FILE } from '../../src-main/core/store/database.js';
import type { KeyRow, ProviderRow } from '../../src-main/core/store/rows.js';
import { freshDataDir, store } from './datasets.js';
import { benchProviderInput, log, openBenchDesk, percentile, tempDir, timed, type Figure } from './lib.js';
import { CLI, childEnv, floorPath, runChecked } from './processes.js';

const PEAK_RSS = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url));
/** The stated bound of import_100k_peak_rss_mb (README): ~200 MB measured, headroom for a loaded machine. */
const IMPORT_100K_RSS_BOUND_MB = 250;

const PROVIDER_COLUMNS = [
  'id',
  'name',
  'display_name',
  'type',
  'base_url',
  'enabled',
  'description',
  'settings',
  'secrets',
  'network_config',
  'proxy_config',
  'concurrency',
  'custom_provider_config',
  'send_back_raw_request',
  'send_back_raw_response',
  'store_raw_request_response',
  'status',
  'state',
  'last_check',
  'models_status',
  'models_error',
  'config_hash',
  'revision',
  'created_at',
  'updated_at',
] as const;
const KEY_COLUMNS = [
  'id',
  'provider_id',
  'position',
  'name',
  'secret_sealed',
  'secret_ref',
  'mask_head',
  'mask_tail',
  'secret_length',
  'enabled',
  'weight',
  'models',
  'blacklisted_models',
  'use_for_batch_api',
  'key_config',
  'key_config_secrets',
  'status',
  'last_check',
  'created_at',
  'updated_at',
] as const;

function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
}

/** The floor: the same rows, each secret sealed again by the vault, in one transaction of prepared INSERTs. */
function rawInsert(desk: Desk, providers: ProviderRow[], keys: Array<KeyRow & { plaintext: string }>, secrets: Map<string, string>): void {
  const insertProvider = desk.db.prepare(insertSql('providers', PROVIDER_COLUMNS));
  const insertKey = desk.db.prepare(insertSql('api_keys', KEY_COLUMNS));
  desk.db.transaction(() => {
    for (const row of providers) {
      const { seq: _seq, ...values } = row;
      const plain = secrets.get(row.id);
      insertProvider.run({ ...values, secrets: plain === undefined ? null : desk.vault.sealText(plain, providerSecretsAad(row.id)) });
    }
    for (const { plaintext, ...row } of keys) {
      insertKey.run({ ...row, secret_sealed: desk.vault.sealText(plaintext, keyValueAad(row.id)) });
    }
  })();
}

/** Times `work` against a fresh store, then checks the store holds `expected` providers. */
async function intoFreshStore(expected: number, work: (desk: Desk) => Promise<void> | void): Promise<number> {
  const dir = tempDir();
  const desk = openBenchDesk(dir.path);
  try {
    const { ms } = await timed(() => work(desk));
    const stored = desk.repo.queryProviders({ limit: 1 }).total;
    if (stored !== expected) throw new Error(`the store holds ${stored} providers after the import (expected ${expected})`);
    return ms;
  } finally {
    await desk.close();
    dir.remove();
  }
}

type ConfigDocument = { providers: Record<string, ConfigEntry> };
type ConfigEntry = { keys?: Array<{ id?: string; value?: string }>; provider_desk?: { display_name?: string; description?: string } };

let exported: Promise<string> | undefined;

/** `config.export --secrets plain` of the 10k store, as the text a user's file holds (made once per run). */
function exportedConfig10k(): Promise<string> {
  exported ??= (async () => {
    const desk = openBenchDesk(await store(10_000));
    try {
      const result = await desk.dispatch('config.export', { secrets: 'plain' }, { transport: 'cli' });
      if (!result.ok) throw new Error(`config.export failed: ${result.error.message}`);
      return JSON.stringify(result.data);
    } finally {
      await desk.close();
    }
  })();
  return exported;
}

export async function import10k(providers = 10_000, rounds = 3): Promise<Figure> {
  log(`import: config.json of ${providers} providers versus raw inserts…`);
  const desk = openBenchDesk(await store(providers));
  try {
    const text = await exportedConfig10k();
    log(`import: config.json of ${providers} providers is ${(text.length / 1024 / 1024).toFixed(1)} MiB`);

    // The baseline's rows: exactly what the store holds, with secrets in plaintext to be sealed again.
    const rows = desk.repo.allProviders();
    const keysByProvider = desk.repo.keysOfMany(rows.map((r) => r.id));
    const secrets = new Map<string, string>();
    const keys: Array<KeyRow & { plaintext: string }> = [];
    for (const row of rows) {
      if (row.secrets) secrets.set(row.id, desk.vault.openText(row.secrets, providerSecretsAad(row.id)));
      for (const key of keysByProvider.get(row.id) ?? []) {
        const plaintext = key.secret_sealed ? desk.vault.openText(key.secret_sealed, keyValueAad(key.id)) : '';
        keys.push({ ...key, plaintext });
      }
    }

    const importInto = async (target: Desk, document: Record<string, unknown>, expected: number) => {
      const result = await target.dispatch('config.import', document, { transport: 'cli' });
      if (!result.ok) throw new Error(`config.import failed: ${result.error.message}`);
      if (result.data.added.length !== expected) throw new Error(`config.import added ${result.data.added.length} (expected ${expected})`);
    };
    const documentOf = (count: number) => {
      const document = JSON.parse(text) as { providers: Record<string, unknown> };
      if (count < providers) document.providers = Object.fromEntries(Object.entries(document.providers).slice(0, count));
      return document;
    };

    // Warm-up on a tenth of the data (JIT, the vault, statement caches), then alternating rounds; medians count.
    const warm = Math.floor(providers / 10);
    const warmRows = new Set(rows.slice(0, warm).map((r) => r.id));
    await intoFreshStore(warm, (d) =>
      rawInsert(
        d,
        rows.slice(0, warm),
        keys.filter((k) => warmRows.has(k.provider_id)),
        secrets,
      ),
    );
    await intoFreshStore(warm, (d) => importInto(d, documentOf(warm), warm));
    const rawTimes: number[] = [];
    const ourTimes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      rawTimes.push(await intoFreshStore(providers, (d) => rawInsert(d, rows, keys, secrets)));
      const document = documentOf(providers);
      ourTimes.push(await intoFreshStore(providers, (d) => importInto(d, document, providers)));
    }
    const ours = percentile(
      ourTimes.sort((a, b) => a - b),
      50,
    );
    const raw = percentile(
      rawTimes.sort((a, b) => a - b),
      50,
    );
    return {
      key: 'import_10k_ratio',
      label: `config.import of ${providers / 1000}k providers (ms)`,
      ours,
      baseline: raw,
      unit: 'ms',
      value: ours / raw,
      target: { op: '<=', value: 3 },
      note: `${keys.length} keys; median of ${rounds} alternating rounds into fresh stores; baseline = the same rows in one raw better-sqlite3 transaction, secrets sealed by the vault`,
    };
  } finally {
    await desk.close();
  }
}

/**
 * A config.json of `count` providers in the export's own form: the 10k export's entries again and again, each copy
 * with the next bench provider's name, display name, description, key values and fresh key ids. Written as it is
 * made, so the bench never holds the whole document.
 */
async function writeConfig(count: number, file: string): Promise<void> {
  const base = JSON.parse(await exportedConfig10k()) as ConfigDocument;
  const size = Object.keys(base.providers).length;
  const out = createWriteStream(file, { mode: 0o600 });
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write('{"providers":{');
  let chunk = '';
  for (let i = 0; i < count; i++) {
    const input = benchProviderInput(i);
    // Bench provider i has the type and number of keys of provider i mod size (size is a multiple of 8 and of 2).
    const template = base.providers[benchProviderInput(i % size).name];
    if (!template) throw new Error(`the 10k export has no ${benchProviderInput(i % size).name}`);
    const entry = structuredClone(template);
    entry.keys = (template.keys ?? []).map((key, k) => ({
      ...key,
      id: randomUUID(),
      value: (input.api_keys?.[k] as { value: string }).value,
    }));
    entry.provider_desk = { ...template.provider_desk, display_name: input.display_name ?? '' };
    if (input.description) entry.provider_desk.description = input.description;
    else delete entry.provider_desk.description;
    chunk += `${i === 0 ? '' : ','}${JSON.stringify(input.name)}:${JSON.stringify(entry)}`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(`${chunk}}}`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Peak RSS in MB of every process that wrote one into `dir` (a command that re-executes itself writes two). */
function peakMb(dir: string): number {
  const peaks = readdirSync(dir).map((name) => Number(readFileSync(join(dir, name), 'utf8')));
  if (peaks.length === 0) throw new Error('the measured process wrote no peak RSS');
  return Math.max(...peaks) / 1024;
}

export async function import100kPeakRss(providers = 100_000): Promise<Figure> {
  const file = join(freshDataDir('config-100k'), 'config.json');
  log(`import: writing a config.json of ${providers} providers…`);
  await writeConfig(providers, file);
  const peaks = freshDataDir('peak-rss');
  const target = freshDataDir('import-100k');
  log(`import: provider-desk import of ${providers} providers into a fresh store…`);
  const run = await runChecked(
    'provider-desk import',
    process.execPath,
    [CLI, 'import', file, '--data-dir', target, '--confirm-destinations'],
    childEnv({ NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${PEAK_RSS}`.trim(), PD_BENCH_PEAK_RSS_DIR: peaks }),
  );
  const ours = peakMb(peaks);
  const db = new Database(join(target, DB_FILE), { readonly: true });
  const stored = (db.prepare('SELECT COUNT(*) AS n FROM providers').get() as { n: number }).n;
  db.close();
  if (stored !== providers) throw new Error(`the store holds ${stored} providers after the import (expected ${providers})`);
  const parse = await runChecked('the parse floor', process.execPath, [floorPath('json-parse.mjs'), file]);
  const parseMb = Number(parse.stdout.trim()) / 1024;
  log(`import: ${(run.ms / 1000).toFixed(1)} s, peak ${ours.toFixed(0)} MB (parsing the file alone: ${parseMb.toFixed(0)} MB)`);
  return {
    key: 'import_100k_peak_rss_mb',
    label: `provider-desk import ${providers / 1000}k, peak RSS (MB)`,
    ours,
    baseline: parseMb,
    unit: 'MB',
    value: ours,
    absolute: true,
    // The import reads the file as it needs it (never whole): one provider entry at a time, a few passes.
    target: { op: '<=', value: IMPORT_100K_RSS_BOUND_MB },
    note: `maxrss of the CLI process; took ${(run.ms / 1000).toFixed(1)} s; baseline = peak of JSON.parse of the same file alone (context)`,
  };
}
