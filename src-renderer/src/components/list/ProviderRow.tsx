import { memo } from 'react';
import type { Provider } from '@contract/domain-schemas';
import { healthOf } from '../../lib/health';
import { HealthBadge } from '../common/HealthBadge';
import { ProviderIcon } from '../common/ProviderIcon';

interface RowProps {
  provider: Provider;
  typeLabel: string;
  selected: boolean;
  index: number;
  onOpen(id: string): void;
}

/** One provider in the list: icon, names, type, key count and health. */
export const ProviderRow = memo(function ProviderRow({ provider, typeLabel, selected, index, onOpen }: RowProps) {
  const title = provider.display_name || provider.name;
  const keys = provider.api_keys.length;
  return (
    <button
      type="button"
      className={`provider-row${selected ? ' provider-row--selected' : ''}`}
      aria-current={selected || undefined}
      data-index={index}
      data-name={provider.name}
      onClick={() => onOpen(provider.id)}
    >
      <ProviderIcon type={provider.type} label={typeLabel} size={34} />
      <span className="provider-row-text">
        <span className="provider-row-title">{title}</span>
        <span className="provider-row-meta">
          {provider.display_name ? <span className="mono">{provider.name}</span> : null}
          {provider.display_name ? ' · ' : null}
          {typeLabel}
          {keys > 0 ? ` · ${keys} ${keys === 1 ? 'key' : 'keys'}` : ''}
          {!provider.enabled ? ' · disabled' : ''}
        </span>
      </span>
      <HealthBadge kind={healthOf(provider)} />
    </button>
  );
});

/** A row whose page is still loading. */
export function PlaceholderRow() {
  return (
    <div className="provider-row provider-row--placeholder" aria-hidden="true">
      <span className="skeleton skeleton--icon" />
      <span className="provider-row-text">
        <span className="skeleton skeleton--line" />
        <span className="skeleton skeleton--line skeleton--short" />
      </span>
    </div>
  );
}
