import { useEffect, useState } from 'react';
import type { ApiKey } from '@contract/domain-schemas';
import { useDetail, useStores } from '../../stores';
import { errorMessage } from '../../lib/errors';
import { ModelListEditor } from './ModelListEditor';

/** The ids the provider is known to serve: the open detail's list when loaded, else asked for once (suggestions only). */
function useKnownModelIds(): string[] {
  const { client } = useStores();
  const providerId = useDetail((s) => s.provider?.id ?? null);
  const loaded = useDetail((s) => (s.models.loaded ? s.models.items : null));
  const [fetched, setFetched] = useState<string[]>([]);
  useEffect(() => {
    if (loaded || !providerId) return;
    let live = true;
    client
      .call('models.list', { idOrName: providerId })
      .then((result) => live && setFetched(result.models.map((m) => m.id)))
      // Suggestions are a convenience: a provider whose models cannot be listed still takes typed ids.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, providerId, loaded]);
  const ids = loaded ? loaded.map((m) => m.id) : fetched;
  return [...new Set(ids)].sort();
}

/** Edits a key's allow list (`models`, empty = every model) and block list (`blacklisted_models`); saved together. */
export function KeyModelLists({ apiKey, onClose }: { apiKey: ApiKey; onClose(): void }) {
  const { keys, ui } = useStores();
  const suggestions = useKnownModelIds();
  const [allowed, setAllowed] = useState(apiKey.models);
  const [blocked, setBlocked] = useState(apiKey.blacklisted_models);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const overlap = allowed.filter((m) => blocked.includes(m));

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await keys.update(apiKey.id, { models: allowed, blacklisted_models: blocked });
      ui.getState().toast('Model lists saved', 'success');
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="key-panel" aria-label={`Model lists of key ${apiKey.name}`}>
      <ModelListEditor
        label="Allowed models"
        description="The gateway uses this key only for these models. Empty: every model."
        values={allowed}
        suggestions={suggestions}
        onChange={setAllowed}
      />
      <ModelListEditor
        label="Blocked models"
        description="Never used with this key, even when allowed above."
        values={blocked}
        suggestions={suggestions}
        onChange={setBlocked}
      />
      {overlap.length > 0 && <p className="muted small">Blocked wins: {overlap.join(', ')} will not be used with this key.</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="key-panel-actions">
        <button type="button" className="button button--small button--primary" disabled={busy} onClick={() => void save()}>
          {busy ? 'Saving…' : 'Save model lists'}
        </button>
        <button type="button" className="button button--small" onClick={onClose}>
          Cancel
        </button>
      </div>
    </section>
  );
}
