/**
 * A store written before secret header values and proxy URL userinfo were sealed holds them in plaintext. Migration
 * 0002 marks such a store; the first open after it seals every plaintext value it finds, in one transaction, and
 * clears the mark, so this runs once per store.
 */
import type { Repository } from '../store/repository.js';
import type { ProviderRow } from '../store/rows.js';
import { SEAL_NETWORK_VALUES_MARK } from '../store/migrations/0002-seal-network-secrets.js';
import type { Vault } from '../vault/vault.js';
import { parseJson, settingsOf } from './codec.js';
import { proxyUrlKeepsSecret, redactHeaders, redactProxyUrl, sealHeaders, sealProxyUrl } from './network-secrets.js';
import { finishProviderRow, openProviderSecrets, settingsJson } from './provider-writer.js';
import { SECRET_LIST_KEY } from './secret-fields.js';

/** Seals what a store marked by migration 0002 still holds in plaintext; returns how many providers it rewrote. */
export function sealLegacyNetworkValues(repo: Repository, vault: Vault): number {
  if (repo.getMeta(SEAL_NETWORK_VALUES_MARK)?.value !== 'pending') return 0;
  const db = repo.db;
  const secureDelete = Number(db.pragma('secure_delete', { simple: true }));
  // The rows are rewritten in place: zero the space the plaintext leaves behind instead of leaving it in free pages.
  db.pragma('secure_delete = ON');
  try {
    const rewritten = repo.transaction(() => {
      // Another process may have sealed them meanwhile.
      if (repo.getMeta(SEAL_NETWORK_VALUES_MARK)?.value !== 'pending') return 0;
      let count = 0;
      for (const row of repo.allProviders()) {
        const sealed = sealedRow(vault, row);
        if (sealed && repo.updateProvider(sealed, row.revision)) count++;
      }
      repo.setMeta(SEAL_NETWORK_VALUES_MARK, 'done');
      return count;
    });
    // Older frames of the write-ahead log still hold the plaintext pages: checkpoint them away and empty the log.
    if (rewritten > 0) db.pragma('wal_checkpoint(TRUNCATE)');
    return rewritten;
  } finally {
    db.pragma(`secure_delete = ${secureDelete}`);
  }
}

/** The row with its plaintext network values sealed (same revision: the configuration is unchanged), or null if it has none. */
function sealedRow(vault: Vault, row: ProviderRow): ProviderRow | null {
  const network = parseJson<Record<string, unknown>>(row.network_config, {});
  const proxy = parseJson<Record<string, unknown>>(row.proxy_config, {});
  const headers = isStringRecord(network.extra_headers) ? network.extra_headers : {};
  const url = typeof proxy.url === 'string' ? proxy.url : '';
  const plainHeaders = redactHeaders(headers) !== headers;
  const plainUrl = redactProxyUrl(url) !== url && !proxyUrlKeepsSecret(url);
  if (!plainHeaders && !plainUrl) return null;

  const secrets = openProviderSecrets(vault, row);
  const sealedNetwork = { ...network, extra_headers: sealHeaders(headers, secrets).headers };
  const sealedProxy = url ? { ...proxy, url: sealProxyUrl(url, secrets).url } : proxy;
  const settings = settingsOf(row);
  delete settings[SECRET_LIST_KEY];
  const finished = finishProviderRow(
    vault,
    {
      ...row,
      settings: settingsJson(settings, secrets),
      network_config: JSON.stringify(sealedNetwork),
      proxy_config: JSON.stringify(sealedProxy),
    },
    secrets,
  );
  return { ...finished, seq: row.seq };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
