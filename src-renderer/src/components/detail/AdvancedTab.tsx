import type { FormEvent } from 'react';
import type { Provider } from '@contract/domain-schemas';
import { BASE_PROVIDER_TYPES, ConcurrencyInput, CustomProviderConfigInput, REQUEST_TYPES } from '@contract/config-schemas';
import { fieldsUnder, validate, type FieldErrors } from '../../lib/errors';
import { SelectField, SwitchField, TextAreaField, TextField } from '../common/Field';
import { PairsEditor, fromPairs, toPairs } from '../common/PairsEditor';
import type { ProviderPatch } from '../../stores/detail-store';
import { SaveBar } from '../common/SaveBar';
import { useDraft, useSave } from './use-draft';

type RequestType = (typeof REQUEST_TYPES)[number];

/** The Advanced tab's form values for a stored provider. */
export function advancedDraft(p: Provider) {
  const custom = p.custom_provider_config;
  return {
    customOn: custom !== null,
    baseType: custom?.base_provider_type ?? 'openai',
    keyless: custom?.is_key_less ?? false,
    allowed: (custom?.allowed_requests ?? null) as Partial<Record<RequestType, boolean>> | null,
    overrides: toPairs(custom?.request_path_overrides),
    rawRequest: p.send_back_raw_request,
    rawResponse: p.send_back_raw_response,
    storeRaw: p.store_raw_request_response,
    concurrency: String(p.concurrency_and_buffer_size.concurrency),
    bufferSize: String(p.concurrency_and_buffer_size.buffer_size),
    description: p.description,
  };
}

export type AdvancedDraft = ReturnType<typeof advancedDraft>;

/** The update an Advanced draft asks for, and the fields the page can already tell are wrong. */
export function advancedPatch(d: AdvancedDraft): { patch: ProviderPatch; errors: FieldErrors } {
  const custom_provider_config = d.customOn
    ? {
        base_provider_type: d.baseType,
        is_key_less: d.keyless,
        allowed_requests: d.allowed,
        request_path_overrides: d.overrides.length > 0 ? fromPairs(d.overrides) : null,
      }
    : null;
  const concurrency_and_buffer_size = { concurrency: Number(d.concurrency), buffer_size: Number(d.bufferSize) };
  const errors: FieldErrors = {};
  const c = validate(ConcurrencyInput, concurrency_and_buffer_size);
  if (!c.ok) for (const [path, text] of Object.entries(c.fields)) errors[`concurrency_and_buffer_size.${path}`] = text;
  if (custom_provider_config) {
    const v = validate(CustomProviderConfigInput, custom_provider_config);
    if (!v.ok) for (const [path, text] of Object.entries(v.fields)) errors[`custom_provider_config.${path}`] = text;
  }
  const patch = {
    custom_provider_config,
    concurrency_and_buffer_size,
    send_back_raw_request: d.rawRequest,
    send_back_raw_response: d.rawResponse,
    store_raw_request_response: d.storeRaw,
    description: d.description,
  };
  return { patch, errors };
}

/** Custom provider config, raw request/response flags, concurrency and buffer, description. */
export function AdvancedTab({ provider }: { provider: Provider }) {
  const draft = useDraft(provider, 'advanced', advancedDraft);
  const { save, busy, errors, message } = useSave(provider.id, 'advanced');
  const d = draft.value;
  const set = (patch: Partial<typeof d>) => draft.update((v) => ({ ...v, ...patch }));
  const customErrors = fieldsUnder(errors, 'custom_provider_config');
  const concurrencyErrors = fieldsUnder(errors, 'concurrency_and_buffer_size');

  const toggleRequest = (type: RequestType, on: boolean) => {
    const current = d.allowed ?? Object.fromEntries(REQUEST_TYPES.map((t) => [t, true]));
    set({ allowed: { ...current, [type]: on } });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { patch, errors: local } = advancedPatch(d);
    void save(patch, local);
  };

  return (
    <form className="form tab-form" onSubmit={submit} noValidate aria-label="Advanced settings" data-draft-tab="advanced">
      <fieldset className="fieldset">
        <legend className="fieldset-legend">Custom provider</legend>
        <SwitchField
          label="Use a custom provider config"
          checked={d.customOn}
          onChange={(customOn) => set({ customOn })}
          hint="For gateways that speak another provider’s API: choose whose, which requests are allowed and any path overrides."
        />
        {d.customOn && (
          <>
            <div className="form-grid">
              <SelectField
                label="Base provider type"
                value={d.baseType}
                onChange={(e) => set({ baseType: e.target.value as typeof d.baseType })}
                error={customErrors.base_provider_type}
              >
                {BASE_PROVIDER_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </SelectField>
              <div className="field-inline">
                <SwitchField
                  label="Key-less"
                  checked={d.keyless}
                  onChange={(keyless) => set({ keyless })}
                  hint="The server needs no API key."
                />
              </div>
            </div>
            <fieldset className="fieldset fieldset--nested">
              <legend className="fieldset-legend">Allowed requests</legend>
              <div className="check-grid">
                {REQUEST_TYPES.map((type) => (
                  <label key={type} className="check">
                    <input
                      type="checkbox"
                      checked={d.allowed ? d.allowed[type] === true : true}
                      onChange={(e) => toggleRequest(type, e.target.checked)}
                    />
                    <span className="mono">{type}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <PairsEditor
              legend="Request path overrides"
              keyLabel="Request type"
              valueLabel="Path"
              pairs={d.overrides}
              onChange={(overrides) => set({ overrides })}
              addLabel="Add override"
              keyPlaceholder="chat_completion"
              valuePlaceholder="/v1/chat/completions"
              errors={fieldsUnder(customErrors, 'request_path_overrides')}
            />
          </>
        )}
      </fieldset>
      <fieldset className="fieldset">
        <legend className="fieldset-legend">Raw requests and responses</legend>
        <SwitchField label="Send back the raw request" checked={d.rawRequest} onChange={(rawRequest) => set({ rawRequest })} />
        <SwitchField label="Send back the raw response" checked={d.rawResponse} onChange={(rawResponse) => set({ rawResponse })} />
        <SwitchField
          label="Store raw requests and responses"
          checked={d.storeRaw}
          onChange={(storeRaw) => set({ storeRaw })}
          hint="Gateways that read this config keep full payloads in their logs."
        />
      </fieldset>
      <fieldset className="fieldset">
        <legend className="fieldset-legend">Concurrency</legend>
        <div className="form-grid">
          <TextField
            label="Concurrency"
            inputMode="numeric"
            value={d.concurrency}
            onChange={(e) => set({ concurrency: e.target.value })}
            error={concurrencyErrors.concurrency}
          />
          <TextField
            label="Buffer size"
            inputMode="numeric"
            value={d.bufferSize}
            onChange={(e) => set({ bufferSize: e.target.value })}
            error={concurrencyErrors.buffer_size}
          />
        </div>
      </fieldset>
      <TextAreaField
        label="Description"
        optional
        rows={3}
        value={d.description}
        onChange={(e) => set({ description: e.target.value })}
        error={errors.description}
        placeholder="What this provider is for, who pays for it…"
      />
      <SaveBar dirty={draft.dirty} busy={busy} message={message ?? draft.conflict} onDiscard={draft.reset} />
    </form>
  );
}
