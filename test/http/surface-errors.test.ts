import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeskError } from '../../src-main/core/contract/errors.js';
import { startTestServer, type TestServer } from '../helpers/desk.js';

/**
 * Each compatible surface is its own Fastify plugin with its own error handler and 404 handler: what goes wrong inside
 * one surface is answered in that surface's shape, and never in another's or the native API's.
 */
const CODER_INTERNAL = 'An internal error occurred. Please try again or contact the system administrator.';

const bifrostBody = (status: number, message: string) => ({
  is_bifrost_error: false,
  status_code: status,
  error: { message },
  extra_fields: {},
});

describe('surface error handlers', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers an unexpected error thrown inside each surface in that surface 500 shape, without its message', async () => {
    const boom = () => {
      throw new TypeError('boom: internal detail');
    };
    vi.spyOn(t.desk.providers, 'list').mockImplementation(boom);
    vi.spyOn(t.desk.providers, 'allProviders').mockImplementation(boom);

    const ziri = await t.request('/api/providers');
    expect([ziri.status, ziri.body]).toEqual([500, { error: 'Internal error', code: 'INTERNAL_ERROR' }]);
    const coder = await t.request('/api/v2/ai/providers');
    expect([coder.status, coder.body]).toEqual([500, { message: CODER_INTERNAL }]);
    const bifrost = await t.request('/bifrost/api/providers');
    expect([bifrost.status, bifrost.body]).toEqual([500, bifrostBody(500, 'Internal error')]);
    const agentStack = await t.request('/api/v1/model_providers');
    expect([agentStack.status, agentStack.body]).toEqual([500, { detail: 'Internal Server Error' }]);
    for (const answer of [ziri, coder, bifrost, agentStack]) expect(answer.text).not.toContain('boom');
  });

  it('translates the same service error into each surface own status and body', async () => {
    vi.spyOn(t.desk.providers, 'list').mockImplementation(() => {
      throw new DeskError('conflict', 'someone else got there first');
    });
    vi.spyOn(t.desk.providers, 'allProviders').mockImplementation(() => {
      throw new DeskError('conflict', 'someone else got there first');
    });

    const ziri = await t.request('/api/providers');
    expect([ziri.status, ziri.body]).toEqual([409, { error: 'someone else got there first', code: 'CONFLICT' }]);
    const coder = await t.request('/api/v2/ai/providers');
    expect([coder.status, coder.body]).toEqual([409, { message: 'someone else got there first' }]);
    const bifrost = await t.request('/bifrost/api/providers');
    expect([bifrost.status, bifrost.body]).toEqual([409, bifrostBody(409, 'someone else got there first')]);
    // Agent Stack answers every conflict as its 400.
    const agentStack = await t.request('/api/v1/model_providers');
    expect([agentStack.status, agentStack.body]).toEqual([400, { detail: 'someone else got there first' }]);
  });

  it('answers an unknown path (or method) under each prefix with that surface 404, and elsewhere with the native one', async () => {
    const ziri = await t.request('/api/providers/a/b/c');
    expect([ziri.status, ziri.body]).toEqual([404, { error: 'No route for GET /api/providers/a/b/c', code: 'NOT_FOUND' }]);
    const ziriMethod = await t.request('/api/providers', { method: 'PATCH' });
    expect([ziriMethod.status, ziriMethod.body]).toEqual([404, { error: 'No route for PATCH /api/providers', code: 'NOT_FOUND' }]);
    const coder = await t.request('/api/v2/workspaces');
    expect([coder.status, coder.body]).toEqual([404, { message: 'Resource not found or you do not have access to this resource' }]);
    const bifrost = await t.request('/bifrost/api/plugins');
    expect([bifrost.status, bifrost.body]).toEqual([404, bifrostBody(404, 'No route for GET /bifrost/api/plugins')]);
    const agentStack = await t.request('/api/v1/model_providers/a/b');
    expect([agentStack.status, agentStack.body]).toEqual([404, { detail: 'Not Found' }]);
    // A path that only starts like a surface's prefix is not the surface's.
    const lookalike = await t.request('/api/providersfoo');
    expect([lookalike.status, lookalike.body]).toEqual([
      404,
      { error: { code: 'not_found', message: 'No route for GET /api/providersfoo' } },
    ]);
    const native = await t.request('/api/v1/nothing-here');
    expect([native.status, native.body]).toEqual([404, { error: { code: 'not_found', message: 'No route for GET /api/v1/nothing-here' } }]);
  });

  it('refuses a request without a token in the shape of the surface whose route (or 404) matched', async () => {
    for (const path of ['/api/providers', '/api/providers/a/b/c']) {
      const res = await t.request(path, { noAuth: true });
      expect([path, res.status, res.body]).toEqual([path, 401, { error: 'Authentication required', code: 'UNAUTHORIZED' }]);
    }
    for (const path of ['/api/v2/ai/providers', '/api/v2/workspaces']) {
      const res = await t.request(path, { noAuth: true });
      expect([path, res.status, res.body.message]).toEqual([
        path,
        401,
        'You are signed out or your session has expired. Please sign in again to continue.',
      ]);
    }
    for (const path of ['/bifrost/api/providers', '/bifrost/api/plugins']) {
      const res = await t.request(path, { noAuth: true });
      expect([path, res.status, res.body.is_bifrost_error, res.body.status_code]).toEqual([path, 401, false, 401]);
    }
    for (const path of ['/api/v1/model_providers', '/api/v1/model_providers/a/b']) {
      const res = await t.request(path, { noAuth: true });
      expect([path, res.status, res.body, res.headers.get('www-authenticate')]).toEqual([
        path,
        401,
        { detail: 'Not authenticated' },
        'Basic',
      ]);
    }
    for (const path of ['/api/v1/providers', '/api/v1/nothing-here']) {
      const res = await t.request(path, { noAuth: true });
      expect([path, res.status, res.body.error.code, res.headers.get('www-authenticate')]).toEqual([path, 401, 'unauthorized', null]);
    }
  });

  it('answers a body that is not JSON in each surface shape', async () => {
    const post = (path: string) => t.request(path, { method: 'POST', body: '{"name":', headers: { 'content-type': 'application/json' } });
    const ziri = await post('/api/providers');
    expect([ziri.status, ziri.body]).toEqual([400, { error: 'Request body must be valid JSON.', code: 'INVALID_JSON' }]);
    const coder = await post('/api/v2/ai/providers');
    expect([coder.status, coder.body.message]).toEqual([400, 'Request body must be valid JSON.']);
    const bifrost = await post('/bifrost/api/providers');
    expect([bifrost.status, bifrost.body]).toEqual([400, bifrostBody(400, 'Invalid request payload')]);
    const agentStack = await post('/api/v1/model_providers');
    expect([agentStack.status, agentStack.body]).toEqual([
      400,
      { detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error' }] },
    ]);
    const native = await post('/api/v1/providers');
    expect([native.status, native.body.error.code]).toEqual([400, 'bad_request']);
  });
});
