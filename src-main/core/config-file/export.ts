/**
 * The store as a Bifrost config.json. Secrets are `<REDACTED>` unless asked for in plain (`env.VAR` references
 * always stay as written); sections and fields kept from the last import are written back where they were. Where our
 * stored defaults and Bifrost's differ (base URL, private networks, proxy, custom block), export-bifrost.ts decides.
 */
import { concurrencyOf, customOf, networkOf, parseJson, PROXY_PASSWORD_PATH, proxyOf, settingsOf } from '../service/codec.js';
import { keyConfigAad, keyValueAad, openProviderSecrets } from '../service/provider-writer.js';
import { mergeSecrets, SECRET_LIST_KEY } from '../service/secret-fields.js';
import { networkValuesOf, openHeaders, openProxyUrl, withoutNetworkValues } from '../service/network-secrets.js';
import type { Repository } from '../store/repository.js';
import type { KeyRow, ProviderRow, StoredModelRow } from '../store/rows.js';
import type { Vault } from '../vault/vault.js';
import {
  exportedAllowPrivate,
  exportedBaseUrl,
  exportedCuration,
  exportedCustom,
  exportedProxy,
  inferredType,
  keysOptional,
  type ExportedCuration,
} from './export-bifrost.js';
import { CORE_KEY_FIELDS, DESK_BLOCK, isEnvRef, REDACTED, type JsonObject } from './format.js';
import { overlay, readState, redactDeep, sameJson, type FileSpelling } from './state.js';

export type SecretsMode = 'redacted' | 'plain';

export interface ExportStore {
  repo: Repository;
  vault: Vault;
}

class Exporter {
  constructor(
    private readonly vault: Vault,
    private readonly mode: SecretsMode,
  ) {}

  /** A stored secret as the file shows it. */
  secret(value: string): string {
    if (this.mode === 'plain' || value === '' || isEnvRef(value)) return value;
    return REDACTED;
  }

