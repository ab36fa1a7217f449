/**
 * The diff of a parsed config.json against the store: which providers are added, changed (config hash, other fields,
 * secrets compared in memory, keys), unchanged or — when pruning — removed, and exactly which service calls apply it.
 */
import { catalogEntry } from '../catalog/catalog.js';
import { NETWORK_DEFAULTS } from '../contract/config-schemas.js';
import { DeskError, type FieldError } from '../contract/errors.js';
import type { ApiKeyCreateInput, ApiKeyPatch, ProviderCreateInput, ProviderPatch } from '../contract/provider-inputs.js';
import {
  concurrencyOf,
  keyMaskParts,
  networkOf,
  parseJson,
  PROXY_DEFAULTS,
  PROXY_PASSWORD_PATH,
  providerConfigHash,
  proxyOf,
  settingsOf,
} from '../service/codec.js';
import { bifrostMask } from '../service/masking.js';
import {
  applyProxy,
  applySettings,
  keyConfigAad,
  keyValueAad,
  normaliseCustom,
  openProviderSecrets,
  resolveBaseUrl,
  settingSecretNames,
} from '../service/provider-writer.js';
import { isSecretFieldName, mergeSecrets, SECRET_LIST_KEY, splitSecrets } from '../service/secret-fields.js';
import type { Repository } from '../store/repository.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import type { Vault } from '../vault/vault.js';
import { DESK_BLOCK, isObject, jsonPath, REDACTED, type JsonObject } from './format.js';
import type { ParsedDocument, ParsedKey, ParsedProvider } from './parse.js';
import { readState, resolveRedacted, sameJson, type DocumentState } from './state.js';

type Path = Array<string | number>;

export interface KeyUpdate {
  key: KeyRow;
  patch: ApiKeyPatch;
  path: Path;
}

export interface ChangedProvider {
  name: string;
  path: Path;
  row: ProviderRow;
  /** null when only keys (or kept extras) change. */
  patch: ProviderPatch | null;
  removeKeys: KeyRow[];
  updateKeys: KeyUpdate[];
  addKeys: Array<{ input: ApiKeyCreateInput; path: Path }>;
}

export interface SectionDiff {
  added: string[];
  changed: string[];
  unchanged: string[];
  removed: string[];
}

export interface ImportPlan {
  added: Array<{ name: string; path: Path; input: ProviderCreateInput }>;
  changed: ChangedProvider[];
  unchanged: string[];
  removed: ProviderRow[];
  state: DocumentState;
  stateChanged: boolean;
  sections: SectionDiff;
}

export interface PlanStore {
  repo: Repository;
  vault: Vault;
}

class Planner {
  readonly errors: FieldError[] = [];
  private readonly secretCache = new Map<string, string>();

  constructor(
    private readonly vault: Vault,
    /** Which stored provider owns each key id (key ids are unique across the store). */
    private readonly keyOwner: Map<string, string>,
    private readonly prunedProviders: Set<string>,
    private readonly prune: boolean,
  ) {}

  error(path: Path, message: string): void {
    this.errors.push({ path: jsonPath(path), message });
  }

  /** A stored key's secret as written (literal or env reference), decrypted in memory only. */
  storedSecret(key: KeyRow): string {
    if (key.secret_ref) return key.secret_ref;
    if (!key.secret_sealed) return '';
    let secret = this.secretCache.get(key.id);
    if (secret === undefined) {
      secret = this.vault.openText(key.secret_sealed, keyValueAad(key.id));
      this.secretCache.set(key.id, secret);
    }
    return secret;
  }

  storedKeyConfig(key: KeyRow): { plain: JsonObject | null; secrets: Record<string, string> } {
    const plain = parseJson<JsonObject | null>(key.key_config, null);
    if (plain) delete plain[SECRET_LIST_KEY];
    const secrets = key.key_config_secrets
      ? (JSON.parse(this.vault.openText(key.key_config_secrets, keyConfigAad(key.id))) as Record<string, string>)
      : {};
    return { plain, secrets };
  }

