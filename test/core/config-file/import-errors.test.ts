// An import with several errors lists every one of them, each with its JSON path, in one answer: the file's own
// errors and the plan's (a <REDACTED> key that matches no stored key) together, over the API as over the service.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/desk.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const DOCUMENT = {
  providers: {
    openai: { keys: [{ name: 'main', value: 'sk-valid-0123456789', weight: 'heavy' }], network_config: { max_retries: -1 } },
    groq: { keys: [{ name: 'kept', value: '<REDACTED>' }] },
    'Bad Name': { keys: [] },
  },
};

describe('config import errors', () => {
  it('answers 400 with every invalid field and its path, including the plan errors of the providers that did parse', async () => {
    t = await startTestServer();
    const answer = await t.request('/api/v1/config/import?dry_run=true', { method: 'POST', json: DOCUMENT });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('validation_failed');
    const paths = (answer.body.error.fields as Array<{ path: string; message: string }>).map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'providers.openai.keys[0].weight',
        'providers.openai.network_config.max_retries',
        'providers."Bad Name"',
        'providers.groq.keys[0].value',
      ]),
    );
    expect(answer.body.error.message).toMatch(/nothing was changed: .* \(and \d+ more\)$/);
    // Nothing was written.
    expect((await t.request('/api/v1/providers')).body.total).toBe(0);
  });
});
