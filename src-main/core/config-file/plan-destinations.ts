/**
 * Where a provider's secrets go: an import that keeps a stored key (or reads one from the environment) while it
 * changes the base URL's host, the proxy, a trusted CA or TLS verification would send that key somewhere new without
 * the file's author ever knowing it. Each such change is listed on its own, so that it can be shown and confirmed.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { DestinationChange } from '../contract/config-schemas.js';
import { networkOf, proxyOf, settingsOf, type StoredProxy } from '../service/codec.js';
import { proxyUrlKeepsSecret } from '../service/network-secrets.js';
import type { ProviderRow } from '../store/rows.js';
import { isEnvRef, isObject, REDACTED } from './format.js';
import type { ParsedProvider } from './parse.js';
import type { KeyOps, KeyUpdate } from './plan-keys.js';
import type { ProviderTarget } from './plan-provider.js';

export type { DestinationChange };

/** A secret value the file does not write out: the stored one is kept, or the environment supplies it. */
function notInFile(value: unknown): boolean {
  return value === REDACTED || (typeof value === 'string' && isEnvRef(value));
}

function anyNotInFile(value: unknown, depth = 0): boolean {
  if (notInFile(value)) return true;
  return depth < 2 && isObject(value) && Object.values(value).some((inner) => anyNotInFile(inner, depth + 1));
}

/**
 * Whether the provider will hold a secret the file does not write out (a kept or env-supplied key, setting, proxy
 * password or header value). Only then can a destination change leak anything the file's author did not already have.
 */
export function keepsSecrets(p: ParsedProvider, keys: Pick<KeyOps, 'keptSecrets'>): boolean {
  if (keys.keptSecrets.length > 0) return true;
  if (anyNotInFile(p.settings)) return true;
  if (p.proxy && (notInFile(p.proxy.password) || proxyUrlKeepsSecret(p.proxy.url ?? ''))) return true;
  return Object.values(p.network.extra_headers ?? {}).some(notInFile);
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'socks5:': '1080', 'socks5h:': '1080' };

