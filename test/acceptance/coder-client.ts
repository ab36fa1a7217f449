/** What codersdk.Client does over HTTP, for the Coder acceptance suites: JSON, the token in Coder-Session-Token. */
import { expect } from 'vitest';
import type { TestServer } from '../helpers/desk.js';

export const CODER_BASE = '/api/v2/ai/providers';

/** A client over the server the suite started (read lazily: suites start it in beforeAll). */
export function coderClient(server: () => TestServer) {
  const coder = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const t = server();
    return t.request(path, { ...init, noAuth: true, headers: { 'coder-session-token': t.token, ...(init.headers as object) } });
  };
  return {
    coder,
    /** client.CreateAIProvider: anything but 201 is an error. */
    async create(json: Record<string, unknown>) {
      const res = await coder(CODER_BASE, { method: 'POST', json });
      expect(res.status, res.text).toBe(201);
      return res.body;
    },
    /** client.UpdateAIProvider (or client.Request with a raw body). */
    patch: (idOrName: string, json: unknown) => coder(`${CODER_BASE}/${idOrName}`, { method: 'PATCH', json }),
  };
}
