import type { FormEvent } from 'react';
import type { Provider } from '@contract/domain-schemas';
import { NetworkConfigInput, ProxyConfigInput } from '@contract/config-schemas';
import { fieldsUnder, validate, type FieldErrors } from '../../lib/errors';
import { SwitchField, TextAreaField, TextField } from '../common/Field';
import { PairsEditor, fromPairs, toPairs } from '../common/PairsEditor';
import type { ProviderPatch } from '../../stores/detail-store';
import { SaveBar } from '../common/SaveBar';
import { ProxyFields, proxyDraft, proxyPatch } from './ProxyFields';
import { useDraft, useSave } from './use-draft';

/** The Network tab's form values for a stored provider. */
export function networkDraft(p: Provider) {
  const n = p.network_config;
  return {
    timeout: String(n.default_request_timeout_in_seconds),
    retries: String(n.max_retries),
    backoffInitial: String(n.retry_backoff_initial),
    backoffMax: String(n.retry_backoff_max),
    headers: toPairs(n.extra_headers),
    ca: n.ca_cert_pem,
    insecure: n.insecure_skip_verify,
    privateNetwork: n.allow_private_network,
    proxy: proxyDraft(p.proxy_config),
  };
}

export type NetworkDraft = ReturnType<typeof networkDraft>;

const int = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** The update a Network draft asks for, and the fields the page can already tell are wrong. */
export function networkPatch(d: NetworkDraft): { patch: ProviderPatch; errors: FieldErrors } {
  const network_config = {
    default_request_timeout_in_seconds: int(d.timeout),
    max_retries: int(d.retries),
    retry_backoff_initial: int(d.backoffInitial),
    retry_backoff_max: int(d.backoffMax),
    extra_headers: fromPairs(d.headers),
    ca_cert_pem: d.ca,
    insecure_skip_verify: d.insecure,
    allow_private_network: d.privateNetwork,
  };
  const proxy_config = proxyPatch(d.proxy);
  const errors: FieldErrors = {};
  const n = validate(NetworkConfigInput, network_config);
  if (!n.ok)
    for (const [path, text] of Object.entries(n.fields))
      errors[`network_config.${path}`] = text.startsWith('Invalid input: expected number') ? 'must be a whole number' : text;
  const p = validate(ProxyConfigInput, proxy_config);
  if (!p.ok) for (const [path, text] of Object.entries(p.fields)) errors[`proxy_config.${path}`] = text;
  return { patch: { network_config, proxy_config }, errors };
}

/** Timeouts, retries, extra headers, proxy, CA and private-network access. */
export function NetworkTab({ provider }: { provider: Provider }) {
  const draft = useDraft(provider, 'network', networkDraft);
  const { save, busy, errors, message } = useSave(provider.id, 'network');
  const d = draft.value;
  const set = (patch: Partial<typeof d>) => draft.update((v) => ({ ...v, ...patch }));
  const net = fieldsUnder(errors, 'network_config');
  const proxyErrors = fieldsUnder(errors, 'proxy_config');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { patch, errors: local } = networkPatch(d);
    void save(patch, local);
  };

  const loadCa = async (file: File | undefined) => {
    if (file) set({ ca: (await file.text()).trim() });
  };

  return (
    <form className="form tab-form" onSubmit={submit} noValidate aria-label="Network settings" data-draft-tab="network">
      <fieldset className="fieldset">
        <legend className="fieldset-legend">Requests</legend>
        <div className="form-grid form-grid--4">
          <TextField
            label="Timeout (seconds)"
            inputMode="numeric"
            value={d.timeout}
            onChange={(e) => set({ timeout: e.target.value })}
            error={net.default_request_timeout_in_seconds}
          />
          <TextField
            label="Max retries"
            inputMode="numeric"
            value={d.retries}
            onChange={(e) => set({ retries: e.target.value })}
            error={net.max_retries}
          />
          <TextField
            label="Backoff initial (ms)"
            inputMode="numeric"
            value={d.backoffInitial}
            onChange={(e) => set({ backoffInitial: e.target.value })}
            error={net.retry_backoff_initial}
          />
          <TextField
            label="Backoff max (ms)"
            inputMode="numeric"
            value={d.backoffMax}
            onChange={(e) => set({ backoffMax: e.target.value })}
            error={net.retry_backoff_max}
          />
        </div>
        <p className="field-hint">Retries follow 429, 5xx and connection errors, with exponential backoff and jitter.</p>
      </fieldset>
      <PairsEditor
        legend="Extra headers"
        keyLabel="Header name"
        valueLabel="Header value"
        pairs={d.headers}
        onChange={(headers) => set({ headers })}
        addLabel="Add header"
        keyPlaceholder="X-Custom-Header"
        valuePlaceholder="value"
        errors={fieldsUnder(net, 'extra_headers')}
      />
      <ProxyFields
        value={d.proxy}
        onChange={(proxy) => set({ proxy })}
        errors={proxyErrors}
        hasPassword={provider.proxy_config.has_password}
      />
      <fieldset className="fieldset">
        <legend className="fieldset-legend">TLS and private networks</legend>
        <TextAreaField
          label="CA certificate (PEM)"
          optional
          rows={4}
          className="mono-input"
          value={d.ca}
          onChange={(e) => set({ ca: e.target.value })}
          error={net.ca_cert_pem}
          placeholder="-----BEGIN CERTIFICATE-----"
          spellCheck={false}
          hint="Trusted in addition to the system's CAs, e.g. for a company proxy or a self-signed server."
        />
        <label className="file-pick">
          <span>Load a CA certificate from a file</span>
          <input type="file" accept=".pem,.crt,.cer,text/plain" onChange={(e) => void loadCa(e.target.files?.[0])} />
        </label>
        <SwitchField label="Skip TLS certificate verification" checked={d.insecure} onChange={(insecure) => set({ insecure })} />
        {d.insecure && (
          <p className="banner banner--warning" role="note">
            Anyone on the network path can read and change this provider’s traffic, keys included. Use a CA certificate instead whenever you
            can.
          </p>
        )}
        <SwitchField
          label="Allow private network addresses"
          checked={d.privateNetwork}
          onChange={(privateNetwork) => set({ privateNetwork })}
          hint="Needed for servers on your LAN (10.x, 172.16–31.x, 192.168.x). Loopback is always allowed."
        />
      </fieldset>
      <SaveBar dirty={draft.dirty} busy={busy} message={message ?? draft.conflict} onDiscard={draft.reset} />
    </form>
  );
}