/** A URL as compared (scheme, host, port) and as shown (no user info, query or fragment). */
function endpoint(raw: string, withPath: boolean): { key: string; shown: string } {
  if (raw === '') return { key: '', shown: '(none)' };
  try {
    const url = new URL(raw);
    const protocol = url.protocol.toLowerCase();
    const port = url.port || DEFAULT_PORTS[protocol] || '';
    const path = withPath && url.pathname !== '/' ? url.pathname : '';
    return { key: `${protocol}//${url.hostname.toLowerCase()}:${port}`, shown: `${protocol}//${url.host}${path}` };
  } catch {
    // Not parseable (the schema normally prevents this): compare as written, show without anything that may be a password.
    const shown = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1').replace(/[?#].*$/, '');
    return { key: raw, shown };
  }
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** A CA bundle as compared (whitespace does not matter). */
function caKey(pem: string): string {
  return pem.replace(/\s+/g, '');
}

/** A CA bundle as shown: the start of each certificate's SHA-256 fingerprint, never the PEM. */
function caLabel(pem: string): string {
  if (pem.trim() === '') return '(none: the system CAs)';
  const blocks = pem.match(PEM_BLOCK) ?? [];
  const prints: string[] = [];
  for (const block of blocks) {
    try {
      prints.push(`SHA-256 ${new X509Certificate(block).fingerprint256.slice(0, 23)}…`);
    } catch {
      break;
    }
  }
  if (blocks.length === 0 || prints.length < blocks.length) {
    return `changed text (sha256 ${createHash('sha256').update(caKey(pem)).digest('hex').slice(0, 16)}…, not a readable certificate)`;
  }
  const shown = prints.slice(0, 3).join(', ');
  return blocks.length > 3 ? `${shown} (+${blocks.length - 3} more)` : shown;
}

/**
 * Settings that name where a key is sent, read from the key's config first and then the provider's settings: Azure's
 * `endpoint`, the STS endpoint Bedrock exchanges credentials at, the IAM URL watsonx exchanges its API key at.
 */
const DESTINATION_SETTINGS = ['endpoint', 'sts_endpoint', 'iam_url'] as const;

/**
 * A destination setting in a config — flat or in a typed `*_key_config` block, unwrapped from `{value}` — and where
 * it was found (`endpoint`, `azure_key_config.endpoint`); empty when the config does not set it.
 */
function destinationIn(config: unknown, name: string): { value: string; at: string } {
  if (!isObject(config)) return { value: '', at: name };
  const blocks = Object.entries(config).filter(([field, value]) => field.endsWith('_key_config') && isObject(value));
  for (const [prefix, source] of [['', config] as const, ...blocks.map(([field, value]) => [`${field}.`, value] as const)]) {
    let value: unknown = isObject(source) ? source[name] : undefined;
    if (isObject(value)) value = value.value;
    if (typeof value === 'string' && value.trim() !== '') return { value: value.trim(), at: `${prefix}${name}` };
  }
  return { value: '', at: name };
}

/** The destination settings whose server differs from `before` to `after`: each by name, where `after` sets it, and both shown. */
function changedDestinations(before: unknown, after: unknown): Array<{ name: string; at: string; from: string; to: string }> {
  const changed: Array<{ name: string; at: string; from: string; to: string }> = [];
  for (const name of DESTINATION_SETTINGS) {
    const from = endpoint(destinationIn(before, name).value, true);
    const next = destinationIn(after, name);
    const to = endpoint(next.value, true);
    if (from.key !== to.key) changed.push({ name, at: next.at, from: from.shown, to: to.shown });
  }
  return changed;
}

/** A proxy is used only for these types; for the others its URL and CA decide nothing. */
function routesThroughUrl(proxy: StoredProxy): boolean {
  return proxy.type === 'http' || proxy.type === 'socks5';
}

/** The changes of where (or how safely) the provider's requests go, from the stored row to the import's target. */
export function destinationChanges(provider: string, row: ProviderRow, next: ProviderTarget): DestinationChange[] {
  const changes: DestinationChange[] = [];
  const add = (field: string, from: string, to: string) => changes.push({ provider, field, from, to });

  // A path alone is not a new destination: the same server gets the key.
  const baseFrom = endpoint(row.base_url, true);
  const baseTo = endpoint(next.base_url, true);
  if (baseFrom.key !== baseTo.key) add('network_config.base_url', baseFrom.shown, baseTo.shown);

  const proxyFrom = proxyOf(row);
  const proxyTo = next.proxy;
  if (proxyFrom.type !== proxyTo.type) add('proxy_config.type', proxyFrom.type, proxyTo.type);
  if (routesThroughUrl(proxyTo)) {
    const urlFrom = endpoint(routesThroughUrl(proxyFrom) ? proxyFrom.url : '', false);
    const urlTo = endpoint(proxyTo.url, false);
    if (urlFrom.key !== urlTo.key) add('proxy_config.url', urlFrom.shown, urlTo.shown);
    if (caKey(proxyFrom.ca_cert_pem) !== caKey(proxyTo.ca_cert_pem))
      add('proxy_config.ca_cert_pem', caLabel(proxyFrom.ca_cert_pem), caLabel(proxyTo.ca_cert_pem));
  }

  const networkFrom = networkOf(row);
  const caTo = typeof next.network.ca_cert_pem === 'string' ? next.network.ca_cert_pem : '';
  if (caKey(networkFrom.ca_cert_pem) !== caKey(caTo)) add('network_config.ca_cert_pem', caLabel(networkFrom.ca_cert_pem), caLabel(caTo));
  // Turning verification on sends nothing anywhere new; turning it off lets anyone on the path read the key.
  if (!networkFrom.insecure_skip_verify && next.network.insecure_skip_verify === true)
    add('network_config.insecure_skip_verify', 'false (certificates verified)', 'true (certificates not verified)');

  for (const changed of changedDestinations(settingsOf(row), next.settings)) add(`settings.${changed.name}`, changed.from, changed.to);
  return changes;
}

/**
 * The destination settings an import changes in the configs of keys that keep their stored secret (the file gives
 * `<REDACTED>`, a mask or an `env.VAR` reference): each would send that secret somewhere new.
 */
export function keyDestinationChanges(
  provider: string,
  keys: Pick<KeyOps, 'updateKeys' | 'keptSecrets'>,
  storedConfig: (update: KeyUpdate) => unknown,
): DestinationChange[] {
  const changes: DestinationChange[] = [];
  for (const update of keys.updateKeys) {
    const { patch } = update;
    if (patch.key_config === undefined || !keys.keptSecrets.includes(patch.name ?? update.key.name)) continue;
    const index = update.path[update.path.length - 1];
    for (const { at, from, to } of changedDestinations(storedConfig(update), patch.key_config))
      changes.push({ provider, field: `keys[${String(index)}].${at}`, from, to });
  }
  return changes;
}

/** The refusal's message: each provider and field, from → to; the confirmation named for both the API and the CLI. */
export function unconfirmedMessage(destinations: readonly DestinationChange[]): string {
  const shown = destinations.slice(0, 5).map((d) => `${d.provider} ${d.field} ${d.from} → ${d.to}`);
  const more = destinations.length > 5 ? `; and ${destinations.length - 5} more` : '';
  const providers = [...new Set(destinations.map((d) => d.provider))];
  return (
    `This import would send the stored keys of ${providers.join(', ')} to a new destination (${shown.join('; ')}${more}). ` +
    'Nothing was changed. Check these changes, then confirm them with confirm_destinations: true (CLI: --confirm-destinations).'
  );
}
