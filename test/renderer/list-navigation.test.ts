import { describe, expect, it } from 'vitest';
import { isTypeAheadKey, moveIndex, PAGE_ROWS, TypeAhead, typeAheadIndex } from '../../src-renderer/src/components/list/list-navigation.js';

const NAMES = ['anthropic', 'azure-eu', 'groq', 'mistral', 'ollama-laptop', 'openai-personal', 'openai-work'];
const nameAt = (index: number) => (NAMES[index] ? [NAMES[index]] : undefined);

describe('roving focus in the provider list', () => {
  it('moves with the arrows, Home/End and Page Up/Down, clamped to the list', () => {
    expect(moveIndex('ArrowDown', 2, 7)).toBe(3);
    expect(moveIndex('ArrowUp', 2, 7)).toBe(1);
    expect(moveIndex('ArrowDown', 6, 7)).toBe(6);
    expect(moveIndex('ArrowUp', 0, 7)).toBe(0);
    expect(moveIndex('Home', 5, 7)).toBe(0);
    expect(moveIndex('End', 1, 7)).toBe(6);
    expect(moveIndex('PageDown', 0, 100)).toBe(PAGE_ROWS);
    expect(moveIndex('PageDown', 95, 100)).toBe(99);
    expect(moveIndex('PageUp', 3, 100)).toBe(0);
  });

  it('starts at the first row when nothing is active yet, and ignores other keys and empty lists', () => {
    expect(moveIndex('ArrowDown', null, 7)).toBe(0);
    expect(moveIndex('ArrowUp', null, 7)).toBe(0);
    expect(moveIndex('End', null, 7)).toBe(6);
    expect(moveIndex('Enter', 2, 7)).toBeNull();
    expect(moveIndex('ArrowLeft', 2, 7)).toBeNull();
    expect(moveIndex('ArrowDown', null, 0)).toBeNull();
  });

  it('type-ahead jumps to the next name starting with the letters typed, wrapping around', () => {
    expect(typeAheadIndex('o', 0, 7, nameAt)).toBe(4);
    expect(typeAheadIndex('open', 0, 7, nameAt)).toBe(5);
    expect(typeAheadIndex('openai-w', 5, 7, nameAt)).toBe(6);
    expect(typeAheadIndex('a', 6, 7, nameAt)).toBe(0);
    expect(typeAheadIndex('zzz', 0, 7, nameAt)).toBeNull();
    expect(typeAheadIndex('G', null, 7, nameAt)).toBe(2);
  });

  it('a repeated letter cycles through the names with that initial; a longer prefix stays on a row that still matches', () => {
    expect(typeAheadIndex('o', 4, 7, nameAt)).toBe(5);
    expect(typeAheadIndex('oo', 4, 7, nameAt)).toBe(5);
    expect(typeAheadIndex('ooo', 6, 7, nameAt)).toBe(4);
    expect(typeAheadIndex('openai', 5, 7, nameAt)).toBe(5);
  });

  it('skips rows whose page is not loaded yet', () => {
    const sparse = (index: number) => (index === 3 ? undefined : nameAt(index));
    expect(typeAheadIndex('m', 0, 7, sparse)).toBeNull();
    expect(typeAheadIndex('o', 0, 7, sparse)).toBe(4);
  });

  it('collects quickly typed letters into one search and starts over after a pause', () => {
    const buffer = new TypeAhead(500);
    expect(buffer.push('o', 1000)).toBe('o');
    expect(buffer.push('p', 1200)).toBe('op');
    expect(buffer.push('e', 1600)).toBe('ope');
    expect(buffer.push('g', 2200)).toBe('g');
  });

  it('types only plain letters, digits and name punctuation (not ?, /, space or shortcuts)', () => {
    const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
      isTypeAheadKey({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
    expect(key('a')).toBe(true);
    expect(key('7')).toBe(true);
    expect(key('-')).toBe(true);
    expect(key('?')).toBe(false);
    expect(key('/')).toBe(false);
    expect(key(' ')).toBe(false);
    expect(key('ArrowDown')).toBe(false);
    expect(key('k', { ctrlKey: true })).toBe(false);
  });
});