  /** The provider as the file wants it, computed with the service's own writer functions so the comparison is exact. */
  provider(p: ParsedProvider, row: ProviderRow | undefined): DesiredProvider | undefined {
    if (!row) return this.newProvider(p);
    const entry = catalogEntry(p.type);
    const before = this.errors.length;
    const previousSecrets = row ? openProviderSecrets(this.vault, row) : {};
    const previousPlain = row ? settingsOf(row) : {};

    const secretNames = settingSecretNames(entry);
    for (const [field, value] of Object.entries(p.settings)) {
      const at = [...p.path, DESK_BLOCK, 'settings', field];
      if (value === REDACTED && (isSecretFieldName(field) || secretNames.has(field)) && previousSecrets[field] === undefined)
        this.missing(at);
      if (isObject(value)) {
        for (const [inner, innerValue] of Object.entries(value)) {
          if (innerValue === REDACTED && isSecretFieldName(inner) && previousSecrets[`${field}.${inner}`] === undefined)
            this.missing([...at, inner]);
        }
      }
    }
    // The file is the whole settings block: fields it leaves out are removed.
    const settingsPatch: JsonObject = { ...p.settings };
    for (const field of Object.keys(previousPlain)) if (field !== SECRET_LIST_KEY && !(field in settingsPatch)) settingsPatch[field] = null;
    for (const field of Object.keys(previousSecrets)) {
      if (field !== PROXY_PASSWORD_PATH && !field.includes('.') && !(field in settingsPatch)) settingsPatch[field] = null;
    }
    const { plain, secrets } = applySettings(entry, previousPlain, previousSecrets, settingsPatch);

    let proxyPatch: ProviderPatch['proxy_config'] = null;
    const previousProxy = row ? proxyOf(row) : { ...PROXY_DEFAULTS };
    if (p.proxy) {
      proxyPatch = {
        type: p.proxy.type ?? (p.proxy.url ? 'http' : 'none'),
        url: p.proxy.url ?? '',
        username: p.proxy.username ?? '',
        password: p.proxy.password ?? '',
        ca_cert_pem: p.proxy.ca_cert_pem ?? '',
      };
      if (proxyPatch.password === REDACTED && previousSecrets[PROXY_PASSWORD_PATH] === undefined)
        this.missing([...p.path, 'proxy_config', 'password']);
      if (proxyPatch.ca_cert_pem === REDACTED && !previousProxy.ca_cert_pem) this.missing([...p.path, 'proxy_config', 'ca_cert_pem']);
    }
    const proxy = applyProxy(previousProxy, secrets, proxyPatch);

    const previousNetwork = row ? networkOf(row) : null;
    const network: JsonObject = { ...NETWORK_DEFAULTS, allow_private_network: entry.local };
    for (const [field, value] of Object.entries(p.network)) if (value !== undefined) network[field] = value;
    const networkPatch = { ...network } as ProviderPatch['network_config'];
    if (network.ca_cert_pem === REDACTED) {
      if (!previousNetwork?.ca_cert_pem) this.missing([...p.path, 'network_config', 'ca_cert_pem']);
      network.ca_cert_pem = previousNetwork?.ca_cert_pem ?? '';
    }

    let baseUrl = '';
    try {
      baseUrl = resolveBaseUrl(entry, p.base_url || undefined, plain);
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      this.error([...p.path, 'network_config', 'base_url'], error.fields?.[0]?.message ?? error.message);
    }
    if (this.errors.length > before) return undefined;

    const { [PROXY_PASSWORD_PATH]: proxyPassword, ...settingSecrets } = secrets;
    const patch: ProviderPatch = {
      display_name: p.display_name,
      description: p.description,
      enabled: p.enabled,
      base_url: p.base_url,
      settings: settingsPatch,
      network_config: networkPatch,
      proxy_config: proxyPatch,
      concurrency_and_buffer_size: p.concurrency,
      custom_provider_config: p.custom,
      send_back_raw_request: p.send_back_raw_request,
      send_back_raw_response: p.send_back_raw_response,
      store_raw_request_response: p.store_raw_request_response,
    };

    // Bifrost's config hash covers name, base URL and the config blocks; the rest is compared field by field.
    const custom = normaliseCustom(p.custom, null);
    const hash = providerConfigHash({
      name: p.name,
      base_url: baseUrl,
      network_config: JSON.stringify(network),
      proxy_config: JSON.stringify(proxy),
      concurrency: JSON.stringify(p.concurrency),
      custom_provider_config: custom,
      send_back_raw_request: p.send_back_raw_request ? 1 : 0,
      send_back_raw_response: p.send_back_raw_response ? 1 : 0,
      store_raw_request_response: p.store_raw_request_response ? 1 : 0,
      type: entry.id,
      settings: '',
      display_name: p.display_name,
      description: p.description,
      enabled: p.enabled ? 1 : 0,
    });
    const changed =
      row.config_hash !== hash ||
      row.display_name !== p.display_name ||
      row.description !== p.description ||
      (row.enabled === 1) !== p.enabled ||
      row.base_url !== baseUrl ||
      !sameJson(withoutList(previousPlain), plain) ||
      !sameJson(withoutProxy(previousSecrets), settingSecrets) ||
      previousSecrets[PROXY_PASSWORD_PATH] !== proxyPassword ||
      !sameJson(previousProxy, proxy) ||
      !sameJson(previousNetwork, network) ||
      !sameJson(concurrencyOf(row), p.concurrency);
    return { patch, changed };
  }

