import type { CatalogType } from '../../stores/catalog-store';
import type { FieldErrors } from '../../lib/errors';
import { TextAreaField, TextField } from '../common/Field';

interface SettingsFieldsProps {
  type: CatalogType;
  values: Record<string, string>;
  onChange(name: string, value: string): void;
  errors: FieldErrors;
  /** Secret settings already in the vault (from `has_<name>` on a stored provider). */
  storedSecrets?: ReadonlySet<string>;
}

/** A type's own settings from its catalog entry (Azure endpoint and deployments, Bedrock region and credentials, …). */
export function SettingsFields({ type, values, onChange, errors, storedSecrets }: SettingsFieldsProps) {
  if (type.settings.length === 0) return null;
  return (
    <fieldset className="fieldset">
      <legend className="fieldset-legend">{type.label} settings</legend>
      <div className="form-grid">
        {type.settings.map((setting) => {
          const common = {
            label: setting.label,
            optional: !setting.required,
            error: errors[`settings.${setting.name}`],
            value: values[setting.name] ?? '',
            name: setting.name,
          };
          if (setting.multiline) {
            return (
              <TextAreaField
                key={setting.name}
                {...common}
                className="form-grid-wide"
                rows={3}
                placeholder={setting.placeholder || undefined}
                onChange={(e) => onChange(setting.name, e.target.value)}
              />
            );
          }
          const stored = setting.secret && storedSecrets?.has(setting.name);
          return (
            <TextField
              key={setting.name}
              {...common}
              type={setting.secret ? 'password' : 'text'}
              autoComplete="off"
              spellCheck={false}
              placeholder={stored ? 'Stored — type to replace' : setting.placeholder || undefined}
              onChange={(e) => onChange(setting.name, e.target.value)}
            />
          );
        })}
      </div>
    </fieldset>
  );
}

/** Non-empty settings only: an empty field means "not set" (or "keep" for a stored secret). */
export function settingsPatch(values: Record<string, string>): Record<string, string> | undefined {
  const entries = Object.entries(values).filter(([, value]) => value.trim() !== '');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