  private secretsOut(secrets: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(secrets).map(([path, value]) => [path, this.secret(value)]));
  }

  key(row: KeyRow, curation: ExportedCuration | undefined, ownLists: JsonObject): JsonObject {
    const secret = row.secret_ref ?? (row.secret_sealed ? this.vault.openText(row.secret_sealed, keyValueAad(row.id)) : '');
    const out: JsonObject = {
      id: row.id,
      name: row.name,
      value: this.secret(secret),
      models: parseJson<string[]>(row.models, []),
      weight: row.weight,
      enabled: row.enabled === 1,
    };
    let blacklisted = parseJson<string[]>(row.blacklisted_models, []);
    if (curation) {
      // Models the user turned off are left out of what the key may use; our block keeps the key's own lists.
      const own = { models: parseJson<string[]>(row.models, []), blacklisted_models: blacklisted };
      const lists = curation.keyLists(own.models, own.blacklisted_models);
      if (!sameJson(lists, own)) ownLists[row.name] = own;
      out.models = lists.models;
      blacklisted = lists.blacklisted_models;
    }
    if (blacklisted.length > 0) out.blacklisted_models = blacklisted;
    if (row.use_for_batch_api === 1) out.use_for_batch_api = true;
    const plain = parseJson<JsonObject | null>(row.key_config, null);
    if (plain) {
      const sealed = row.key_config_secrets
        ? (JSON.parse(this.vault.openText(row.key_config_secrets, keyConfigAad(row.id))) as Record<string, string>)
        : {};
      const config = mergeSecrets(plain, this.secretsOut(sealed));
      for (const [field, value] of Object.entries(config)) if (!CORE_KEY_FIELDS.has(field)) out[field] = value;
    }
    return out;
  }

  provider(
    row: ProviderRow,
    keys: KeyRow[],
    extras: JsonObject | undefined,
    spelling: FileSpelling | undefined,
    models: readonly StoredModelRow[] = [],
  ): JsonObject {
    const secrets = openProviderSecrets(this.vault, row);
    const { [PROXY_PASSWORD_PATH]: proxyPassword, ...settingSecrets } = withoutNetworkValues(secrets);
    // Header values and the proxy URL's userinfo: the stored blocks show `<REDACTED>` where the sealed value goes.
    const networkValues = this.secretsOut(networkValuesOf(secrets));
    const { allow_private_network: allowPrivate, ...network } = networkOf(row);
    const curation = exportedCuration(models);
    const ownLists: JsonObject = {};
    const keyBlocks = keys.map((k) => this.key(k, curation, ownLists));
    const baseUrl = exportedBaseUrl(row, keyBlocks, spelling);
    const allowOut = exportedAllowPrivate(row, allowPrivate, spelling);
    const block: JsonObject = {
      ...(keyBlocks.length > 0 || !keysOptional(row) ? { keys: keyBlocks } : {}),
      network_config: {
        ...(baseUrl.network !== undefined ? { base_url: baseUrl.network } : {}),
        ...network,
        extra_headers: openHeaders(network.extra_headers, networkValues),
        ...(allowOut !== undefined ? { allow_private_network: allowOut } : {}),
      },
      concurrency_and_buffer_size: concurrencyOf(row),
    };
    const proxy = proxyOf(row);
    if (proxy.type !== 'none' || proxy.url || proxy.username || proxy.ca_cert_pem || proxyPassword) {
      block.proxy_config = exportedProxy({
        ...proxy,
        url: openProxyUrl(proxy.url, networkValues),
        password: proxyPassword ? this.secret(proxyPassword) : '',
      });
    }
    const custom = customOf(row);
    if (custom) block.custom_provider_config = exportedCustom(custom);
    block.send_back_raw_request = row.send_back_raw_request === 1;
    block.send_back_raw_response = row.send_back_raw_response === 1;
    block.store_raw_request_response = row.store_raw_request_response === 1;

    const desk: JsonObject = {};
    if (row.type !== inferredType(row, custom)) desk.type = row.type;
    if (baseUrl.desk !== undefined) desk.base_url = baseUrl.desk;
    if (row.display_name) desk.display_name = row.display_name;
    if (row.description) desk.description = row.description;
    if (row.enabled !== 1) desk.enabled = false;
    const plainSettings = settingsOf(row);
    delete plainSettings[SECRET_LIST_KEY];
    const settings = mergeSecrets(plainSettings, this.secretsOut(settingSecrets));
    if (Object.keys(settings).length > 0) desk.settings = settings;
    if (curation) desk.models = { ...curation.desk, ...(Object.keys(ownLists).length > 0 ? { key_lists: ownLists } : {}) };
    if (Object.keys(desk).length > 0) block[DESK_BLOCK] = desk;

    return overlay(block, this.mode === 'redacted' && extras ? (redactDeep(extras) as JsonObject) : extras);
  }
}

/** The whole document, providers sorted by name, other sections in the order they were imported. */
export function exportDocument(store: ExportStore, mode: SecretsMode): JsonObject {
  const { repo, vault } = store;
  const exporter = new Exporter(vault, mode);
  const state = readState(repo, vault);
  const rows = repo.allProviders();
  const keys = repo.keysOfMany(rows.map((r) => r.id));
  const curated = repo.curatedModels();
  const providers: JsonObject = {};
  for (const row of rows)
    providers[row.name] = exporter.provider(
      row,
      keys.get(row.id) ?? [],
      state.extras[row.name],
      state.spelling[row.name],
      curated.get(row.id),
    );

  const sections = mode === 'redacted' ? (redactDeep(state.sections) as JsonObject) : state.sections;
  const document: JsonObject = {};
  const order = state.order.includes('providers') ? state.order : ['providers', ...state.order];
  for (const name of order) {
    if (name === 'providers') document.providers = providers;
    else if (name in sections) document[name] = sections[name];
  }
  for (const [name, value] of Object.entries(sections)) if (!(name in document)) document[name] = value;
  return document;
}