  /**
   * A provider the store does not have: nothing can be kept, so only the checks the service would fail later
   * (a `<REDACTED>` secret, a missing base URL) run here; the service builds the row itself.
   */
  private newProvider(p: ParsedProvider): DesiredProvider | undefined {
    const entry = catalogEntry(p.type);
    const before = this.errors.length;
    for (const [field, value] of Object.entries(p.settings)) {
      const at = [...p.path, DESK_BLOCK, 'settings', field];
      if (value === REDACTED) this.missing(at);
      if (isObject(value))
        for (const [inner, innerValue] of Object.entries(value)) if (innerValue === REDACTED) this.missing([...at, inner]);
    }
    const proxy = p.proxy
      ? {
          type: p.proxy.type ?? (p.proxy.url ? 'http' : 'none'),
          url: p.proxy.url ?? '',
          username: p.proxy.username ?? '',
          password: p.proxy.password ?? '',
          ca_cert_pem: p.proxy.ca_cert_pem ?? '',
        }
      : null;
    if (proxy?.password === REDACTED) this.missing([...p.path, 'proxy_config', 'password']);
    if (proxy?.ca_cert_pem === REDACTED) this.missing([...p.path, 'proxy_config', 'ca_cert_pem']);
    if (p.network.ca_cert_pem === REDACTED) this.missing([...p.path, 'network_config', 'ca_cert_pem']);
    try {
      resolveBaseUrl(entry, p.base_url || undefined, p.settings);
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      this.error([...p.path, 'network_config', 'base_url'], error.fields?.[0]?.message ?? error.message);
    }
    if (this.errors.length > before) return undefined;
    return {
      changed: true,
      patch: {
        display_name: p.display_name,
        description: p.description,
        enabled: p.enabled,
        base_url: p.base_url,
        settings: p.settings,
        // The service fills the defaults (allow_private_network from the catalog) exactly as for an update.
        network_config: p.network,
        proxy_config: proxy as ProviderPatch['proxy_config'],
        concurrency_and_buffer_size: p.concurrency,
        custom_provider_config: p.custom,
        send_back_raw_request: p.send_back_raw_request,
        send_back_raw_response: p.send_back_raw_response,
        store_raw_request_response: p.store_raw_request_response,
      },
    };
  }

  missing(path: Path): void {
    this.error(path, 'is <REDACTED> but nothing is stored here to keep; give the value');
  }

  /** Matches the file's keys to stored ones (by id, then name; nameless keys by value) and lists the key operations. */
  keys(p: ParsedProvider, row: ProviderRow | null, stored: KeyRow[]): Pick<ChangedProvider, 'removeKeys' | 'updateKeys' | 'addKeys'> {
    const unclaimed = new Map(stored.map((k) => [k.id, k]));
    const matches: Array<{ file: ParsedKey; key: KeyRow | undefined }> = [];
    for (const file of p.keys) {
      let key = file.id !== undefined ? unclaimed.get(file.id) : undefined;
      if (!key && file.name !== undefined) key = [...unclaimed.values()].find((k) => k.name === file.name);
      if (!key && file.id === undefined && file.name === undefined && file.value !== REDACTED) {
        key = [...unclaimed.values()].find((k) => this.storedSecret(k) === file.value);
      }
      if (key) unclaimed.delete(key.id);
      matches.push({ file, key });
    }
    const removeKeys = this.prune ? [...unclaimed.values()] : [];
    const removing = new Set(removeKeys.map((k) => k.id));
    const finalNames = new Set<string>([...unclaimed.values()].filter((k) => !removing.has(k.id)).map((k) => k.name));
    const kept = new Set(finalNames);
    for (const { file, key } of matches) {
      const name = file.name ?? key?.name;
      if (name === undefined) continue;
      if (kept.has(name)) {
        this.error(
          [...file.path, 'name'],
          `is already used by a stored key of this provider that the file does not list; rename one of them, or import with prune`,
        );
      }
      finalNames.add(name);
    }

    const updateKeys: KeyUpdate[] = [];
    const addKeys: ChangedProvider['addKeys'] = [];
    for (const { file, key } of matches) {
      if (key) {
        const update = this.keyUpdate(file, key);
        if (update) updateKeys.push(update);
        continue;
      }
      const before = this.errors.length;
      if (file.value === REDACTED) {
        this.error([...file.path, 'value'], 'is <REDACTED> (or masked) but no stored key matches it by id or name; give the key itself');
      }
      const config = this.keyConfig(file, { plain: null, secrets: {} });
      if (this.errors.length > before || !config) continue;
      let name = file.name;
      if (name === undefined) {
        for (let n = finalNames.size + 1; ; n++) {
          if (!finalNames.has(`key-${n}`)) {
            name = `key-${n}`;
            break;
          }
        }
        finalNames.add(name);
      }
      const idFree = file.id !== undefined && this.idFree(file.id, row, removing);
      addKeys.push({
        path: file.path,
        input: {
          ...(idFree ? { id: file.id } : {}),
          name,
          value: file.value,
          enabled: file.enabled,
          weight: file.weight,
          models: file.models,
          blacklisted_models: file.blacklisted_models,
          use_for_batch_api: file.use_for_batch_api,
          key_config: config.resolved,
        },
      });
    }
    return { removeKeys, updateKeys, addKeys };
  }

