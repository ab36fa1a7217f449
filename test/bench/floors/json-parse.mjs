// Context for the import's peak memory: a process that only reads and parses the same config.json, holding it whole.
//   node json-parse.mjs <config.json>      prints its peak RSS in kB
import { readFileSync } from 'node:fs';

const document = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (Object.keys(document.providers ?? {}).length === 0) throw new Error('no providers in the file');
console.log(process.resourceUsage().maxRSS);
