import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { Provider } from '@contract/domain-schemas';
import { DeskClientError } from '../../client/desk-client';
import { useStores } from '../../stores';
import type { ProviderPatch } from '../../stores/detail-store';
import { CONFLICT_MESSAGE } from '../../stores/drafts-store';
import type { DetailTab } from '../../lib/route';
import { formMessage, serverFieldErrors, type FieldErrors } from '../../lib/errors';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A tab's draft of stored values, kept in the drafts store so it survives switching tabs and providers. While untouched
 * it follows the stored provider; once edited it is the user's until saved or discarded.
 */
export function useDraft<T>(provider: Provider, tab: DetailTab, derive: (provider: Provider) => T) {
  const { drafts } = useStores();
  const entry = useStore(drafts, (s) => s.byProvider[provider.id]?.[tab]);
  // `derive` is a module-level function of the provider, so the provider alone decides the stored values.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stored = useMemo(() => derive(provider), [provider]);
  const latest = useRef({ provider, stored });
  useEffect(() => {
    latest.current = { provider, stored };
  });

  const update = useCallback(
    (change: (value: T) => T) => {
      const { provider: current, stored: values } = latest.current;
      const draft = drafts.getState().byProvider[current.id]?.[tab];
      const next = change(draft ? (draft.value as T) : values);
      // Edited back to what is stored: nothing is unsaved any more.
      if (same(next, values) && !draft?.conflict) drafts.getState().discard(current.id, tab);
      else drafts.getState().put(current.id, tab, next, current.revision);
    },
    [drafts, tab],
  );
  /** Forget the edits: the form shows the stored provider again. */
  const reset = useCallback(() => drafts.getState().discard(latest.current.provider.id, tab), [drafts, tab]);
  return {
    value: entry ? (entry.value as T) : stored,
    dirty: entry !== undefined,
    /** Why the last save was refused, when the provider changed elsewhere. */
    conflict: entry?.conflict ?? null,
    update,
    reset,
  };
}

/** Saving a tab's draft with the revision it was made against: inline field errors from the server, a readable message, a toast when done. */
export function useSave(providerId: string, tab: DetailTab) {
  const { detail, drafts, ui } = useStores();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);

  const save = async (patch: ProviderPatch, localErrors: FieldErrors = {}): Promise<void> => {
    setMessage(null);
    if (Object.keys(localErrors).length > 0) {
      setErrors(localErrors);
      setMessage('Please correct the fields marked below.');
      return;
    }
    const base = drafts.getState().byProvider[providerId]?.[tab]?.baseRevision ?? detail.getState().provider?.revision;
    setBusy(true);
    try {
      const saved = await detail.getState().save(patch, base);
      setErrors({});
      if (base !== undefined) drafts.getState().saved(providerId, [tab], base, saved.revision);
      ui.getState().toast('Saved', 'success');
    } catch (error) {
      if (error instanceof DeskClientError && error.code === 'precondition_failed') {
        // The store has reloaded the provider; the edits stay, marked, and the next save applies them to the new revision.
        setErrors({});
        const now = detail.getState().provider?.revision;
        if (now !== undefined) drafts.getState().conflicted(providerId, [tab], now, CONFLICT_MESSAGE);
        detail.getState().dismissNotice();
      } else {
        setErrors(serverFieldErrors(error));
        setMessage(formMessage(error));
      }
    } finally {
      setBusy(false);
    }
  };
  return { save, busy, errors, message, setErrors };
}