  /** A file id can be kept when no stored key holds it, or the one that does is removed first. */
  private idFree(id: string, row: ProviderRow | null, removing: Set<string>): boolean {
    const owner = this.keyOwner.get(id);
    if (owner === undefined) return true;
    if (this.prunedProviders.has(owner)) return true;
    return row !== null && owner === row.id && removing.has(id);
  }

  private keyUpdate(file: ParsedKey, key: KeyRow): KeyUpdate | undefined {
    const before = this.errors.length;
    if (file.mask !== undefined && (key.secret_ref !== null || bifrostMask(keyMaskParts(key)) !== file.mask)) {
      this.error([...file.path, 'value'], "is a masked value that does not match the stored key's mask; give the key itself or <REDACTED>");
    }
    const storedConfig = this.storedKeyConfig(key);
    const config = this.keyConfig(file, storedConfig);
    if (this.errors.length > before || !config) return undefined;
    const secretChanged = file.value !== REDACTED && file.value !== this.storedSecret(key);
    const name = file.name ?? key.name;
    const configChanged = !sameJson(storedConfig.plain, config.plain) || !sameJson(storedConfig.secrets, config.secrets);
    const changed =
      secretChanged ||
      configChanged ||
      name !== key.name ||
      (key.enabled === 1) !== file.enabled ||
      key.weight !== file.weight ||
      !sameJson(parseJson(key.models, []), file.models) ||
      !sameJson(parseJson(key.blacklisted_models, []), file.blacklisted_models) ||
      (key.use_for_batch_api === 1) !== file.use_for_batch_api;
    if (!changed) return undefined;
    return {
      key,
      path: file.path,
      patch: {
        ...(name !== key.name ? { name } : {}),
        ...(secretChanged ? { value: file.value } : {}),
        enabled: file.enabled,
        weight: file.weight,
        models: file.models,
        blacklisted_models: file.blacklisted_models,
        use_for_batch_api: file.use_for_batch_api,
        ...(configChanged ? { key_config: config.resolved } : {}),
      },
    };
  }

  /** The key config as the store would split it; `<REDACTED>` secrets resolve against what is stored (or are errors). */
  private keyConfig(
    file: ParsedKey,
    stored: { plain: JsonObject | null; secrets: Record<string, string> },
  ): { plain: JsonObject | null; secrets: Record<string, string>; resolved: JsonObject | null } | undefined {
    if (!file.config) return { plain: null, secrets: {}, resolved: null };
    const before = this.errors.length;
    for (const [field, value] of Object.entries(file.config)) {
      if (value === REDACTED && isSecretFieldName(field) && stored.secrets[field] === undefined) this.missing([...file.path, field]);
      if (isObject(value)) {
        for (const [inner, innerValue] of Object.entries(value)) {
          if (innerValue === REDACTED && isSecretFieldName(inner) && stored.secrets[`${field}.${inner}`] === undefined)
            this.missing([...file.path, field, inner]);
        }
      }
    }
    if (this.errors.length > before) return undefined;
    const { plain, secrets } = splitSecrets(file.config, stored.secrets);
    return { plain, secrets, resolved: mergeSecrets(plain, secrets) };
  }
}

interface DesiredProvider {
  patch: ProviderPatch;
  changed: boolean;
}

function withoutList(settings: JsonObject): JsonObject {
  const { [SECRET_LIST_KEY]: _list, ...rest } = settings;
  return rest;
}

function withoutProxy(secrets: Record<string, string>): Record<string, string> {
  const { [PROXY_PASSWORD_PATH]: _password, ...rest } = secrets;
  return rest;
}

