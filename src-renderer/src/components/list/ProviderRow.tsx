import { memo } from 'react';
import type { Provider } from '@contract/domain-schemas';
import { healthOf } from '../../lib/health';
import { HealthBadge } from '../common/HealthBadge';
import { ProviderIcon } from '../common/ProviderIcon';

interface RowProps {
  id: string;
  provider: Provider;
  typeLabel: string;
  /** The provider open in the detail pane. */
  selected: boolean;
  /** The list box's active row (where the keyboard is). */
  active: boolean;
  index: number;
  total: number;
  /** Where the virtualizer placed the row. */
  start: number;
  size: number;
  onOpen(id: string, index: number): void;
}

/**
 * One provider in the list box: icon, names, type, key count and health. An option, not a button: the list box is the
 * one tab stop and says which row is active (aria-activedescendant).
 */
export const ProviderRow = memo(function ProviderRow({
  id,
  provider,
  typeLabel,
  selected,
  active,
  index,
  total,
  start,
  size,
  onOpen,
}: RowProps) {
  const title = provider.display_name || provider.name;
  const keys = provider.api_keys.length;
  return (
    <div
      role="option"
      id={id}
      aria-selected={selected}
      aria-setsize={total}
      aria-posinset={index + 1}
      className={`provider-list-item${active ? ' provider-list-item--active' : ''}`}
      style={{ transform: `translateY(${start}px)`, height: size }}
      data-index={index}
      data-name={provider.name}
      onClick={() => onOpen(provider.id, index)}
    >
      <div className={`provider-row${selected ? ' provider-row--selected' : ''}`}>
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
      </div>
    </div>
  );
});

/** A row whose page is still loading. */
export function PlaceholderRow({ start, size }: { start: number; size: number }) {
  return (
    <div className="provider-list-item" aria-hidden="true" style={{ transform: `translateY(${start}px)`, height: size }}>
      <div className="provider-row provider-row--placeholder">
        <span className="skeleton skeleton--icon" />
        <span className="provider-row-text">
          <span className="skeleton skeleton--line" />
          <span className="skeleton skeleton--short skeleton--line" />
        </span>
      </div>
    </div>
  );
}
