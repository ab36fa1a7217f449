// The streamed import (a config.json read from its file as it is needed, file-document.ts) gives exactly what the
// import of the same document held in memory gives; its errors name their JSON path, all of them, and write nothing.
import { randomUUID } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openConfigFile } from '../../../src-main/core/config-file/file-document.js';
import type { Desk } from '../../../src-main/core/desk.js';
import { openTestDesk, tempDir } from '../../helpers/desk.js';
import { realWorldConfig } from './fixtures.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function freshDesk(): Desk {
  const dir = tempDir();
  const desk = openTestDesk({ dataDir: dir.path });
  cleanups.push(async () => {
    await desk.close();
    dir.remove();
  });
  return desk;
}

function fileOf(text: string): string {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  const file = join(dir.path, 'config.json');
  writeFileSync(file, text);
  return file;
}

/** `count` generated providers after the fixture's real-world ones, with strings that test the scanner's edges. */
function largeDocument(count: number): Record<string, any> {
  const base = realWorldConfig();
  // Keys without an id get a random one on import: give each its own, so that two stores can be compared.
  for (const provider of Object.values(base.providers) as Array<{ keys?: Array<{ id?: string }> }>)
    for (const key of provider.keys ?? []) key.id ??= randomUUID();
  const providers: Record<string, unknown> = { ...base.providers };
  for (let i = 0; i < count; i++) {
    providers[`gen-${i}`] = {
      provider_desk: {
        type: i % 3 === 0 ? 'anthropic' : 'openai',
        display_name: `Provider ${i} "quoted" \\ back\\\\slash ünïcødé 🙂 {not} [structure], :`,
        ...(i % 7 === 0 ? { description: `${'x\\"'.repeat(i % 50)} ends with a backslash \\` } : {}),
        enabled: i % 5 !== 0,
      },
      keys: [
        { id: randomUUID(), name: 'main', value: `sk-gen-${i}-${'a'.repeat(20)}`, models: [], weight: 1 },
        ...(i % 4 === 0 ? [{ id: randomUUID(), name: 'env', value: 'env.GEN_KEY', models: ['m-1', 'm-2'], weight: 0.5 }] : []),
      ],
      network_config: { base_url: `https://h${i % 40}.example.com/v1`, max_retries: i % 3 },
      ...(i % 11 === 0 ? { concurrency_and_buffer_size: { concurrency: 4, buffer_size: 40 }, a_newer_field: { x: [1, 2] } } : {}),
    };
  }
  // Sections before and after providers, as Bifrost's files have them.
  const { $schema, client, ...rest } = base;
  return { $schema, client, ...rest, providers, governance_after: { note: 'after "providers" \\' } };
}

async function exported(desk: Desk): Promise<unknown> {
  const result = await desk.dispatch('config.export', { secrets: 'plain' }, { transport: 'cli' });
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

describe('streamed config import', () => {
  it('reads a file exactly as JSON.parse does (chunk boundaries inside strings and escapes)', () => {
    const document = largeDocument(6_000);
    const text = JSON.stringify(document, null, 1);
    expect(text.length).toBeGreaterThan(3 * (1 << 20)); // several 1 MiB chunks
    const source = openConfigFile(fileOf(text));
    const { providers, ...sections } = document;
    expect(source.sections).toEqual(sections);
    expect(source.order).toEqual(Object.keys(document));
    expect(source.errors).toEqual([]);
    // Twice: each iteration reads the file again.
    for (let pass = 0; pass < 2; pass++) expect(Object.fromEntries(source.entries)).toEqual(providers);
  });

  it('a streamed import of 20,000 providers gives the same store as the import of the parsed document', async () => {
    const document = largeDocument(20_000);
    const file = fileOf(JSON.stringify(document));
    const whole = freshDesk();
    const streamed = freshDesk();

    const inMemory = await whole.dispatch('config.import', document, { transport: 'cli' });
    const fromFile = await streamed.dispatch('config.import', {}, { transport: 'cli', document: openConfigFile(file) });
    expect(inMemory.ok && fromFile.ok).toBe(true);
    if (!inMemory.ok || !fromFile.ok) return;
    expect(fromFile.data.added).toHaveLength(20_000 + Object.keys(realWorldConfig().providers).length);
    expect(fromFile.data).toEqual(inMemory.data);
    expect(await exported(streamed)).toEqual(await exported(whole));

    // Again, as a no-op: every provider unchanged, in both.
    const again = await streamed.dispatch('config.import', { dry_run: true }, { transport: 'cli', document: openConfigFile(file) });
    expect(again.ok && again.data.unchanged.length).toBe(fromFile.data.added.length);
  }, 120_000);

  it('an error deep in the file is reported with its path, with every other error, and nothing is written', async () => {
    const desk = freshDesk();
    const seeded = await desk.dispatch('config.import', { providers: realWorldConfig().providers }, { transport: 'cli' });
    expect(seeded.ok).toBe(true);
    const before = await exported(desk);

    const document = largeDocument(20_000);
    document.providers['gen-19998'].keys[0].value = 42;
    document.providers['gen-19999'].network_config.max_retries = -1;
    document.providers['gen-3'].keys[0].weight = 'heavy';
    const file = fileOf(JSON.stringify(document));
    const result = await desk.dispatch('config.import', { prune: true }, { transport: 'cli', document: openConfigFile(file) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation_failed');
    expect(result.error.fields?.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'providers.gen-3.keys[0].weight',
        'providers.gen-19998.keys[0].value',
        'providers.gen-19999.network_config.max_retries',
      ]),
    );
    expect(await exported(desk)).toEqual(before);
  }, 120_000);

  it('refuses a file that changes while it is imported, and a provider given twice', async () => {
    const desk = freshDesk();
    const file = fileOf(JSON.stringify(largeDocument(50)));
    const source = openConfigFile(file);
    appendFileSync(file, '\n');
    const changed = await desk.dispatch('config.import', {}, { transport: 'cli', document: source });
    expect(changed.ok).toBe(false);
    if (!changed.ok) expect(changed.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/changed while/) });
    expect((await desk.dispatch('providers.list', {}, { transport: 'cli' })).ok && desk.repo.allProviders()).toEqual([]);

    const twice = fileOf('{"providers":{"openai":{"keys":[]},"openai":{"keys":[]}}}');
    const result = await desk.dispatch('config.import', {}, { transport: 'cli', document: openConfigFile(twice) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.fields).toContainEqual({ path: 'providers.openai', message: 'is given twice in this file' });
  });

  it('reports JSON syntax errors at open, before anything else', () => {
    expect(() => openConfigFile(fileOf('{"providers":{"a":{"keys":[1,]}}}'))).toThrow(/in the value at byte/);
    expect(() => openConfigFile(fileOf('{"providers":{"a":{"keys":[]}'))).toThrow(/expected|end of the file/);
    expect(() => openConfigFile(fileOf('[1,2]'))).toThrow(/must hold a JSON object/);
    expect(() => openConfigFile(fileOf('{"a":1} x'))).toThrow(/unexpected data/);
    expect(() => openConfigFile(fileOf('{"a":"unterminated}'))).toThrow(/unterminated string/);
  });
});
