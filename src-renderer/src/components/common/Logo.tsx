/** The app's mark: stacked cards with a signal dot. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="3" y="9" width="22" height="18" rx="5" fill="var(--accent-soft)" />
      <rect x="7" y="5" width="22" height="18" rx="5" fill="var(--accent)" />
      <circle cx="23" cy="11" r="2.6" fill="var(--accent-ink)" />
      <rect x="11" y="15" width="12" height="2.4" rx="1.2" fill="var(--accent-ink)" opacity="0.85" />
    </svg>
  );
}
