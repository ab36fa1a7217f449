import { HEALTH_LABELS, type HealthKind } from '../../lib/health';

/** A colored dot with its word: visible in full, or as hidden text for screen readers when compact. */
export function HealthBadge({ kind, compact = false }: { kind: HealthKind; compact?: boolean }) {
  return (
    <span className={`health health--${kind}${compact ? ' health--compact' : ''}`} data-health={kind}>
      <span className="health-dot" aria-hidden="true" />
      <span className={compact ? 'visually-hidden' : 'health-label'}>{HEALTH_LABELS[kind]}</span>
    </span>
  );
}
