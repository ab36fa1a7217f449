import { SecretScrubber } from '../probe/scrub.js';
import { isSecretHeaderName } from '../service/secret-fields.js';
import type { ProbeKey, ProbeTarget } from '../probe/types.js';

/** Names whose values are secrets in settings and key configs (beyond those the catalog marks secret). */
const SECRET_NAME = /secret|token|password|private|credential|api_?key|service_account/i;

function addSecrets(scrubber: SecretScrubber, source: Record<string, unknown> | null, marked: ReadonlySet<string>, depth = 0): void {
  if (!source || depth > 2) return;
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === 'string' && (marked.has(name) || SECRET_NAME.test(name))) scrubber.add(value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const inner = value as Record<string, unknown>;
      // Bifrost's secret-value objects ({"value": …}) under a secret name are secrets too.
      if ((marked.has(name) || SECRET_NAME.test(name)) && typeof inner.value === 'string') scrubber.add(inner.value);
      addSecrets(scrubber, inner, marked, depth + 1);
    }
  }
}

/**
 * Every secret one gateway request handles (the key, its typed config, the provider's setting secrets, proxy
 * credentials, secret extra headers), so that no message the gateway answers with can quote one. Built only when a
 * message is about to be written.
 */
export function scrubberFor(target: ProbeTarget, key: ProbeKey): SecretScrubber {
  const scrubber = new SecretScrubber();
  scrubber.add(key.secret);
  scrubber.add(target.proxy.password);
  for (const [name, value] of Object.entries(target.network.extra_headers)) if (isSecretHeaderName(name)) scrubber.add(value);
  const marked = new Set(target.entry.settings.filter((field) => field.secret).map((field) => field.name));
  addSecrets(scrubber, target.settings, marked);
  addSecrets(scrubber, key.keyConfig, marked);
  return scrubber;
}
