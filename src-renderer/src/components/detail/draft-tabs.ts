import type { Provider } from '@contract/domain-schemas';
import { DeskClientError } from '../../client/desk-client';
import { formMessage, type FieldErrors } from '../../lib/errors';
import type { DetailTab } from '../../lib/route';
import type { Stores } from '../../stores';
import type { ProviderPatch } from '../../stores/detail-store';
import { CONFLICT_MESSAGE, dirtyTabs } from '../../stores/drafts-store';
import { advancedPatch, type AdvancedDraft } from './AdvancedTab';
import { generalPatch, type GeneralDraft } from './GeneralTab';
import { networkPatch, type NetworkDraft } from './NetworkTab';

export const DRAFT_TAB_LABELS: Partial<Record<DetailTab, string>> = { general: 'General', network: 'Network', advanced: 'Advanced' };

/** The update a tab's draft asks for; drafts hold what their own tab's form put there. */
function patchOf(tab: DetailTab, value: unknown, provider: Provider): { patch: ProviderPatch; errors: FieldErrors } {
  switch (tab) {
    case 'general':
      return generalPatch(value as GeneralDraft, provider);
    case 'network':
      return networkPatch(value as NetworkDraft);
    case 'advanced':
      return advancedPatch(value as AdvancedDraft);
    default:
      return { patch: {}, errors: {} };
  }
}

export type SaveOutcome = { ok: true } | { ok: false; message: string; tab?: DetailTab };

/**
 * Saves every unsaved tab of the open provider as one update, against the oldest revision the edits were made on, so
 * a change made elsewhere meanwhile is refused rather than overwritten. Used when leaving the provider.
 */
export async function saveAllDrafts(stores: Pick<Stores, 'detail' | 'drafts'>, provider: Provider): Promise<SaveOutcome> {
  const drafts = stores.drafts.getState();
  const tabs = dirtyTabs(drafts, provider.id);
  const entries = drafts.byProvider[provider.id] ?? {};
  let patch: ProviderPatch = {};
  let revision = provider.revision;
  for (const tab of tabs) {
    const draft = entries[tab];
    if (!draft) continue;
    const built = patchOf(tab, draft.value, provider);
    if (Object.keys(built.errors).length > 0)
      return { ok: false, tab, message: `${DRAFT_TAB_LABELS[tab] ?? tab} has fields to correct: open it to see which.` };
    patch = { ...patch, ...built.patch };
    revision = Math.min(revision, draft.baseRevision);
  }
  if (tabs.length === 0) return { ok: true };
  try {
    const saved = await stores.detail.getState().save(patch, revision);
    stores.drafts.getState().saved(provider.id, tabs, revision, saved.revision);
    return { ok: true };
  } catch (error) {
    if (error instanceof DeskClientError && error.code === 'precondition_failed') {
      const now = stores.detail.getState().provider?.revision ?? provider.revision;
      stores.drafts.getState().conflicted(provider.id, tabs, now, CONFLICT_MESSAGE);
      stores.detail.getState().dismissNotice();
      return { ok: false, message: CONFLICT_MESSAGE };
    }
    return { ok: false, message: formMessage(error) };
  }
}
