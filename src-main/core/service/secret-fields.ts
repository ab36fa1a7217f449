/** Splitting objects into their plain part and their secret part (which goes to the vault), and back. */

export const REDACTED = '<REDACTED>';
export const SECRET_LIST_KEY = '_secret_fields';

/** Field names that hold secrets inside settings blocks and Bifrost typed key configs. */
const SECRET_FIELD_NAMES = new Set([
  'access_key',
  'access_key_secret',
  'secret_key',
  'session_token',
  'auth_credentials',
  'service_account_json',
  'api_key',
  'client_secret',
  'password',
]);

export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD_NAMES.has(name);
}

/** A header name that reads like a credential (Authorization, Helicone-Auth, x-api-key, Cookie, X-Custom-Token …). */
const SECRET_HEADER_NAME = /auth|key|token|secret|cookie|passw|pwd|credential|session|signature/i;

/** Whether an extra header's value is a secret: sealed in the vault and masked in every view. */
export function isSecretHeaderName(name: string): boolean {
  return SECRET_HEADER_NAME.test(name);
}

export interface SplitResult {
  plain: Record<string, unknown>;
  secrets: Record<string, string>;
}

/**
 * Moves secret string fields (top level and one level of nested blocks) into `secrets`, keyed by dotted path.
 * A value of `<REDACTED>` means "keep what is stored" and is resolved against `previous`.
 */
export function splitSecrets(
  input: Record<string, unknown>,
  previous: Record<string, string>,
  extraSecretNames: ReadonlySet<string> = new Set(),
): SplitResult {
  const plain: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  const take = (path: string, value: string): void => {
    if (value === REDACTED) {
      const kept = previous[path];
      if (kept !== undefined) secrets[path] = kept;
    } else if (value !== '') {
      secrets[path] = value;
    }
  };
  for (const [key, value] of Object.entries(input)) {
    if (key === SECRET_LIST_KEY) continue;
    if ((isSecretFieldName(key) || extraSecretNames.has(key)) && typeof value === 'string') {
      take(key, value);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const nested: Record<string, unknown> = {};
      for (const [inner, innerValue] of Object.entries(value as Record<string, unknown>)) {
        if (isSecretFieldName(inner) && typeof innerValue === 'string') take(`${key}.${inner}`, innerValue);
        else nested[inner] = innerValue;
      }
      plain[key] = nested;
    } else {
      plain[key] = value;
    }
  }
  return { plain, secrets };
}

/** The plain object with every stored secret shown as `<REDACTED>` (for output). */
export function redactedView(plain: Record<string, unknown>, secretPaths: readonly string[]): Record<string, unknown> {
  return mergeSecrets(plain, Object.fromEntries(secretPaths.map((path) => [path, REDACTED])));
}

/**
 * A deep copy of JSON-like data (plain objects, arrays, primitives), as structuredClone makes it; anything else goes
 * through structuredClone. Hand-made because structuredClone serializes: tens of µs for a small settings object,
 * paid twice per provider in a test-all.
 */
function deepCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
  for (const key of Object.keys(value)) {
    const copy = deepCopy((value as Record<string, unknown>)[key]);
    // An own "__proto__" key (JSON.parse makes them) stays a key; assigning it would set the copy's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out as T;
}

/** Puts secrets back at their dotted paths (for probes, in memory only). */
export function mergeSecrets(plain: Record<string, unknown>, secrets: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = deepCopy(plain);
  delete out[SECRET_LIST_KEY];
  for (const [path, value] of Object.entries(secrets)) {
    const dot = path.indexOf('.');
    if (dot === -1) {
      out[path] = value;
    } else {
      const block = path.slice(0, dot);
      const existing = out[block];
      const target = existing && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Record<string, unknown>) : {};
      target[path.slice(dot + 1)] = value;
      out[block] = target;
    }
  }
  return out;
}
