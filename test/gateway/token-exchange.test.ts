/**
 * Providers whose key is exchanged for an access token (Vertex: a service-account JWT for an OAuth token; watsonx: an
 * IBM Cloud API key for an IAM token) get the token as Bearer, exchanged once and reused until it expires; one the
 * provider stops accepting is exchanged again. Azure gets its `api-key` and its deployment URL from the /v1 endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { startGateway, type Gateway } from './harness.js';

let g: Gateway;
const fakes: FakeProvider[] = [];

beforeAll(async () => {
  g = await startGateway();
});
afterAll(async () => {
  await g?.close();
  await Promise.all(fakes.map((fake) => fake.close()));
});

async function fake(family: 'vertex' | 'watsonx' | 'azure'): Promise<FakeProvider> {
  const started = await startFakeProvider(family, { keys: ['ibm-api-key'] });
  fakes.push(started);
  return started;
}

const bearer = (fake: FakeProvider) => fake.requests.filter((r) => !/token$/.test(r.path)).map((r) => r.headers.authorization);

describe('token exchanges', () => {
  it('Vertex: calls the API with an OAuth token from the service account, exchanged once', async () => {
    const vertex = await fake('vertex');
    g.provider({
      name: 'vertex',
      type: 'vertex',
      base_url: vertex.baseUrl,
      settings: vertex.settings,
      api_keys: [{ name: 'sa', value: vertex.serviceAccountJson! }],
    });
    const path = '/v1/projects/fake-project/locations/us-central1/publishers/google/models/gemini-2.0-flash-001:generateContent';
    for (let i = 0; i < 3; i++) {
      const answer = await g.request(`/proxy/vertex${path}`, {
        method: 'POST',
        json: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.candidates[0].content.parts[0].text).toBe('Hi');
    }
    expect(vertex.tokens.size).toBe(1);
    const [token] = [...vertex.tokens];
    expect(bearer(vertex)).toEqual([`Bearer ${token}`, `Bearer ${token}`, `Bearer ${token}`]);
  });

  it('watsonx: calls the API with an IAM token, and exchanges again when a kept token is refused', async () => {
    const watsonx = await fake('watsonx');
    g.provider({
      name: 'watsonx',
      type: 'watsonx',
      base_url: watsonx.baseUrl,
      settings: watsonx.settings,
      api_keys: [{ name: 'ibm', value: 'ibm-api-key' }],
    });
    const list = () => g.request('/proxy/watsonx/ml/v1/foundation_model_specs?version=2024-05-01&limit=5');
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(200);
    expect(watsonx.tokens.size).toBe(1);
    // The provider forgets the token (as it does once one expires): the next request gets a fresh one, not a 401.
    watsonx.tokens.clear();
    expect((await list()).status).toBe(200);
    expect(watsonx.tokens.size).toBe(1);
    expect(g.desk.providers.get('watsonx').api_keys[0]!.health).toBe('untested');
  });
});

describe('Azure OpenAI on the /v1 endpoint', () => {
  it('sends chat completions to the deployment URL with api-key and the api-version', async () => {
    const azure = await fake('azure');
    g.provider({
      name: 'azure',
      type: 'azure',
      base_url: azure.baseUrl,
      settings: { api_version: '2024-10-21', deployments: 'gpt-4o-mini=chat-deployment' },
      api_keys: [{ name: 'main', value: 'ibm-api-key' }],
    });
    const answer = await g.request('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'azure/gpt-4o-mini', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(answer.status).toBe(200);
    const seen = azure.requests.at(-1)!;
    expect(seen.path).toBe('/openai/deployments/chat-deployment/chat/completions');
    expect(seen.query).toEqual({ 'api-version': '2024-10-21' });
    expect(seen.headers['api-key']).toBe('ibm-api-key');
    expect(seen.headers.authorization).toBeUndefined();
  });
});
