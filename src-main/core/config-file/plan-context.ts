/**
 * What the parts of an import plan share: the errors found so far (every bad path is reported at once, never just
 * the first) and the stored secrets, decrypted in memory only, so the file's secrets are compared with what is kept.
 */
import type { FieldError } from '../contract/errors.js';
import { parseJson } from '../service/codec.js';
import { keyConfigAad, keyValueAad } from '../service/provider-writer.js';
import { isSecretFieldName, SECRET_LIST_KEY } from '../service/secret-fields.js';
import type { KeyRow } from '../store/rows.js';
import type { Vault } from '../vault/vault.js';
import { isObject, jsonPath, REDACTED, type JsonObject, type Path } from './format.js';

/** A key's config as the store splits it: plain fields, and the sealed secrets by dotted field path. */
export interface SplitConfig {
  plain: JsonObject | null;
  secrets: Record<string, string>;
}

export class PlanContext {
  readonly errors: FieldError[] = [];
  // Key matching by value may compare one stored key with many file keys: open each one once.
  private readonly secretCache = new Map<string, string>();

  constructor(readonly vault: Vault) {}

  error(path: Path, message: string): void {
    this.errors.push({ path: jsonPath(path), message });
  }

  missing(path: Path): void {
    this.error(path, 'is <REDACTED> but nothing is stored here to keep; give the value');
  }

  /**
   * Reports each `<REDACTED>` secret of `values` (one level deep, as settings and key configs nest) that has no
   * stored secret to keep. `alsoSecret` names fields that are secret though their names do not say so.
   */
  requireKept(values: JsonObject, at: Path, stored: Record<string, string>, alsoSecret: ReadonlySet<string> = new Set()): void {
    for (const [field, value] of Object.entries(values)) {
      if (value === REDACTED && (isSecretFieldName(field) || alsoSecret.has(field)) && stored[field] === undefined)
        this.missing([...at, field]);
      if (isObject(value)) {
        for (const [inner, innerValue] of Object.entries(value)) {
          if (innerValue === REDACTED && isSecretFieldName(inner) && stored[`${field}.${inner}`] === undefined)
            this.missing([...at, field, inner]);
        }
      }
    }
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

  storedKeyConfig(key: KeyRow): SplitConfig {
    const plain = parseJson<JsonObject | null>(key.key_config, null);
    if (plain) delete plain[SECRET_LIST_KEY];
    const secrets = key.key_config_secrets
      ? (JSON.parse(this.vault.openText(key.key_config_secrets, keyConfigAad(key.id))) as Record<string, string>)
      : {};
    return { plain, secrets };
  }
}
