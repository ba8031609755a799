import type { ReservationFailureReason, Sku, StockLine } from '@shop/contracts';

/** One line that cannot be served, with what was asked and what is there. */
export interface UnavailableLine {
  readonly sku: Sku;
  readonly requested: number;
  readonly available: number;
}

export type ReservationPlan =
  | { readonly ok: true; readonly lines: readonly StockLine[] }
  | {
      readonly ok: false;
      readonly reason: ReservationFailureReason;
      readonly unavailable: readonly UnavailableLine[];
    };

/**
 * Decides whether an order can be served from the stock that is available now. Lines for the
 * same product are merged first, so two lines of 3 need 6 units. All or nothing: the plan either
 * reserves every line or names each line that cannot be served (an unknown product outranks a
 * shortage as the reason).
 *
 * @example
 * ```ts
 * planReservation(new Map([['MUG-001', 5]]), [{ sku: 'MUG-001', quantity: 2 }]);
 * // { ok: true, lines: [{ sku: 'MUG-001', quantity: 2 }] }
 * ```
 */
export const planReservation = (
  available: ReadonlyMap<Sku, number>,
  lines: readonly StockLine[],
): ReservationPlan => {
  const requested = new Map<Sku, number>();
  for (const line of lines) requested.set(line.sku, (requested.get(line.sku) ?? 0) + line.quantity);

  const merged = [...requested].map(([sku, quantity]) => ({ sku, quantity }));
  const unknown = merged.filter((line) => !available.has(line.sku));
  const short = merged.filter((line) => (available.get(line.sku) ?? 0) < line.quantity);
  if (short.length === 0) return { ok: true, lines: merged };
  return {
    ok: false,
    reason: unknown.length > 0 ? 'UNKNOWN_PRODUCT' : 'INSUFFICIENT_STOCK',
    unavailable: short.map((line) => ({
      sku: line.sku,
      requested: line.quantity,
      available: available.get(line.sku) ?? 0,
    })),
  };
};
