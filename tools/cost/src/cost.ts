import type { PriceTable } from './schemas.js';
import { OWNERS, type Owner, type Usage } from './usage.js';

/** A usage with its price in USD. */
export interface Cost extends Usage {
  readonly usd: number;
}

/**
 * Prices each usage with the table, its quantity multiplied by `times` first (for instance a
 * million orders).
 *
 * @example
 * ```ts
 * priced(eventDrivenUsage(measured, assumptions), prices, 1_000_000);
 * ```
 */
export const priced = (usages: readonly Usage[], table: PriceTable, times = 1): Cost[] =>
  usages.map((usage) => {
    const price = table.prices[usage.price];
    if (price === undefined) throw new Error(`The price table has no ${usage.price}`);
    return {
      ...usage,
      quantity: usage.quantity * times,
      usd: (usage.quantity * times * price.usd) / price.per,
    };
  });

/**
 * The costs summed by a key, in the order the keys first appear unless `order` is given.
 *
 * @example
 * ```ts
 * totalsBy(costs, (cost) => cost.owner, OWNERS); // Map { 'order' => 12.3, ... }
 * ```
 */
export const totalsBy = <K extends string>(
  costs: readonly Cost[],
  key: (cost: Cost) => K,
  order?: readonly K[],
): Map<K, number> => {
  const totals = new Map<K, number>(order?.map((one) => [one, 0]));
  for (const cost of costs) totals.set(key(cost), (totals.get(key(cost)) ?? 0) + cost.usd);
  return totals;
};

/**
 * The costs summed by owner, every owner present.
 *
 * @example
 * ```ts
 * byOwner(costs).get('platform');
 * ```
 */
export const byOwner = (costs: readonly Cost[]): Map<Owner, number> =>
  totalsBy(costs, (cost) => cost.owner, OWNERS);

/**
 * The sum of the costs.
 *
 * @example
 * ```ts
 * total(costs);
 * ```
 */
export const total = (costs: readonly Cost[]): number =>
  costs.reduce((sum, cost) => sum + cost.usd, 0);
