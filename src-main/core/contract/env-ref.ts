/**
 * An `env.VAR` reference: a secret written as the name of an environment variable, resolved only where it is used.
 * Kept in the contract (plain, no Node) so that the vault, the services and the surfaces share one definition.
 */
const ENV_REF = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/;

export function isEnvRef(value: string): boolean {
  return ENV_REF.test(value);
}

/** The variable a reference names ('' when `value` is no reference). */
export function envRefVariable(value: string): string {
  return ENV_REF.exec(value)?.[1] ?? '';
}
