/** Keys that name their own server (Bifrost's `vllm_key_config.url`, `ollama_key_config.url`, `sgl_key_config.url`) are checked there. */
import { describe, expect, it } from 'vitest';
import { key, target, useProbeEngine } from './helpers.js';
import { targetForKey } from '../../../src-main/core/probe/key-endpoint.js';

describe('a key with its own server URL', () => {
  const { engine, fake } = useProbeEngine();

  it('checks a vLLM key at its vllm_key_config.url (with /v1 added, as Bifrost does), not the provider default', async () => {
    const server = await fake('openai', { keys: ['vllm-secret-0123456789'] });
    const host = server.baseUrl.replace(/\/v1$/, '');
    // The provider's own base URL points nowhere: only the key's URL can answer.
    const provider = target('vllm', 'http://127.0.0.1:9/v1');
    const outcome = await engine.checkKey(provider, key('vllm-secret-0123456789', { vllm_key_config: { url: host, model_name: 'm' } }));
    expect(outcome.result.ok, outcome.result.message).toBe(true);
    expect(server.requests.some((r) => r.path === '/v1/models')).toBe(true);
  });

  it('reads the URL in Bifrost secret-value object form too, and keeps a URL that already has a path', () => {
    const provider = target('sgl', 'http://127.0.0.1:30000/v1');
    expect(targetForKey(provider, key(null, { sgl_key_config: { url: { value: 'http://gpu:30000', env_var: '' } } })).baseUrl).toBe(
      'http://gpu:30000/v1',
    );
    expect(targetForKey(provider, key(null, { sgl_key_config: { url: 'http://gpu:30000/api/v1' } })).baseUrl).toBe(
      'http://gpu:30000/api/v1',
    );
    expect(
      targetForKey(target('ollama', 'http://localhost:11434'), key(null, { ollama_key_config: { url: 'http://box:11434' } })).baseUrl,
    ).toBe('http://box:11434');
  });

  it('leaves other types and keys without a URL alone', () => {
    const openai = target('openai', 'https://api.openai.com/v1');
    expect(targetForKey(openai, key('sk', { vllm_key_config: { url: 'http://evil:1' } })).baseUrl).toBe('https://api.openai.com/v1');
    const vllm = target('vllm', 'http://localhost:8000/v1');
    expect(targetForKey(vllm, key(null, null)).baseUrl).toBe('http://localhost:8000/v1');
    expect(targetForKey(vllm, key(null, { vllm_key_config: { url: 'not a url' } })).baseUrl).toBe('http://localhost:8000/v1');
  });
});
