import { afterEach, describe, expect, it } from 'vitest';
import type { CheckTransition } from '../../src-main/core/contract/operation-schemas.js';
import { watchCheckTransitions } from '../../src-renderer/src/lib/check-transitions.js';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { httpClient } from './clients.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function transition(keyName: string): CheckTransition {
  return {
    kind: 'key_started_failing',
    provider: 'openai',
    provider_id: '67f62f5d-9edd-4706-926d-eb1f6bea7ae1',
    key_id: `key-${keyName}`,
    key_name: keyName,
    result: {
      key_id: `key-${keyName}`,
      ok: false,
      latency_ms: 80,
      http_status: 401,
      error_class: 'auth_failed',
      message: '401 from /v1/models',
      hint: 'the key was rejected; check it or create a new one',
      checked_at: new Date().toISOString(),
    },
    message: `Key '${keyName}' of openai stopped working: 401 — the key was rejected`,
    at: new Date().toISOString(),
  };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the browser GUI learns about keys that stopped working', () => {
  it('polls checks.recent over HTTP and hands over only what happened after the page opened, once each', async () => {
    server = await startTestServer();
    server.desk.checkTransitions.add(transition('before-page'));
    const seen: string[] = [];
    let polls = 0;
    const client = httpClient(server);
    const original = client.call.bind(client);
    client.call = ((name: Parameters<typeof original>[0], input: Parameters<typeof original>[1]) => {
      if (name === 'checks.recent') polls += 1;
      return original(name, input);
    }) as typeof client.call;
    const stop = watchCheckTransitions(client, (events) => seen.push(...events.map((e) => e.key_name)), 40);
    await until(() => polls >= 2);
    expect(seen).toEqual([]);

    server.desk.checkTransitions.add(transition('main'));
    server.desk.checkTransitions.add(transition('backup'));
    await until(() => seen.length === 2);
    const settled = polls;
    await until(() => polls >= settled + 3);
    expect(seen).toEqual(['main', 'backup']);

    stop();
    const after = polls;
    server.desk.checkTransitions.add(transition('late'));
    await new Promise((r) => setTimeout(r, 150));
    expect(polls).toBeLessThanOrEqual(after + 1);
    expect(seen).toEqual(['main', 'backup']);
  });
});
