import * as initial from './0001-initial.js';
import * as sealNetworkSecrets from './0002-seal-network-secrets.js';
import * as health from './0003-health.js';
import * as listIndexes from './0004-list-indexes.js';
import * as modelLists from './0005-model-lists.js';
import * as gateway from './0006-gateway.js';
import * as modelCuration from './0007-model-curation.js';

/** Numbered schema steps; entry i brings the database to user_version i + 1. Append only. */
export const MIGRATIONS: ReadonlyArray<{ name: string; sql: string }> = [
  { name: '0001-initial', sql: initial.sql },
  { name: '0002-seal-network-secrets', sql: sealNetworkSecrets.sql },
  { name: '0003-health', sql: health.sql },
  { name: '0004-list-indexes', sql: listIndexes.sql },
  { name: '0005-model-lists', sql: modelLists.sql },
  { name: '0006-gateway', sql: gateway.sql },
  { name: '0007-model-curation', sql: modelCuration.sql },
];
