/**
 * import_10k_ratio: config.import of a 10,000-provider config.json into a fresh store, over inserting the same rows
 * (providers and keys, secrets sealed by the vault) in one raw better-sqlite3 transaction into another fresh store.
 */
import type { Desk } from '../../src-main/core/desk.js';
import { keyValueAad, providerSecretsAad } from '../../src-main/core/service/provider-writer.js';
import type { KeyRow, ProviderRow } from '../../src-main/core/store/rows.js';
import { log, openBenchDesk, percentile, seedProviders, tempDir, timed, type Figure } from './lib.js';

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

export async function import10k(providers = 10_000, rounds = 3): Promise<Figure> {
  const source = tempDir();
  const desk = openBenchDesk(source.path);
  try {
    seedProviders(desk, providers);
    const exported = await desk.dispatch('config.export', { secrets: 'plain' }, { transport: 'cli' });
    if (!exported.ok) throw new Error(`config.export failed: ${exported.error.message}`);
    // What a user's file holds: serialized and read back, so the import gets plain JSON data.
    const text = JSON.stringify(exported.data);
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
    source.remove();
  }
}
