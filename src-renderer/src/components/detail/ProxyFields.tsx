import type { Provider } from '@contract/domain-schemas';
import { PROXY_TYPES } from '@contract/config-schemas';
import type { FieldErrors } from '../../lib/errors';
import { SelectField, TextField } from '../common/Field';

export type ProxyDraft = { type: (typeof PROXY_TYPES)[number]; url: string; username: string; password: string };

const LABELS: Record<ProxyDraft['type'], string> = {
  none: 'No proxy',
  http: 'HTTP(S) proxy',
  socks5: 'SOCKS5 proxy',
  environment: 'From the environment (HTTPS_PROXY)',
};

export function proxyDraft(p: Provider['proxy_config']): ProxyDraft {
  return { type: p.type, url: p.url, username: p.username, password: '' };
}

/** An empty password keeps the stored one. */
export function proxyPatch(d: ProxyDraft) {
  return {
    type: d.type,
    url: d.type === 'http' || d.type === 'socks5' ? d.url.trim() : '',
    username: d.username,
    ...(d.password ? { password: d.password } : {}),
  };
}

export function ProxyFields({
  value,
  onChange,
  errors,
  hasPassword,
}: {
  value: ProxyDraft;
  onChange(value: ProxyDraft): void;
  errors: FieldErrors;
  hasPassword: boolean;
}) {
  const set = (patch: Partial<ProxyDraft>) => onChange({ ...value, ...patch });
  const needsUrl = value.type === 'http' || value.type === 'socks5';
  return (
    <fieldset className="fieldset">
      <legend className="fieldset-legend">Proxy</legend>
      <div className="form-grid">
        <SelectField
          label="Proxy type"
          value={value.type}
          onChange={(e) => set({ type: e.target.value as ProxyDraft['type'] })}
          error={errors.type}
        >
          {PROXY_TYPES.map((t) => (
            <option key={t} value={t}>
              {LABELS[t]}
            </option>
          ))}
        </SelectField>
        {needsUrl && (
          <TextField
            label="Proxy URL"
            value={value.url}
            onChange={(e) => set({ url: e.target.value })}
            error={errors.url}
            placeholder={value.type === 'socks5' ? 'socks5://127.0.0.1:1080' : 'http://proxy.example.com:8080'}
            spellCheck={false}
          />
        )}
        {needsUrl && (
          <TextField
            label="Proxy user"
            optional
            value={value.username}
            onChange={(e) => set({ username: e.target.value })}
            error={errors.username}
            autoComplete="off"
          />
        )}
        {needsUrl && (
          <TextField
            label="Proxy password"
            optional
            type="password"
            value={value.password}
            onChange={(e) => set({ password: e.target.value })}
            error={errors.password}
            placeholder={hasPassword ? 'Stored — type to replace' : ''}
            autoComplete="new-password"
          />
        )}
      </div>
    </fieldset>
  );
}
