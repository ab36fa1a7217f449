/**
 * Secret header values and proxy URL userinfo were stored in plaintext before this step. Migrations are SQL and run
 * before the vault opens, so this step only marks the store; the provider service seals what it finds on its first
 * open after it (service/seal-legacy-network-values.ts) and clears the mark in the same transaction.
 */
export const SEAL_NETWORK_VALUES_MARK = 'seal_network_values';

export const sql = `
INSERT INTO meta (key, value) VALUES ('${SEAL_NETWORK_VALUES_MARK}', 'pending') ON CONFLICT (key) DO UPDATE SET value = 'pending';
`;
