import { useCallback, useState } from 'react';
import { DeskClientError } from '../../client/desk-client';
import { useStores } from '../../stores';
import type { ProviderPatch } from '../../stores/detail-store';
import { formMessage, serverFieldErrors, type FieldErrors } from '../../lib/errors';

/**
 * A form's draft of stored values. It follows the stored provider (a new revision) while untouched;
 * once edited it is the user's until saved or discarded.
 */
export function useDraft<T>(derive: () => T, version: number) {
  const [state, setState] = useState(() => ({ version, value: derive(), dirty: false }));
  let current = state;
  if (state.version !== version && !state.dirty) {
    current = { version, value: derive(), dirty: false };
    setState(current);
  }
  const update = useCallback((change: (value: T) => T) => setState((s) => ({ ...s, value: change(s.value), dirty: true })), []);
  /** Forget the edits: the draft follows the stored provider again. */
  const reset = useCallback(() => setState((s) => ({ ...s, dirty: false, version: -1 })), []);
  return { value: current.value, dirty: current.dirty, update, reset };
}

/** Saving a tab: inline field errors from the server, a readable message, a toast when done. */
export function useSave() {
  const { detail, ui } = useStores();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);

  const save = async (patch: ProviderPatch, onSaved: () => void, localErrors: FieldErrors = {}): Promise<void> => {
    setMessage(null);
    if (Object.keys(localErrors).length > 0) {
      setErrors(localErrors);
      setMessage('Please correct the fields marked below.');
      return;
    }
    setBusy(true);
    try {
      await detail.getState().save(patch);
      setErrors({});
      onSaved();
      ui.getState().toast('Saved', 'success');
    } catch (error) {
      if (error instanceof DeskClientError && error.code === 'precondition_failed') {
        setErrors({});
        onSaved(); // the store reloaded; show the stored values, with its notice
      } else {
        const fields = serverFieldErrors(error);
        setErrors(fields);
        setMessage(formMessage(error));
      }
    } finally {
      setBusy(false);
    }
  };
  return { save, busy, errors, message, setErrors };
}
