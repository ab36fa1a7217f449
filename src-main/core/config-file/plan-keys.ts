/**
 * The key side of the diff: which stored key each key of the file is (by id, then name, then value), and the
 * remove/update/add calls that make the provider's keys what the file lists. Secrets are compared in memory.
 */
import type { ApiKeyCreateInput, ApiKeyPatch } from '../contract/provider-inputs.js';
import { keyMaskParts, parseJson } from '../service/codec.js';
import { bifrostMask } from '../service/masking.js';
import { isSecretFieldName, mergeSecrets, splitSecrets } from '../service/secret-fields.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import { isEnvRef, isObject, REDACTED, type JsonObject, type Path } from './format.js';
import type { ParsedKey, ParsedProvider } from './parse.js';
import type { PlanContext, SplitConfig } from './plan-context.js';
import { sameJson } from './state.js';

export interface KeyUpdate {
  key: KeyRow;
  patch: ApiKeyPatch;
  path: Path;
}

/** The key calls for one provider, in the order they are applied: removals free names and ids for the rest. */
export interface KeyOps {
  removeKeys: KeyRow[];
  updateKeys: KeyUpdate[];
  addKeys: Array<{ input: ApiKeyCreateInput; path: Path }>;
  /**
   * Names of the keys that will hold a secret the file does not write out: a stored key it leaves out (without
   * pruning) or gives as `<REDACTED>`/a mask, or any key whose secret is an `env.VAR` reference. Sending these to a
   * new destination is what the import asks the user to confirm.
   */
  keptSecrets: string[];
}

/** What deciding about one provider's keys needs to know about the whole import. */
export interface KeyScope {
  /** Which stored provider owns each key id (key ids are unique across the store). */
  keyOwner: Map<string, string>;
  /** Ids of the providers this import removes (their key ids become free). */
  prunedProviders: Set<string>;
  prune: boolean;
}

export class KeyPlanner {
  constructor(
    private readonly ctx: PlanContext,
    private readonly scope: KeyScope,
  ) {}

  /** Matches the file's keys to stored ones (by id, then name; nameless keys by value) and lists the key operations. */
  keys(p: ParsedProvider, row: ProviderRow | null, stored: KeyRow[]): KeyOps {
    const { ctx } = this;
    const unclaimed = new Map(stored.map((k) => [k.id, k]));
    const matches: Array<{ file: ParsedKey; key: KeyRow | undefined }> = [];
    for (const file of p.keys) {
      let key = file.id !== undefined ? unclaimed.get(file.id) : undefined;
      if (!key && file.name !== undefined) key = [...unclaimed.values()].find((k) => k.name === file.name);
      if (!key && file.id === undefined && file.name === undefined && file.value !== REDACTED) {
        key = [...unclaimed.values()].find((k) => ctx.storedSecret(k) === file.value);
      }
      if (key) unclaimed.delete(key.id);
      matches.push({ file, key });
    }
    const removeKeys = this.scope.prune ? [...unclaimed.values()] : [];
    const removing = new Set(removeKeys.map((k) => k.id));
    const keptSecrets: string[] = [];
    for (const key of unclaimed.values()) if (!removing.has(key.id) && hasStoredSecret(key)) keptSecrets.push(key.name);
    for (const { file, key } of matches) {
      const kept = (file.value === REDACTED && key !== undefined && hasStoredSecret(key)) || isEnvRef(file.value);
      if (kept || hidesSecret(file.config)) keptSecrets.push(file.name ?? key?.name ?? jsonPathTail(file.path));
    }
    const finalNames = new Set<string>([...unclaimed.values()].filter((k) => !removing.has(k.id)).map((k) => k.name));
    const kept = new Set(finalNames);
    for (const { file, key } of matches) {
      const name = file.name ?? key?.name;
      if (name === undefined) continue;
      if (kept.has(name)) {
        ctx.error(
          [...file.path, 'name'],
          `is already used by a stored key of this provider that the file does not list; rename one of them, or import with prune`,
        );
      }
      finalNames.add(name);
    }

    const updateKeys: KeyUpdate[] = [];
    const addKeys: KeyOps['addKeys'] = [];
    for (const { file, key } of matches) {
      if (key) {
        const update = this.keyUpdate(file, key);
        if (update) updateKeys.push(update);
        continue;
      }
      const before = ctx.errors.length;
      if (file.value === REDACTED) {
        ctx.error([...file.path, 'value'], 'is <REDACTED> (or masked) but no stored key matches it by id or name; give the key itself');
      }
      const config = this.keyConfig(file, { plain: null, secrets: {} });
      if (ctx.errors.length > before || !config) continue;
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
    return { removeKeys, updateKeys, addKeys, keptSecrets };
  }

  /** A file id can be kept when no stored key holds it, or the one that does is removed first. */
  private idFree(id: string, row: ProviderRow | null, removing: Set<string>): boolean {
    const owner = this.scope.keyOwner.get(id);
    if (owner === undefined) return true;
    if (this.scope.prunedProviders.has(owner)) return true;
    return row !== null && owner === row.id && removing.has(id);
  }

  private keyUpdate(file: ParsedKey, key: KeyRow): KeyUpdate | undefined {
    const { ctx } = this;
    const before = ctx.errors.length;
    if (file.mask !== undefined && (key.secret_ref !== null || bifrostMask(keyMaskParts(key)) !== file.mask)) {
      ctx.error([...file.path, 'value'], "is a masked value that does not match the stored key's mask; give the key itself or <REDACTED>");
    }
    const storedConfig = ctx.storedKeyConfig(key);
    const config = this.keyConfig(file, storedConfig);
    if (ctx.errors.length > before || !config) return undefined;
    const secretChanged = file.value !== REDACTED && file.value !== ctx.storedSecret(key);
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
  private keyConfig(file: ParsedKey, stored: SplitConfig): (SplitConfig & { resolved: JsonObject | null }) | undefined {
    if (!file.config) return { plain: null, secrets: {}, resolved: null };
    const before = this.ctx.errors.length;
    this.ctx.requireKept(file.config, file.path, stored.secrets);
    if (this.ctx.errors.length > before) return undefined;
    const { plain, secrets } = splitSecrets(file.config, stored.secrets);
    return { plain, secrets, resolved: mergeSecrets(plain, secrets) };
  }
}

function hasStoredSecret(key: KeyRow): boolean {
  return key.secret_sealed !== null || key.secret_ref !== null || key.key_config_secrets !== null;
}

/** Whether a key config keeps a stored secret (`<REDACTED>`) or reads one from the environment, one block deep. */
function hidesSecret(config: JsonObject | null, depth = 0): boolean {
  if (!config) return false;
  return Object.entries(config).some(([field, value]) => {
    if (typeof value === 'string') return isSecretFieldName(field) && (value === REDACTED || isEnvRef(value));
    return depth === 0 && isObject(value) && hidesSecret(value, depth + 1);
  });
}

/** `keys[2]` for a nameless key of the file. */
function jsonPathTail(path: Path): string {
  return `keys[${String(path[path.length - 1])}]`;
}
