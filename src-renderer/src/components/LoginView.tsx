import { useState, type FormEvent } from 'react';
import { useSession, useStores } from '../stores';
import { Icon } from './common/Icon';
import { Logo } from './common/Logo';

/** Browser mode without a session: sign in with the local API token (or open the `/?token=` link the CLI prints). */
export function LoginView() {
  const { session } = useStores();
  const message = useSession((s) => s.message);
  const status = useSession((s) => s.status);
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return;
    setBusy(true);
    await session.getState().login(token);
    setBusy(false);
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <Logo size={40} />
        <h1 id="login-title" className="login-title">
          Sign in to Provider Desk
        </h1>
        <p className="muted">
          Paste the local API token. Find it in the desktop app’s Settings, or run <code>provider-desk token</code>.
        </p>
        {status === 'unreachable' ? (
          <p className="banner banner--error" role="alert">
            {message}
          </p>
        ) : (
          message && (
            <p className={`banner ${message === 'You signed out.' ? 'banner--info' : 'banner--error'}`} role="alert">
              {message}
            </p>
          )
        )}
        <div className="field">
          <label htmlFor="login-token" className="field-label">
            Token
          </label>
          <input
            id="login-token"
            className="input mono"
            type="password"
            autoComplete="current-password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            autoFocus
          />
        </div>
        <button type="submit" className="button button--primary button--block" disabled={busy || !token.trim()}>
          <Icon name="key" /> {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
