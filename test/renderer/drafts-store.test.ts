import { describe, expect, it } from 'vitest';
import { createDraftsStore, dirtyTabs, hasDrafts, CONFLICT_MESSAGE } from '../../src-renderer/src/stores/drafts-store.js';

describe('drafts store', () => {
  it('keeps a tab’s edits per provider and fixes the base revision at the first edit', () => {
    const drafts = createDraftsStore();
    drafts.getState().put('p1', 'network', { timeout: '30' }, 4);
    drafts.getState().put('p1', 'network', { timeout: '45' }, 6);
    drafts.getState().put('p2', 'general', { name: 'b' }, 1);
    expect(drafts.getState().byProvider.p1?.network).toEqual({ value: { timeout: '45' }, baseRevision: 4, conflict: null });
    expect(dirtyTabs(drafts.getState(), 'p1')).toEqual(['network']);
    expect(hasDrafts(drafts.getState(), 'p2')).toBe(true);
    expect(hasDrafts(drafts.getState(), 'p3')).toBe(false);
  });

  it('discards one tab or a whole provider, leaving no empty entries behind', () => {
    const drafts = createDraftsStore();
    drafts.getState().put('p1', 'network', 1, 1);
    drafts.getState().put('p1', 'general', 2, 1);
    drafts.getState().discard('p1', 'network');
    expect(dirtyTabs(drafts.getState(), 'p1')).toEqual(['general']);
    drafts.getState().discard('p1', 'general');
    expect(drafts.getState().byProvider).toEqual({});
    drafts.getState().put('p1', 'advanced', 3, 1);
    drafts.getState().discard('p1');
    expect(hasDrafts(drafts.getState(), 'p1')).toBe(false);
  });

  it('after a save, moves the other drafts made on the same revision to the new one (our change is no conflict)', () => {
    const drafts = createDraftsStore();
    drafts.getState().put('p1', 'network', 'n', 5);
    drafts.getState().put('p1', 'general', 'g', 5);
    drafts.getState().put('p1', 'advanced', 'a', 3);
    drafts.getState().saved('p1', ['network'], 5, 6);
    const left = drafts.getState().byProvider.p1;
    expect(left?.network).toBeUndefined();
    expect(left?.general?.baseRevision).toBe(6);
    // Made on an older revision: it still has to meet the change it has not seen.
    expect(left?.advanced?.baseRevision).toBe(3);
  });

  it('on a conflict keeps the edits, says why, and stands them on the current revision until the next edit', () => {
    const drafts = createDraftsStore();
    drafts.getState().put('p1', 'network', 'mine', 2);
    drafts.getState().conflicted('p1', ['network', 'general'], 7, CONFLICT_MESSAGE);
    expect(drafts.getState().byProvider.p1).toEqual({ network: { value: 'mine', baseRevision: 7, conflict: CONFLICT_MESSAGE } });
    drafts.getState().put('p1', 'network', 'mine too', 8);
    expect(drafts.getState().byProvider.p1?.network).toEqual({ value: 'mine too', baseRevision: 7, conflict: null });
  });
});
