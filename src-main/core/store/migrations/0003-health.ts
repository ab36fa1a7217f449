/**
 * One health vocabulary (ok | degraded | error | offline | untested): a `health` column on providers, which the list
 * filter and the health sort read. Migrations are SQL only, so this step adds the column and marks the store; the
 * provider service computes every provider's health from its keys' last checks on its first open after it
 * (service/recompute-legacy-health.ts), with the same function every later write uses, and clears the mark.
 */
export const RECOMPUTE_HEALTH_MARK = 'recompute_health';

export const sql = `
ALTER TABLE providers ADD COLUMN health TEXT NOT NULL DEFAULT 'untested';
CREATE INDEX providers_health ON providers (health);
INSERT INTO meta (key, value) VALUES ('${RECOMPUTE_HEALTH_MARK}', 'pending') ON CONFLICT (key) DO UPDATE SET value = 'pending';
`;
