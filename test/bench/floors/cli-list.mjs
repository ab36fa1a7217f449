// The floor of `provider-desk list`: open the store, read the six columns the CLI prints (keys counted in SQL) in the
// CLI's order, and print them as the same aligned table, control characters made visible as the CLI does.
//   node cli-list.mjs <data-dir>
import Database from 'better-sqlite3';
import { join } from 'node:path';

const db = new Database(join(process.argv[2] ?? '.', 'provider-desk.sqlite'), { fileMustExist: true });
const rows = db
  .prepare(
    `SELECT name, type, enabled, health, (SELECT COUNT(*) FROM api_keys WHERE provider_id = providers.id) AS keys, base_url
       FROM providers ORDER BY name COLLATE NOCASE, seq`,
  )
  .raw()
  .all();
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const cell = (value) => String(value).replace(UNSAFE, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
const table = [['NAME', 'TYPE', 'ENABLED', 'HEALTH', 'KEYS', 'BASE URL']];
for (const [name, type, enabled, health, keys, baseUrl] of rows)
  table.push([cell(name), cell(type), enabled ? 'yes' : 'no', cell(health), String(keys), cell(baseUrl)]);
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const line = (row) =>
  row
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
const lines = [line(table[0]), line(widths.map((w) => '-'.repeat(w))), ...table.slice(1).map(line)];
process.stdout.write(lines.join('\n') + '\n');
db.close();
