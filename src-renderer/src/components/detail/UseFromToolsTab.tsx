import { useEffect, useState } from 'react';
import type { Provider } from '@contract/domain-schemas';
import type { OperationOutput } from '@contract/operations';
import { useDetail, useStores } from '../../stores';
import { errorMessage } from '../../lib/errors';
import { gatewaySnippets, TOKEN_PLACEHOLDER } from '../../lib/gateway-snippets';
import { Icon } from '../common/Icon';

type CreatedToken = OperationOutput<'tokens.create'>;

/**
 * "Use from other tools": copy-ready snippets that reach this provider through the local gateway with a gateway token
 * (a placeholder, or one created here and shown once) — never the provider's key.
 */
export function UseFromToolsTab({ provider }: { provider: Provider }) {
  const { client, ui } = useStores();
  const model = useDetail((s) => s.models.items[0]?.id);
  const [api, setApi] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    client.call('app.info', {}).then(
      (info) => current && setApi(info.api.url || window.location.origin),
      () => current && setApi(window.location.origin),
    );
    return () => {
      current = false;
    };
  }, [client]);

  const createToken = async () => {
    setBusy(true);
    setError(null);
    try {
      const token = await client.call('tokens.create', {
        name: `${provider.name} (from the app)`.slice(0, 64).replace(/[^A-Za-z0-9 ._\-@:]/g, '_'),
        scope: 'gateway',
        providers: [provider.name],
      });
      setCreated(token);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      ui.getState().toast(`${what} copied`, 'success');
    } catch (failure) {
      ui.getState().toast(errorMessage(failure), 'error');
    }
  };

  if (!api) return null;
  const snippets = gatewaySnippets(api, provider, created?.token ?? TOKEN_PLACEHOLDER, model);

  return (
    <section className="tools-tab" aria-labelledby="tools-title">
      <h2 id="tools-title" className="settings-title">
        Use from other tools
      </h2>
      <p className="muted">
        Point a tool at Provider Desk's local gateway (<span className="mono">{api}</span>) and give it a gateway token as its API key:
        Provider Desk puts this provider's real key on each request, so the tool never holds it. Manage tokens in Settings → Tokens for
        other tools.
      </p>
      {!created && (
        <div>
          <button type="button" className="button" disabled={busy} onClick={() => void createToken()}>
            <Icon name="key" /> Create a token for this provider
          </button>
          <p className="muted small">
            Until then the snippets read the token from <span className="mono">{TOKEN_PLACEHOLDER}</span>.
          </p>
        </div>
      )}
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      {created && (
        <div className="banner banner--warning" role="status" aria-live="polite">
          <p className="banner-title">
            Token “{created.name}” created for {provider.name} — it is shown only now and is in the snippets below
          </p>
          <div className="token-row">
            <div className="token-box">
              <code className="token-value" aria-label={`New gateway token for ${provider.name}`}>
                {created.token}
              </code>
            </div>
            <button type="button" className="button" onClick={() => void copy(created.token, 'Token')}>
              <Icon name="copy" /> Copy token
            </button>
          </div>
        </div>
      )}
      {snippets.map((snippet) => (
        <div key={snippet.id} className="fieldset">
          <h3 className="fieldset-legend" id={`snippet-${snippet.id}`}>
            {snippet.title}
          </h3>
          <div className="code-block">
            <pre aria-labelledby={`snippet-${snippet.id}`} data-snippet={snippet.id}>
              <code>{snippet.text}</code>
            </pre>
            <button
              type="button"
              className="button button--small"
              aria-label={`Copy ${snippet.title}`}
              onClick={() => void copy(snippet.text, 'Snippet')}
            >
              <Icon name="copy" size={14} /> Copy
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
