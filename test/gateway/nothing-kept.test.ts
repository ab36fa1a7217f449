/**
 * Request and response bodies go through the gateway and nowhere else: after prompts and completions (streamed and
 * not, a failover, a refused key) with unique markers, no file in the data dir — the debug-level log, the SQLite
 * database and its WAL — holds a marker or a provider key, and the log holds no Provider Desk token.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOG_FILE } from '../../src-main/core/log/logger.js';
import { startGateway, usageOf, type Gateway } from './harness.js';

const PROMPT = 'prompt-marker-4b1d9e';
const COMPLETION = 'completion-marker-77c2a0';
const KEYS = { good: 'sk-good-key-5f3e1a9c', refused: 'sk-refused-key-0d8b44' };

let g: Gateway;
beforeAll(async () => {
  g = await startGateway();
});
afterAll(async () => {
  await g?.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

it('keeps no prompt, completion or key in the logs or the store', async () => {
  const up = await g.upstream({ dialect: 'openai', keys: [KEYS.good], reply: [COMPLETION, ' and more'] });
  g.provider({
    name: 'openai',
    type: 'openai',
    base_url: `${up.url}/v1`,
    api_keys: [
      { name: 'refused', value: KEYS.refused, weight: 1 },
      { name: 'good', value: KEYS.good, weight: 0 },
    ],
  });
  const messages = [{ role: 'user', content: PROMPT }];
  const plain = await g.request('/proxy/openai/v1/chat/completions', { method: 'POST', json: { model: 'gpt-4o-mini', messages } });
  expect(plain.text).toContain(COMPLETION);
  const streamed = await g.request('/v1/chat/completions', {
    method: 'POST',
    json: { model: 'openai/gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } },
  });
  expect(streamed.text).toContain(COMPLETION);
  expect(up.requests.some((r) => r.body.toString().includes(PROMPT))).toBe(true);
  await usageOf(g, 'openai', 4);

  const log = readFileSync(join(g.dataDir, 'logs', LOG_FILE), 'utf8');
  expect(log).toContain('gateway key refused');
  // The API token has its own file (for the CLI); it must not be anywhere else, nor in the log.
  expect(log).not.toContain(g.token);
  for (const file of filesUnder(g.dataDir)) {
    const bytes = readFileSync(file);
    for (const secret of [PROMPT, COMPLETION, KEYS.good, KEYS.refused]) {
      expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
    }
  }
});
