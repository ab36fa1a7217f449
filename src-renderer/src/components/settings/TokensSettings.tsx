import { useEffect, useState, type FormEvent } from 'react';
import type { OperationOutput } from '@contract/operations';
import { useStores } from '../../stores';
import { errorMessage, formMessage, serverFieldErrors, type FieldErrors } from '../../lib/errors';
import { formatWhen } from '../../lib/format';
import { SelectField, TextField } from '../common/Field';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { Icon } from '../common/Icon';

type GatewayToken = OperationOutput<'tokens.list'>['tokens'][number];
type CreatedToken = OperationOutput<'tokens.create'>;

const LIFETIMES: Array<{ label: string; seconds: number | null }> = [
  { label: 'Never', seconds: null },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
  { label: '90 days', seconds: 90 * 86_400 },
  { label: '1 year', seconds: 365 * 86_400 },
];

/**
 * "Tokens for other tools": gateway tokens that let a local tool use providers through Provider Desk without holding a
 * key. Create (name, providers, expiry; the token is shown once, with a copy button), list with last use, revoke.
 */
export function TokensSettings() {
  const { client, ui } = useStores();
  const [tokens, setTokens] = useState<GatewayToken[] | null>(null);
  const [providerNames, setProviderNames] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [onlySome, setOnlySome] = useState(false);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [lifetime, setLifetime] = useState('0');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<GatewayToken | null>(null);

  // Bumped after a create or revoke: the list is read again.
  const [generation, setGeneration] = useState(0);
  const reload = () => setGeneration((g) => g + 1);

  useEffect(() => {
    let current = true;
    Promise.all([client.call('tokens.list', {}), client.call('providers.list', { sort: 'name', order: 'asc', limit: 1000 })]).then(
      ([list, providers]) => {
        if (!current) return;
        setTokens(list.tokens);
        setProviderNames(providers.items.map((p) => p.name));
        setLoadError(null);
      },
      (error: unknown) => {
        if (current) setLoadError(errorMessage(error));
      },
    );
    return () => {
      current = false;
    };
  }, [client, generation]);

  const toggle = (provider: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(provider);
    else next.delete(provider);
    setChosen(next);
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFormError(null);
    setFieldErrors({});
    const seconds = LIFETIMES[Number(lifetime)]?.seconds ?? null;
    try {
      const token = await client.call('tokens.create', {
        name,
        scope: 'gateway',
        ...(onlySome ? { providers: [...chosen] } : {}),
        ...(seconds !== null ? { expires_in_seconds: seconds } : {}),
      });
      setCreated(token);
      setName('');
      setChosen(new Set());
      setOnlySome(false);
      reload();
    } catch (error) {
      setFormError(formMessage(error));
      setFieldErrors(serverFieldErrors(error));
    } finally {
      setBusy(false);
    }
  };

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      ui.getState().toast('Token copied', 'success');
    } catch (error) {
      ui.getState().toast(errorMessage(error), 'error');
    }
  };

  const providersError = fieldErrors.providers ?? Object.entries(fieldErrors).find(([path]) => path.startsWith('providers['))?.[1];

  return (
    <section className="settings-section" aria-labelledby="settings-tokens">
      <h2 id="settings-tokens" className="settings-title">
        Tokens for other tools
      </h2>
      <p className="muted">
        A gateway token lets a tool on this computer use your providers through Provider Desk (<span className="mono">/v1/…</span> and{' '}
        <span className="mono">/proxy/…</span>) without ever holding a provider key. It cannot manage providers, read keys or export
        anything, and works only for the providers you choose.
      </p>
      {loadError && (
        <p className="banner banner--error" role="alert">
          {loadError}
        </p>
      )}

      {created && (
        <div className="banner banner--warning" role="status" aria-live="polite">
          <p className="banner-title">Token “{created.name}” created — copy it now, it is shown only once</p>
          <div className="token-row">
            <div className="token-box">
              <code className="token-value" aria-label={`New token for ${created.name}`}>
                {created.token}
              </code>
            </div>
            <button type="button" className="button" onClick={() => void copy(created.token)}>
              <Icon name="copy" /> Copy token
            </button>
            <button type="button" className="button button--ghost" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      )}

      <form className="fieldset" onSubmit={(e) => void create(e)} aria-label="Create a gateway token">
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldErrors.name}
          hint="What the token is for, e.g. the tool that uses it (aider)."
          maxLength={64}
          required
        />
        <fieldset className="fieldset fieldset--nested">
          <legend className="fieldset-legend">Providers</legend>
          <label className="check">
            <input type="radio" name="token-providers" checked={!onlySome} onChange={() => setOnlySome(false)} />
            <span>Every provider</span>
          </label>
          <label className="check">
            <input type="radio" name="token-providers" checked={onlySome} onChange={() => setOnlySome(true)} />
            <span>Only these:</span>
          </label>
          {onlySome && (
            <div className="check-grid" role="group" aria-label="Providers the token may use">
              {providerNames.length === 0 && <p className="muted small">No providers yet.</p>}
              {providerNames.map((provider) => (
                <label key={provider} className="check">
                  <input type="checkbox" checked={chosen.has(provider)} onChange={(e) => toggle(provider, e.target.checked)} />
                  <span className="mono">{provider}</span>
                </label>
              ))}
            </div>
          )}
          {providersError && (
            <p className="field-error" role="alert">
              {providersError}
            </p>
          )}
        </fieldset>
        <SelectField label="Expires" value={lifetime} onChange={(e) => setLifetime(e.target.value)} error={fieldErrors.expires_in_seconds}>
          {LIFETIMES.map((option, index) => (
            <option key={option.label} value={String(index)}>
              {option.label}
            </option>
          ))}
        </SelectField>
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <div>
          <button type="submit" className="button button--primary" disabled={busy || name.trim() === '' || (onlySome && chosen.size === 0)}>
            <Icon name="key" /> Create token
          </button>
        </div>
      </form>

      {tokens && tokens.length === 0 && <p className="muted">No gateway tokens yet.</p>}
      {tokens && tokens.length > 0 && (
        <table className="table" aria-label="Gateway tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Providers</th>
              <th scope="col">Status</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td className="mono">{token.providers ? token.providers.join(', ') || '(none left)' : 'all'}</td>
                <td>{token.status}</td>
                <td>{token.expires_at ? new Date(token.expires_at).toLocaleDateString() : 'never'}</td>
                <td>{formatWhen(token.last_used_at)}</td>
                <td>
                  <button
                    type="button"
                    className="button button--small button--danger-ghost"
                    aria-label={`Revoke token ${token.name}`}
                    onClick={() => setRevoking(token)}
                  >
                    <Icon name="trash" size={14} /> Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {revoking && (
        <ConfirmDialog
          title={`Revoke the token “${revoking.name}”?`}
          confirmLabel="Revoke token"
          danger
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await client.call('tokens.delete', { id: revoking.id });
            ui.getState().toast(`Token “${revoking.name}” revoked`, 'success');
            reload();
          }}
        >
          <p>The token stops working at once. A tool that uses it needs a new one.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
