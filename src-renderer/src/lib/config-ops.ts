import { CONFIG_ENVELOPE_FORMAT, type OperationOutput } from '@contract/operations';
import type { DeskClient } from '../client/desk-client';

export type ImportDiff = OperationOutput<'config.import'>;
export type SecretsMode = 'redacted' | 'plain' | 'encrypted';

/** A dry run (or the real thing): the document's top-level fields plus the import options. */
export function importConfig(
  client: DeskClient,
  document: Record<string, unknown>,
  options: { dryRun: boolean; prune: boolean; passphrase?: string },
): Promise<ImportDiff> {
  return client.call('config.import', {
    ...document,
    dry_run: options.dryRun,
    prune: options.prune,
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
  });
}

/** The document to save: plain or redacted config.json, or the passphrase-sealed envelope. */
export function exportConfig(client: DeskClient, mode: SecretsMode, passphrase = ''): Promise<unknown> {
  if (mode === 'encrypted') return client.call('config.exportEncrypted', { secrets: 'encrypted', passphrase });
  return client.call('config.export', { secrets: mode });
}

/** Provider Desk's encrypted export: a sealed envelope instead of a providers section. */
export function looksEncrypted(document: Record<string, unknown>): boolean {
  return document.format === CONFIG_ENVELOPE_FORMAT;
}