/** Computes the whole diff (read-only). Errors name every invalid path; the plan is only meaningful without errors. */
export function buildPlan(store: PlanStore, parsed: ParsedDocument, prune: boolean): { plan: ImportPlan; errors: FieldError[] } {
  const { repo, vault } = store;
  const rows = repo.allProviders();
  const byName = new Map(rows.map((r) => [r.name, r]));
  const inFile = new Set(parsed.providerNames);
  const removed = prune ? rows.filter((r) => !inFile.has(r.name)) : [];
  const prunedIds = new Set(removed.map((r) => r.id));
  const keysByProvider = repo.keysOfMany(rows.map((r) => r.id));
  const keyOwner = new Map<string, string>();
  for (const [providerId, keys] of keysByProvider) for (const key of keys) keyOwner.set(key.id, providerId);

  const planner = new Planner(vault, keyOwner, prunedIds, prune);
  const plan: ImportPlan = {
    added: [],
    changed: [],
    unchanged: [],
    removed,
    state: { order: [], sections: {}, extras: {} },
    stateChanged: false,
    sections: { added: [], changed: [], unchanged: [], removed: [] },
  };
  const previous = readState(repo, vault);
  const extrasChanged = new Set<string>();

  for (const p of parsed.providers) {
    const row = byName.get(p.name);
    if (row && row.type !== p.type) {
      planner.error(
        p.path,
        `has type ${p.type} in the file but the stored provider "${p.name}" is ${row.type}; a provider's type cannot change (remove it first, or import it under another name)`,
      );
      continue;
    }
    const extras = p.extras ? (resolveRedacted(p.extras, previous.extras[p.name], p.path, planner.errors) as JsonObject) : null;
    if (extras) plan.state.extras[p.name] = extras;
    if (!sameJson(extras ?? null, previous.extras[p.name] ?? null)) extrasChanged.add(p.name);

    const desired = planner.provider(p, row);
    // Keys are checked even when the provider block has errors, so that every bad path is reported at once.
    const keyOps = planner.keys(p, row ?? null, row ? (keysByProvider.get(row.id) ?? []) : []);
    if (!desired) continue;
    if (!row) {
      const { addKeys } = keyOps;
      const { patch } = desired;
      plan.added.push({
        name: p.name,
        path: p.path,
        input: {
          name: p.name,
          type: p.type,
          display_name: patch.display_name,
          description: patch.description,
          enabled: patch.enabled,
          ...(p.base_url ? { base_url: p.base_url } : {}),
          settings: p.settings,
          network_config: patch.network_config,
          proxy_config: patch.proxy_config,
          concurrency_and_buffer_size: p.concurrency,
          custom_provider_config: p.custom,
          send_back_raw_request: p.send_back_raw_request,
          send_back_raw_response: p.send_back_raw_response,
          store_raw_request_response: p.store_raw_request_response,
          api_keys: addKeys.map((k) => k.input),
        },
      });
      continue;
    }
    const keysChanged = keyOps.removeKeys.length + keyOps.updateKeys.length + keyOps.addKeys.length > 0;
    if (desired.changed || keysChanged || extrasChanged.has(p.name)) {
      plan.changed.push({ name: p.name, path: p.path, row, patch: desired.changed ? desired.patch : null, ...keyOps });
    } else {
      plan.unchanged.push(p.name);
    }
  }

  // Sections and extras: the file's replace the stored ones; stored ones it does not mention stay unless pruning.
  const removedNames = new Set(removed.map((r) => r.name));
  for (const [name, extras] of Object.entries(previous.extras)) {
    if (!inFile.has(name) && byName.has(name) && !removedNames.has(name)) plan.state.extras[name] = extras;
  }
  for (const name of parsed.order) if (name === 'providers' || name in parsed.sections) plan.state.order.push(name);
  for (const [name, value] of Object.entries(parsed.sections)) {
    const resolved = resolveRedacted(value, previous.sections[name], [name], planner.errors);
    plan.state.sections[name] = resolved;
    if (!(name in previous.sections)) plan.sections.added.push(name);
    else if (sameJson(previous.sections[name], resolved)) plan.sections.unchanged.push(name);
    else plan.sections.changed.push(name);
  }
  for (const [name, value] of Object.entries(previous.sections)) {
    if (name in parsed.sections) continue;
    if (prune) {
      plan.sections.removed.push(name);
    } else {
      plan.state.sections[name] = value;
      plan.state.order.push(name);
    }
  }
  plan.stateChanged = !sameJson(previous, plan.state);
  return { plan, errors: planner.errors };
}
