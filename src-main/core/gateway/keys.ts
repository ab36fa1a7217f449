import { badRequest, forbidden } from './errors.js';
import type { GatewayKey, GatewayProvider } from './providers.js';

/** Whether a key may be used for a model: its blacklist, then its allow-list (empty or `*` = every model). */
export function keyAllows(key: Pick<GatewayKey, 'models' | 'blacklistedModels'>, model: string | null): boolean {
  if (model === null) return true;
  if (key.blacklistedModels.includes(model)) return false;
  return key.models.length === 0 || key.models.includes('*') || key.models.includes(model);
}

/**
 * A random order in which each key comes first with a probability proportional to its weight (weighted sampling
 * without replacement: sort by u^(1/w)). Keys of weight 0 come last, as a last resort.
 */
export function weightedOrder<T extends { weight: number }>(items: readonly T[], random: () => number = Math.random): T[] {
  return items
    .map((item) => {
      const u = random();
      return { item, rank: item.weight > 0 ? Math.pow(u, 1 / item.weight) : u - 1 };
    })
    .sort((a, b) => b.rank - a.rank)
    .map((entry) => entry.item);
}

/**
 * The keys to try for one request, best first: the first is chosen by weight among the enabled keys allowed for the
 * model, the second is the one failover moves to. `[null]` for a provider used without a key.
 */
export function keysToTry(provider: GatewayProvider, model: string | null, random?: () => number): Array<GatewayKey | null> {
  if (provider.keyless) return [null];
  if (provider.keys.length === 0) {
    const why = provider.unusable.length > 0 ? `: ${provider.unusable.join('; ')}` : '; add one (or enable one) in Provider Desk';
    throw badRequest('no_enabled_key', `Provider "${provider.row.name}" has no usable key${why}`);
  }
  const allowed = provider.keys.filter((key) => keyAllows(key, model));
  if (allowed.length === 0)
    throw forbidden('model_not_allowed', `No enabled key of provider "${provider.row.name}" is allowed to use model "${model ?? ''}"`);
  return weightedOrder(allowed, random).slice(0, 2);
}
