// A second process writing the same data dir: adds keys and increments a counter with optimistic concurrency.
import { Desk } from '../../src-main/core/desk.js';
import { DeskError } from '../../src-main/core/contract/errors.js';
import { silentLogger } from '../../src-main/core/log/logger.js';

const [dataDir, label, countText] = process.argv.slice(2);
const count = Number(countText);
const desk = new Desk({ dataDir: dataDir!, logger: silentLogger });
for (let i = 0; i < count; i++) {
  desk.providers.addKey('shared', { name: `${label}-${i}`, value: `sk-${label}-value-${i}-abcdefgh` });
  // Read, modify, write with the revision; retry on 412 like a careful client.
  for (;;) {
    const current = desk.providers.get('shared');
    const next = String(Number(current.description || '0') + 1);
    try {
      desk.providers.update('shared', { description: next }, current.revision);
      break;
    } catch (error) {
      if (!(error instanceof DeskError && error.code === 'precondition_failed')) throw error;
    }
  }
}
await desk.close();
