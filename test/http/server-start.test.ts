/**
 * What `serve` does before it answers: Fastify's schema compilers (ajv, fast-json-stringify) are not loaded, since no
 * route declares a JSON schema; should one ever do, the lazy compilers validate and serialize as Fastify's own. The CLI
 * keeps V8's compiled code between starts.
 */
import Fastify from 'fastify';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from '../../src-main/core/http/server.js';
import { BIN, startServe, waitForExit } from '../helpers/cli.js';
import { tempDir } from '../helpers/desk.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('serve start', () => {
  it('answers /api/v1/health without loading a schema compiler', async () => {
    const dir = tempDir('pd-start-');
    cleanups.push(() => dir.remove());
    // Preloaded into serve: on exit, prints the schema-compiler modules that were ever required.
    const hook = join(dir.path, 'loaded-hook.cjs');
    writeFileSync(
      hook,
      `process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache).filter((id) => /ajv-compiler|fast-json-stringify-compiler|node_modules\\/ajv\\//.test(id))) + '\\n'));\n`,
    );
    const data = join(dir.path, 'data');
    const serve = await startServe(['--port', '0', '--data-dir', data], {
      NODE_OPTIONS: `--require ${hook}`,
    });
    const health = await fetch(`${serve.url}/api/v1/health`);
    expect(health.status).toBe(200);
    serve.child.kill('SIGTERM');
    expect(await waitForExit(serve.child)).toBe(0);
    const loaded = /LOADED (.*)/.exec(serve.output())?.[1];
    expect(loaded).toBeDefined();
    expect(JSON.parse(loaded!)).toEqual([]);
  });
});

describe('the compile cache', () => {
  it('keeps the compiled CLI in NODE_COMPILE_CACHE between starts', async () => {
    const dir = tempDir('pd-compile-cache-');
    cleanups.push(() => dir.remove());
    const run = spawnSync(process.execPath, [BIN, '--version'], {
      env: { ...process.env, NODE_COMPILE_CACHE: dir.path },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(readdirSync(dir.path).length).toBeGreaterThan(0);
  });
});

describe('lazySchemaCompilers', () => {
  it('validates a body and serializes a response by their schemas, as Fastify does by default', async () => {
    const app = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers() } });
    cleanups.push(() => app.close());
    app.post(
      '/echo',
      {
        schema: {
          body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
          response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
        },
      },
      async (request) => ({ ...(request.body as { n: number }), secret: 'not in the schema' }),
    );
    const bad = await app.inject({ method: 'POST', url: '/echo', payload: { n: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'FST_ERR_VALIDATION' });
    const good = await app.inject({ method: 'POST', url: '/echo', payload: { n: 3 } });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ n: 3 });
  });
});
