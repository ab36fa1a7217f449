import { describe, expect, it } from 'vitest';
import { ProviderName } from '../../src-main/core/contract/provider-inputs.js';
import { NAME_RULE, nextFreeName, numberedName, slugifyName } from '../../src-renderer/src/lib/slug.js';
import { describeRepeats, lineOfIndex, parseKeyLines } from '../../src-renderer/src/lib/key-lines.js';

describe('slugifyName', () => {
  it.each([
    ['Bad Name', 'bad-name'],
    ['  My OpenAI (work)  ', 'my-openai-work'],
    ['api.openai.com', 'api-openai-com'],
    ['Café Münchën', 'cafe-munchen'],
    ['--x__y--', 'x_y'],
    ['a - b', 'a-b'],
    ['OPENAI_2', 'openai_2'],
    ['!!!', ''],
  ])('%j → %j, which the backend accepts', (typed, slug) => {
    expect(slugifyName(typed)).toBe(slug);
    if (slug) expect(ProviderName.safeParse(slug).success).toBe(true);
  });

  it('keeps a trailing separator while typing, so a space can start the next word', () => {
    let value = '';
    for (const ch of 'Bad Name') value = slugifyName(value + ch, { typing: true });
    expect(value).toBe('bad-name');
    expect(slugifyName('bad ', { typing: true })).toBe('bad-');
    expect(slugifyName('bad ')).toBe('bad');
  });

  it('caps the name at 64 characters', () => {
    expect(slugifyName('x'.repeat(100))).toHaveLength(64);
  });

  it('explains the rule in words, not as a regex', () => {
    expect(NAME_RULE).not.toMatch(/[\^$[\]]/);
    expect(NAME_RULE).toMatch(/Lowercase letters/);
  });
});

describe('nextFreeName', () => {
  const takenOf = (names: string[]) => (name: string) => names.includes(name);

  it('keeps a free name', async () => {
    await expect(nextFreeName('openai', takenOf([]))).resolves.toBe('openai');
  });

  it('suggests openai-2 when openai exists, openai-3 when openai-2 does too', async () => {
    await expect(nextFreeName('openai', takenOf(['openai']))).resolves.toBe('openai-2');
    await expect(nextFreeName('openai', takenOf(['openai', 'openai-2']))).resolves.toBe('openai-3');
  });

  it('counts on from a taken numbered name', async () => {
    await expect(nextFreeName('openai-4', takenOf(['openai-4']))).resolves.toBe('openai-5');
  });

  it('asks an async check (the backend) and stays within the length limit', async () => {
    const long = 'y'.repeat(64);
    const asked: string[] = [];
    const free = await nextFreeName(long, async (name) => {
      asked.push(name);
      return name === long;
    });
    expect(free).toBe(`${'y'.repeat(62)}-2`);
    expect(free).toHaveLength(64);
    expect(asked).toEqual([long, free]);
    expect(numberedName('abc', 1)).toBe('abc');
  });
});

describe('parseKeyLines', () => {
  it('takes one key per line, ignoring blank lines and surrounding whitespace', () => {
    expect(parseKeyLines('  sk-a  \n\n\tsk-b\r\nsk-c\n   \n')).toEqual({ values: ['sk-a', 'sk-b', 'sk-c'], repeats: [] });
  });

  it('reports keys repeated within the paste by line, adding each once', () => {
    const parsed = parseKeyLines('sk-a\nsk-b\n\nsk-a\nsk-b ');
    expect(parsed.values).toEqual(['sk-a', 'sk-b']);
    expect(parsed.repeats).toEqual([
      { line: 4, sameAs: 1 },
      { line: 5, sameAs: 2 },
    ]);
    expect(describeRepeats(parsed.repeats)).toBe('Line 4 repeats line 1; line 5 repeats line 2.');
  });

  it('maps the index of a sent key back to its line', () => {
    const text = '\nsk-a\nsk-a\n\nsk-b';
    expect(lineOfIndex(text, 0)).toBe(2);
    expect(lineOfIndex(text, 1)).toBe(5);
    expect(lineOfIndex(text, 2)).toBeNull();
  });
});
