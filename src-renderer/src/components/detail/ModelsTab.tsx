import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Provider, StoredModel } from '@contract/domain-schemas';
import { MODEL_CAPABILITIES, type ModelCapability } from '@contract/domain-schemas';
import type { OperationInput, OperationOutput } from '@contract/operations';
import { useDetail, useStores } from '../../stores';
import { errorMessage } from '../../lib/errors';
import { formatLatency, formatTokens, formatWhen, plural } from '../../lib/format';
import { Icon } from '../common/Icon';
import { Spinner } from '../common/Spinner';

type ModelCheck = OperationOutput<'models.check'>;
type ListAnswer = OperationOutput<'models.update'>;

/** What the Check of one model answered, in words (the latency and the billed mark are shown next to it). */
function checkWords(check: ModelCheck): string {
  if (check.status === 'unsupported') return 'Not checkable';
  return check.ok ? 'Answered' : 'Failed';
}

/**
 * The provider's models: capability chips, on/off per model (tools and exports leave disabled ones out), the user's
 * own ids, gone models (a refresh stopped listing them) to dismiss, copy an id, and a one-token check per model.
 * A failed listing shows why, never an empty list.
 */
export function ModelsTab({ provider }: { provider: Provider }) {
  const { detail, client, ui } = useStores();
  const models = useDetail((s) => s.models);
  const [search, setSearch] = useState('');
  const [capability, setCapability] = useState<ModelCapability | null>(null);
  const [busy, setBusy] = useState(false);
  const [newId, setNewId] = useState('');
  const [newName, setNewName] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  // Keyed by provider and model, so another provider's results never show here.
  const [checks, setChecks] = useState<Record<string, ModelCheck | 'running'>>({});
  const slot = (id: string) => `${provider.id}\n${id}`;

  useEffect(() => {
    if (!detail.getState().models.loaded && !detail.getState().models.loading) void detail.getState().loadModels();
  }, [detail, provider.id]);

  const present = useMemo(() => MODEL_CAPABILITIES.filter((c) => models.items.some((m) => m.capabilities.includes(c))), [models.items]);
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return models.items.filter(
      (m) =>
        (!needle || m.id.toLowerCase().includes(needle) || m.display_name.toLowerCase().includes(needle)) &&
        (!capability || m.capabilities.includes(capability)),
    );
  }, [models.items, search, capability]);
  const enabledCount = useMemo(() => models.items.filter((m) => m.enabled).length, [models.items]);
  const goneCount = useMemo(() => models.items.filter((m) => m.gone_at !== null).length, [models.items]);

  /** Runs a curation call and shows the list it answers (a failure is a toast; the list stays as it was). */
  const curate = async <N extends 'models.update' | 'models.remove'>(name: N, input: OperationInput<N>): Promise<boolean> => {
    setBusy(true);
    try {
      const answer = (await client.call(name, input)) as ListAnswer;
      if (detail.getState().provider?.id === provider.id)
        detail.setState((state) => ({
          models: { ...state.models, items: answer.models, fetchedAt: answer.fetched_at ?? state.models.fetchedAt },
        }));
      return true;
    } catch (failure) {
      ui.getState().toast(errorMessage(failure), 'error');
      return false;
    } finally {
      setBusy(false);
    }
  };

  const setEnabled = (ids: string[], enabled: boolean) => {
    if (ids.length > 0) void curate('models.update', { idOrName: provider.id, models: ids, enabled });
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const id = newId.trim();
    if (!id) {
      setAddError('Enter the model id as the provider spells it');
      return;
    }
    setBusy(true);
    try {
      const answer = await client.call('models.add', {
        idOrName: provider.id,
        id,
        ...(newName.trim() ? { display_name: newName.trim() } : {}),
      });
      detail.setState((state) => ({ models: { ...state.models, items: answer.models, loaded: true, error: null } }));
      setNewId('');
      setNewName('');
      setAddError(null);
    } catch (failure) {
      setAddError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const copy = async (id: string) => {
    try {
      await navigator.clipboard.writeText(id);
      setCopied(slot(id));
      window.setTimeout(() => setCopied((current) => (current === slot(id) ? null : current)), 2000);
    } catch (failure) {
      ui.getState().toast(errorMessage(failure), 'error');
    }
  };

  const check = async (id: string) => {
    const at = slot(id);
    setChecks((current) => ({ ...current, [at]: 'running' }));
    try {
      const result = await client.call('models.check', { idOrName: provider.id, model: id });
      setChecks((current) => ({ ...current, [at]: result }));
    } catch (failure) {
      setChecks((current) => Object.fromEntries(Object.entries(current).filter(([key]) => key !== at)));
      ui.getState().toast(errorMessage(failure), 'error');
    }
  };

  const shownIds = shown.map((m) => m.id);
  const billedHint = 'Sends one one-token request to this model; cloud providers bill it';

  return (
    <div className="models-tab">
      <div className="models-toolbar">
        <div className="search-box search-box--inline">
          <Icon name="search" className="search-icon" />
          <input
            type="search"
            className="input search-input"
            aria-label="Search models"
            placeholder="Search models"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <div className="chip-filter" role="group" aria-label="Filter by capability">
          {present.map((c) => (
            <button
              key={c}
              type="button"
              className="chip chip--toggle"
              aria-pressed={capability === c}
              onClick={() => setCapability(capability === c ? null : c)}
            >
              {c}
            </button>
          ))}
        </div>
        <button type="button" className="button" onClick={() => void detail.getState().loadModels(true)} disabled={models.loading}>
          {models.loading ? <Spinner size={14} /> : <Icon name="refresh" />} Refresh
        </button>
      </div>
      <form className="models-add" onSubmit={(e) => void add(e)} aria-label="Add a model id">
        <input
          className="input mono"
          aria-label="Model id"
          placeholder="Model id the provider does not list, e.g. ft:gpt-4o-mini:acme::a1b2"
          value={newId}
          onChange={(e) => setNewId(e.target.value)}
          aria-invalid={addError ? true : undefined}
          aria-describedby={addError ? 'models-add-error' : undefined}
        />
        <input
          className="input"
          aria-label="Display name (optional)"
          placeholder="Display name (optional)"
          value={newName}
          onChange={(e) => setNewName(e.target.value)}
        />
        <button type="submit" className="button" disabled={busy}>
          <Icon name="plus" /> Add model
        </button>
        {addError && (
          <p id="models-add-error" className="field-error" role="alert">
            {addError}
          </p>
        )}
      </form>
      {models.error ? (
        <div className="banner banner--error" role="alert">
          <p className="banner-title">The model list could not be fetched</p>
          <p>{models.error.message}</p>
          {models.error.hint && <p className="banner-hint">{models.error.hint}</p>}
        </div>
      ) : !models.loaded ? (
        <p className="loading-line">
          <Spinner size={14} /> Fetching models…
        </p>
      ) : (
        <>
          <div className="models-summary">
            <p className="muted small" aria-live="polite" data-testid="models-count">
              {enabledCount} of {plural(models.items.length, 'model')} enabled
              {shown.length !== models.items.length ? ` · ${shown.length} shown` : ''}
              {goneCount > 0 ? ` · ${goneCount} gone` : ''} · fetched {formatWhen(models.fetchedAt)}
            </p>
            <div className="models-bulk">
              <button
                type="button"
                className="button button--small"
                disabled={busy || shown.every((m) => m.enabled)}
                onClick={() => setEnabled(shownIds, true)}
              >
                Enable all{shown.length !== models.items.length ? ' shown' : ''}
              </button>
              <button
                type="button"
                className="button button--small"
                disabled={busy || shown.every((m) => !m.enabled)}
                onClick={() => setEnabled(shownIds, false)}
              >
                Disable all{shown.length !== models.items.length ? ' shown' : ''}
              </button>
            </div>
          </div>
          {models.items.length === 0 ? (
            <p className="empty-inline">The provider answered with no models.</p>
          ) : (
            <table className="table models-table">
              <thead>
                <tr>
                  <th scope="col">On</th>
                  <th scope="col">Model</th>
                  <th scope="col">Capabilities</th>
                  <th scope="col" className="num">
                    Context
                  </th>
                  <th scope="col">Owner</th>
                  <th scope="col">Check</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((m) => (
                  <ModelRowView
                    key={m.id}
                    model={m}
                    busy={busy}
                    copied={copied === slot(m.id)}
                    check={checks[slot(m.id)]}
                    billedHint={billedHint}
                    onToggle={(on) => setEnabled([m.id], on)}
                    onCopy={() => void copy(m.id)}
                    onCheck={() => void check(m.id)}
                    onRemove={() => void curate('models.remove', { idOrName: provider.id, models: [m.id] })}
                  />
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}

function ModelRowView(props: {
  model: StoredModel;
  busy: boolean;
  copied: boolean;
  check: ModelCheck | 'running' | undefined;
  billedHint: string;
  onToggle(on: boolean): void;
  onCopy(): void;
  onCheck(): void;
  onRemove(): void;
}) {
  const { model: m, check } = props;
  const gone = m.gone_at !== null;
  return (
    <tr className={`${m.enabled ? '' : 'model-row--off'}${gone ? ' model-row--gone' : ''}`} aria-label={`Model ${m.id}`}>
      <td>
        <input
          type="checkbox"
          role="switch"
          className="switch"
          checked={m.enabled}
          disabled={props.busy}
          aria-label={`Enable model ${m.id}`}
          onChange={(e) => props.onToggle(e.target.checked)}
        />
      </td>
      <td>
        <span className="model-id-line">
          <span className="mono model-id">{m.id}</span>
          <button
            type="button"
            className="button button--small button--ghost model-copy"
            aria-label={props.copied ? `Copied ${m.id}` : `Copy model id ${m.id}`}
            title="Copy the model id"
            onClick={props.onCopy}
          >
            {props.copied ? <span className="copied">Copied</span> : <Icon name="copy" />}
          </button>
          {m.custom && <span className="badge badge--custom">custom</span>}
          {gone && (
            <span className="badge badge--gone" title={`The provider stopped listing it ${formatWhen(m.gone_at)}`}>
              gone
            </span>
          )}
        </span>
        {m.display_name && m.display_name !== m.id && <span className="muted small model-name">{m.display_name}</span>}
      </td>
      <td>
        <span className="chips">
          {m.capabilities.map((c) => (
            <span key={c} className={`chip chip--cap chip--${c}`}>
              {c}
            </span>
          ))}
        </span>
      </td>
      <td className="num">{formatTokens(m.context_window)}</td>
      <td className="muted">{m.owned_by ?? '—'}</td>
      <td>
        <span className="model-actions">
          <button
            type="button"
            className="button button--small"
            title={props.billedHint}
            aria-label={`Check model ${m.id}`}
            disabled={check === 'running'}
            onClick={props.onCheck}
          >
            {check === 'running' ? <Spinner size={12} /> : null} Check
          </button>
          {(gone || m.custom) && (
            <button
              type="button"
              className="button button--small button--ghost"
              aria-label={gone ? `Dismiss gone model ${m.id}` : `Remove custom model ${m.id}`}
              disabled={props.busy}
              onClick={props.onRemove}
            >
              {gone ? 'Dismiss' : 'Remove'}
            </button>
          )}
        </span>
        {check && check !== 'running' && (
          <span
            className={`model-check model-check--${check.status}`}
            role="status"
            aria-label={`Check of ${m.id}: ${checkWords(check)}`}
            title={check.message}
          >
            {checkWords(check)}
            {check.status !== 'unsupported' && ` · ${formatLatency(check.latency_ms)}`}
            {check.error_class && check.status === 'error' && ` · ${check.error_class.replace(/_/g, ' ')}`}
            {check.billed && <span className="badge badge--billed">billed</span>}
          </span>
        )}
      </td>
    </tr>
  );
}
