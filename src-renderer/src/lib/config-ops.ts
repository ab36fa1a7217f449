import { CONFIG_ENVELOPE_FORMAT, type OperationOutput } from '@contract/operations';
import type { DeskClient } from '../client/desk-client';

export type ImportDiff = OperationOutput<'config.import'>;
export type DestinationChange = ImportDiff['destinations'][number];
export type SecretsMode = 'redacted' | 'plain' | 'encrypted';

/** A dry run (or the real thing): the document's top-level fields plus the import options. */
export function importConfig(
  client: DeskClient,
  document: Record<string, unknown>,
  options: { dryRun: boolean; prune: boolean; passphrase?: string; confirmDestinations?: boolean },
): Promise<ImportDiff> {
  return client.call('config.import', {
    ...document,
    dry_run: options.dryRun,
    prune: options.prune,
    ...(options.confirmDestinations ? { confirm_destinations: true } : {}),
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
  });
}

/** The document to save: plain or redacted config.json, or the passphrase-sealed envelope. */
export function exportConfig(client: DeskClient, mode: SecretsMode, passphrase = ''): Promise<unknown> {
  if (mode === 'encrypted') return client.call('config.exportEncrypted', { secrets: 'encrypted', passphrase });
  return client.call('config.export', { secrets: mode });
}

/** The destination changes of a dry run, by provider, in the order the backend listed them. */
export function destinationsByProvider(destinations: readonly DestinationChange[]): Map<string, DestinationChange[]> {
  const out = new Map<string, DestinationChange[]>();
  for (const change of destinations) out.set(change.provider, [...(out.get(change.provider) ?? []), change]);
  return out;
}

/** Where a provider's kept keys would go, for the confirmation's label: the new base URL, else the new proxy, else the TLS change. */
export function destinationSummary(changes: readonly DestinationChange[]): string {
  const base = changes.find((c) => c.field === 'network_config.base_url');
  if (base) return `to ${base.to}`;
  const proxy = changes.find((c) => c.field === 'proxy_config.url');
  if (proxy) return `through the proxy ${proxy.to}`;
  const type = changes.find((c) => c.field === 'proxy_config.type');
  if (type) return `with the proxy setting “${type.to}”`;
  return 'with the changed certificate checks';
}

/** Whether two dry runs list the same destination changes (the confirmation is for exactly those). */
export function sameDestinations(a: readonly DestinationChange[], b: readonly DestinationChange[]): boolean {
  const key = (list: readonly DestinationChange[]) =>
    JSON.stringify(list.map((d) => [d.provider, d.field, d.from, d.to]).sort((x, y) => (x.join('\n') < y.join('\n') ? -1 : 1)));
  return key(a) === key(b);
}

/** Provider Desk's encrypted export: a sealed envelope instead of a providers section. */
export function looksEncrypted(document: Record<string, unknown>): boolean {
  return document.format === CONFIG_ENVELOPE_FORMAT;
}
