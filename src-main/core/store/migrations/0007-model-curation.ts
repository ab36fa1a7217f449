/**
 * Model curation: the user's choices about each stored model, kept across refreshes. `enabled` (1 unless the user
 * turned the model off; surfaces, the gateway and exports leave disabled models out), `custom` (1 for an id the user
 * added that the provider need not list; a refresh never marks it gone), `gone_at` (when a refresh first stopped
 * listing it; the row stays, shown as gone, until the user dismisses it, and a listing that names it again clears it).
 */
export const sql = `
ALTER TABLE models ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE models ADD COLUMN custom INTEGER NOT NULL DEFAULT 0;
ALTER TABLE models ADD COLUMN gone_at TEXT;
`;
