import { useState } from 'react';
import type { ApiKey } from '@contract/domain-schemas';
import { useDetail, useStores } from '../../stores';
import { errorMessage } from '../../lib/errors';
import { formatLatency, formatWhen } from '../../lib/format';
import { verdictOf } from '../../lib/health';
import { HealthBadge } from '../common/HealthBadge';
import { Icon } from '../common/Icon';
import { Spinner } from '../common/Spinner';
import { KeyHeadroom } from './KeyHeadroom';
import { KeyCheckTimeline } from './KeyCheckTimeline';
import { KeyModelLists } from './KeyModelLists';
import { KeyReplaceForm } from './KeyReplaceForm';
import '../../styles/keys-editing.css';

interface KeyItemProps {
  apiKey: ApiKey;
  onDelete(key: ApiKey): void;
}

/** One key: name (renamable), masked value, on/off, weight, last check; test, replace value, model lists, copy (desktop) and delete. */
export function KeyItem({ apiKey, onDelete }: KeyItemProps) {
  const { keys, detail, ui, client } = useStores();
  const testingKey = useDetail((s) => s.testingKey);
  const testing = useDetail((s) => s.testing);
  const [renaming, setRenaming] = useState(false);
  /** The panel open under the key: replacing its value, or editing its model lists. */
  const [panel, setPanel] = useState<'replace' | 'lists' | null>(null);
  const [name, setName] = useState(apiKey.name);
  const [weight, setWeight] = useState(String(apiKey.weight));
  const [error, setError] = useState<string | null>(null);
  // Follow the stored key when it changes (another tab, a reload), like a controlled field would.
  const [enabled, setEnabled] = useState(apiKey.enabled);
  const [seen, setSeen] = useState({ name: apiKey.name, weight: apiKey.weight, enabled: apiKey.enabled });
  if (seen.name !== apiKey.name || seen.weight !== apiKey.weight || seen.enabled !== apiKey.enabled) {
    setSeen({ name: apiKey.name, weight: apiKey.weight, enabled: apiKey.enabled });
    setName(apiKey.name);
    setWeight(String(apiKey.weight));
    setEnabled(apiKey.enabled);
  }
  const check = apiKey.last_check;

  const run = async (work: () => Promise<unknown>, done?: string) => {
    setError(null);
    try {
      await work();
      if (done) ui.getState().toast(done, 'success');
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    }
  };

  const saveName = async () => {
    if (name.trim() === apiKey.name) return setRenaming(false);
    if (await run(() => keys.update(apiKey.id, { name: name.trim() }), 'Key renamed')) setRenaming(false);
  };

  /** Shows the new state at once; puts it back if the change fails. */
  const toggle = async (next: boolean) => {
    setEnabled(next);
    if (!(await run(() => keys.update(apiKey.id, { enabled: next })))) setEnabled(apiKey.enabled);
  };

  const saveWeight = () => {
    const value = Number(weight);
    if (weight.trim() === '' || Number.isNaN(value)) return setWeight(String(apiKey.weight));
    if (value !== apiKey.weight) void run(() => keys.update(apiKey.id, { weight: value }));
  };

  return (
    <li className="key-item" aria-label={`Key ${apiKey.name}`}>
      <div className="key-main">
        {renaming ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void saveName();
            }}
          >
            <input
              className="input input--small"
              aria-label={`New name for key ${apiKey.name}`}
              value={name}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setRenaming(false))}
              autoFocus
            />
            <button type="submit" className="button button--small button--primary">
              Save name
            </button>
            <button type="button" className="button button--small" onClick={() => setRenaming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <p className="key-name">{apiKey.name}</p>
        )}
        <p className="key-masked mono" aria-label={`Masked value of ${apiKey.name}`}>
          {apiKey.masked}
          {apiKey.source === 'env' && <span className="chip chip--subtle">environment</span>}
        </p>
        {(apiKey.models.length > 0 || apiKey.blacklisted_models.length > 0) && (
          <p className="key-lists-summary">
            {apiKey.models.length > 0 && <span className="chip">Only {apiKey.models.join(', ')}</span>}
            {apiKey.blacklisted_models.length > 0 && <span className="chip">Blocked {apiKey.blacklisted_models.join(', ')}</span>}
          </p>
        )}
      </div>
      <div className="key-health">
        {testing && (testingKey === apiKey.id || testingKey === null) && apiKey.enabled ? (
          <span className="testing">
            <Spinner size={14} /> Testing…
          </span>
        ) : (
          <>
            <span className="key-verdict">
              <HealthBadge kind={apiKey.health} compact />
              <span>{check ? verdictOf(check) : 'Not tested'}</span>
              {check && <span className="latency">{formatLatency(check.latency_ms)}</span>}
            </span>
            {check && !check.ok && <span className="key-hint">{check.hint ?? check.message}</span>}
            {check && <span className="muted small">Checked {formatWhen(check.checked_at)}</span>}
            <KeyHeadroom headroom={apiKey.headroom} keyName={apiKey.name} />
          </>
        )}
      </div>
      <div className="key-controls">
        <label className="switch-inline">
          <input
            type="checkbox"
            role="switch"
            className="switch"
            checked={enabled}
            aria-label={`Enable key ${apiKey.name}`}
            onChange={(e) => void toggle(e.target.checked)}
          />
          <span aria-hidden="true">{enabled ? 'On' : 'Off'}</span>
        </label>
        <label className="weight">
          <span>Weight</span>
          <input
            className="input input--small input--number"
            type="number"
            min={0}
            max={1000}
            step="0.1"
            aria-label={`Weight of key ${apiKey.name}`}
            value={weight}
            onChange={(e) => setWeight(e.target.value)}
            onBlur={saveWeight}
            onKeyDown={(e) => e.key === 'Enter' && saveWeight()}
          />
        </label>
        <div className="key-actions">
          <button
            type="button"
            className="icon-button"
            aria-label={`Test key ${apiKey.name}`}
            title="Test this key"
            disabled={testing || !apiKey.enabled}
            onClick={() => void detail.getState().test(apiKey.id)}
          >
            <Icon name="play" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Rename key ${apiKey.name}`}
            title="Rename"
            onClick={() => setRenaming(true)}
          >
            <Icon name="edit" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Replace value of key ${apiKey.name}`}
            aria-expanded={panel === 'replace'}
            title="Replace value… (keeps the key's name, weight and history)"
            onClick={() => setPanel(panel === 'replace' ? null : 'replace')}
          >
            <Icon name="key" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Model lists of key ${apiKey.name}`}
            aria-expanded={panel === 'lists'}
            title="Allowed and blocked models"
            onClick={() => setPanel(panel === 'lists' ? null : 'lists')}
          >
            <Icon name="layers" />
          </button>
          {client.transport.kind === 'ipc' && (
            <button
              type="button"
              className="icon-button"
              aria-label={`Copy key ${apiKey.name}`}
              title="Copy key (cleared from the clipboard after 30 s)"
              onClick={() => void run(() => keys.copy(apiKey.id), 'Key copied; the clipboard clears in 30 s')}
            >
              <Icon name="copy" />
            </button>
          )}
          <button
            type="button"
            className="icon-button icon-button--danger"
            aria-label={`Delete key ${apiKey.name}`}
            title="Delete"
            onClick={() => onDelete(apiKey)}
          >
            <Icon name="trash" />
          </button>
        </div>
      </div>
      {panel === 'replace' && <KeyReplaceForm apiKey={apiKey} onClose={() => setPanel(null)} />}
      {panel === 'lists' && <KeyModelLists apiKey={apiKey} onClose={() => setPanel(null)} />}
      <KeyCheckTimeline apiKey={apiKey} />
      {error && (
        <p className="form-error key-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
