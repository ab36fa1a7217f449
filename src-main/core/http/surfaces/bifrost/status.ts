import type { CheckResult } from '../../../contract/domain-schemas.js';

/**
 * Bifrost's model-discovery outcome (`status` / `description` on a provider or a key): `success`, or
 * `list_models_failed` with the error text. Undefined when nothing was checked yet: Bifrost then omits both fields.
 */
export type BifrostListing = { status: 'success' } | { status: 'list_models_failed'; description: string };

function listingOf(check: CheckResult): BifrostListing {
  return check.ok ? { status: 'success' } : { status: 'list_models_failed', description: check.message };
}

/** A key's outcome, read from its last check (the native API's `last_check`). */
export function keyListing(key: { last_check: CheckResult | null }): BifrostListing | undefined {
  return key.last_check ? listingOf(key.last_check) : undefined;
}

interface ProviderChecks {
  last_check: CheckResult | null;
  api_keys: ReadonlyArray<{ enabled: boolean; last_check: CheckResult | null }>;
}

/**
 * A provider's outcome: `success` when any enabled key listed models, `list_models_failed` when every checked one
 * failed. A provider without enabled keys (keyless) answers with its endpoint's check.
 */
export function providerListing(provider: ProviderChecks): BifrostListing | undefined {
  const enabled = provider.api_keys.filter((key) => key.enabled);
  const checks =
    enabled.length > 0
      ? enabled.flatMap((key) => (key.last_check ? [key.last_check] : []))
      : provider.last_check
        ? [provider.last_check]
        : [];
  const first = checks[0];
  if (!first) return undefined;
  return listingOf(checks.find((check) => check.ok) ?? first);
}

/**
 * Bifrost's `provider_status` says whether the provider is initialised (serves requests): `active`, or `error` when it
 * is not (here: switched off). How its keys fare is `status`, never this: one failing key does not make it `error`.
 */
export function providerStatus(provider: { enabled: boolean }): 'active' | 'error' {
  return provider.enabled ? 'active' : 'error';
}

/** The listing fields as Bifrost writes them: both omitted when empty. */
export function listingFields(listing: BifrostListing | undefined): { status?: string; description?: string } {
  if (!listing) return {};
  if (listing.status === 'success' || !listing.description) return { status: listing.status };
  return { status: listing.status, description: listing.description };
}
