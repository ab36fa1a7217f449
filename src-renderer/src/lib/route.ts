export const DETAIL_TABS = ['general', 'keys', 'models', 'network', 'advanced', 'tools', 'usage'] as const;
export type DetailTab = (typeof DETAIL_TABS)[number];

export type Route = { view: 'providers'; providerId: string | null; tab: DetailTab } | { view: 'settings' };

/** `#/providers/<id>/<tab>` or `#/settings`; anything else is the provider list. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'settings') return { view: 'settings' };
  const tab = DETAIL_TABS.find((t) => t === parts[2]) ?? 'general';
  return { view: 'providers', providerId: parts[0] === 'providers' ? (parts[1] ?? null) : null, tab };
}

export function formatRoute(route: Route): string {
  if (route.view === 'settings') return '#/settings';
  if (!route.providerId) return '#/providers';
  return `#/providers/${encodeURIComponent(route.providerId)}/${route.tab}`;
}
