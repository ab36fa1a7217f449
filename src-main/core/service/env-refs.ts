/**
 * `env.VAR` references are resolved by the process that owns the store (the app or `provider-desk serve`), with the
 * environment it was started with. A variable that is not set there is its own verdict (key health `missing_env`,
 * error class `missing_env`) naming the variable, so the health never depends on which process ran the test.
 */
import { DeskError } from '../contract/errors.js';
import type { CheckResult } from '../contract/domain-schemas.js';
import { isEnvRef } from '../contract/env-ref.js';

/** A referenced environment variable that is unset (or empty) in the owning process. */
export class MissingEnvError extends DeskError {
  constructor(readonly variable: string) {
    super(
      'validation_failed',
      `The environment variable ${variable} (env.${variable}) is not set where Provider Desk runs (the app or \`provider-desk serve\` that owns the store)`,
    );
    this.name = 'MissingEnvError';
  }
}

/** The variable an `env.VAR` reference names, or null for any other value. */
export function envVariableOf(value: string): string | null {
  return isEnvRef(value) ? value.slice('env.'.length) : null;
}

/** Throws MissingEnvError for the first reference among `values` whose variable is unset or empty in `env`. */
export function requireEnvRefs(values: Iterable<string | null | undefined>, env: NodeJS.ProcessEnv): void {
  for (const value of values) {
    const variable = typeof value === 'string' ? envVariableOf(value) : null;
    if (variable !== null && !env[variable]) throw new MissingEnvError(variable);
  }
}

/** The check result of a key (or a keyless provider) whose variable is missing: what to set, and where. */
export function missingEnvResult(keyId: string | null, error: MissingEnvError, checkedAt: string): CheckResult {
  return {
    key_id: keyId,
    ok: false,
    latency_ms: 0,
    http_status: null,
    error_class: 'missing_env',
    message: error.message,
    hint: `Set ${error.variable} in the environment of the app or \`provider-desk serve\` and restart it, or replace the key`,
    checked_at: checkedAt,
  };
}

/**
 * The check result of a key whose secret could not be opened for a check, so nothing was sent: an unset `env.VAR`
 * (what to set, and where), or a value that does not open (replace the key).
 */
export function unreadableSecretResult(keyId: string | null, error: unknown, checkedAt: string): CheckResult {
  if (error instanceof MissingEnvError) return missingEnvResult(keyId, error, checkedAt);
  return {
    key_id: keyId,
    ok: false,
    latency_ms: 0,
    http_status: null,
    error_class: 'missing_credentials',
    message: error instanceof DeskError ? error.message : 'The key could not be read from the vault',
    hint: 'Set the referenced environment variable or replace the key',
    checked_at: checkedAt,
  };
}
