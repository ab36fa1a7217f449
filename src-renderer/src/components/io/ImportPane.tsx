import { useMemo, useState } from 'react';
import { useStores } from '../../stores';
import { errorMessage } from '../../lib/errors';
import { DeskClientError } from '../../client/desk-client';
import { importConfig, looksEncrypted, sameDestinations, type ImportDiff } from '../../lib/config-ops';
import { SwitchField, TextField } from '../common/Field';
import { DestinationConfirm } from './DestinationConfirm';
import { DiffView } from './DiffView';
import { ImportProblems, problemsOf } from './ImportProblems';

type Loaded = { name: string; document: Record<string, unknown> };

/** Pick a config.json, see the dry-run diff, confirm any new destination of stored keys, then apply it. */
export function ImportPane({ onDone }: { onDone(): void }) {
  const { client, ui, providers, detail } = useStores();
  const [file, setFile] = useState<Loaded | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [prune, setPrune] = useState(false);
  const [diff, setDiff] = useState<ImportDiff | null>(null);
  // Providers whose new destination the user accepted; a fresh dry run starts with none.
  const [confirmed, setConfirmed] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  // Every invalid field of the file, with its JSON path (the backend lists them all, not only the first).
  const [problems, setProblems] = useState<ReturnType<typeof problemsOf>>([]);
  const fail = (e: unknown) => {
    setError(errorMessage(e));
    setProblems(problemsOf(e));
  };
  const [busy, setBusy] = useState(false);
  const encrypted = file ? looksEncrypted(file.document) : false;

  const dryRun = async (loaded: Loaded | null = file, options = { prune, passphrase }) => {
    if (!loaded) return;
    setDiff(null);
    setConfirmed(new Set());
    setError(null);
    setProblems([]);
    if (looksEncrypted(loaded.document) && !options.passphrase) return;
    setBusy(true);
    try {
      setDiff(await importConfig(client, loaded.document, { dryRun: true, prune: options.prune, passphrase: options.passphrase }));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const pick = async (picked: File | undefined) => {
    setDiff(null);
    setError(null);
    setProblems([]);
    if (!picked) return setFile(null);
    try {
      const parsed: unknown = JSON.parse(await picked.text());
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('The file is JSON but not a config document (an object with a "providers" section).');
      const loaded = { name: picked.name, document: parsed as Record<string, unknown> };
      setFile(loaded);
      await dryRun(loaded);
    } catch (e) {
      setFile(null);
      setError(e instanceof SyntaxError ? `${picked.name} is not valid JSON: ${e.message}` : errorMessage(e));
    }
  };

  const changes = diff ? diff.added.length + diff.changed.length + (prune ? diff.removed.length : 0) : 0;
  const needsConfirmation = useMemo(() => [...new Set(diff?.destinations.map((d) => d.provider) ?? [])], [diff]);
  const allConfirmed = needsConfirmation.every((provider) => confirmed.has(provider));
  const confirm = (provider: string, yes: boolean) =>
    setConfirmed((current) => {
      const next = new Set(current);
      if (yes) next.add(provider);
      else next.delete(provider);
      return next;
    });

  /** Shows the store's current plan again, with a message saying why. */
  const review = (fresh: ImportDiff, message: string) => {
    setDiff(fresh);
    setConfirmed(new Set());
    setError(message);
    setBusy(false);
  };

  const apply = async () => {
    if (!file || !diff) return;
    setBusy(true);
    setError(null);
    setProblems([]);
    const options = { prune, passphrase };
    try {
      // The confirmation covers what the user saw: if the store changed since the preview, show the new plan instead.
      if (needsConfirmation.length > 0) {
        const fresh = await importConfig(client, file.document, { ...options, dryRun: true });
        if (!sameDestinations(fresh.destinations, diff.destinations))
          return review(fresh, 'Where stored keys would be sent changed since the preview. Check the list again.');
      }
      const result = await importConfig(client, file.document, {
        ...options,
        dryRun: false,
        confirmDestinations: needsConfirmation.length > 0 && allConfirmed,
      });
      ui.getState().toast(
        `Imported: ${result.added.length} added, ${result.changed.length} changed${prune ? `, ${result.removed.length} removed` : ''}`,
        'success',
      );
      void providers.getState().refresh();
      void detail.getState().reload();
      onDone();
    } catch (e) {
      if (e instanceof DeskClientError && e.code === 'destination_change_unconfirmed') {
        try {
          return review(await importConfig(client, file.document, { ...options, dryRun: true }), errorMessage(e));
        } catch {
          // Fall through: the first error says what happened.
        }
      }
      fail(e);
      setBusy(false);
    }
  };

  return (
    <div className="io-pane">
      <label className="file-drop">
        <span className="file-drop-title">{file ? file.name : 'Choose a config.json'}</span>
        <span className="muted small">Bifrost’s format; other sections are kept. Nothing changes until you confirm.</span>
        <input type="file" accept="application/json,.json" aria-label="Config file" onChange={(e) => void pick(e.target.files?.[0])} />
      </label>
      {encrypted && (
        <form
          className="inline-field"
          onSubmit={(e) => {
            e.preventDefault();
            void dryRun();
          }}
        >
          <TextField
            label="Passphrase"
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            hint="This file is encrypted."
            autoComplete="off"
          />
          <button type="submit" className="button" disabled={!passphrase || busy}>
            Unlock
          </button>
        </form>
      )}
      <SwitchField
        label="Remove providers that are not in the file"
        checked={prune}
        onChange={(next) => {
          setPrune(next);
          void dryRun(file, { prune: next, passphrase });
        }}
        hint="Off: the file only adds and changes providers."
      />
      {error && problems.length > 0 && <ImportProblems problems={problems} />}
      {error && problems.length === 0 && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      {busy && !diff && <p className="muted">Checking the file…</p>}
      {diff && <DiffView diff={diff} />}
      {diff && diff.destinations.length > 0 && (
        <DestinationConfirm destinations={diff.destinations} confirmed={confirmed} onChange={confirm} />
      )}
      <div className="form-actions import-actions">
        {diff && !allConfirmed && (
          <p id="import-confirm-hint" className="muted small">
            Confirm every provider above to import.
          </p>
        )}
        <button
          type="button"
          className="button button--primary"
          disabled={!diff || busy || changes === 0 || !allConfirmed}
          aria-describedby={diff && !allConfirmed ? 'import-confirm-hint' : undefined}
          onClick={() => void apply()}
        >
          {diff && changes === 0 ? 'Nothing to import' : diff ? `Import ${changes} ${changes === 1 ? 'change' : 'changes'}` : 'Import'}
        </button>
      </div>
    </div>
  );
}
