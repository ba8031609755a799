import type { ServiceName } from '@shop/contracts';
import { LOCAL_USERS, type SeedProduct } from '@shop/local-system';
import { type Random, randomFor } from '../fuzz/random.js';

const EUR = (amountMinor: number) => ({ amountMinor, currency: 'EUR' as const });

/** Products no run can sell out of, and the one that runs out part-way (its stock: see {@link chaosCatalogue}). */
export const PLENTIFUL_SKUS = ['CHAOS-MUG', 'CHAOS-TEE'] as const;
export const SCARCE_SKU = 'CHAOS-LAMP';

/**
 * The catalogue of a chaos run of `orders` orders: two products with stock for any run, and one
 * with a unit for every fourth order, so that it sells out part-way and orders for it race for
 * the last units (some pass Order's check and fail their reservation).
 *
 * @example
 * ```ts
 * const shop = await startShop({ ports: FREE_PORTS, catalogue: chaosCatalogue(1000) });
 * ```
 */
export const chaosCatalogue = (orders: number): readonly SeedProduct[] => [
  { sku: 'CHAOS-MUG', name: 'Chaos mug', unitPrice: EUR(1299), available: 1_000_000 },
  { sku: 'CHAOS-TEE', name: 'Chaos T-shirt', unitPrice: EUR(2499), available: 1_000_000 },
  {
    sku: SCARCE_SKU,
    name: 'Chaos lamp',
    unitPrice: EUR(4999),
    available: Math.max(5, Math.floor(orders / 4)),
  },
];

/**
 * The card processor sandbox's tokens, as often as a run uses them: mostly paid, some declined,
 * some captured with the first answer lost (`tok_timeout`), a few with the processor down.
 */
const CARDS = [
  [70, 'tok_success'],
  [8, 'tok_declined'],
  [6, 'tok_insufficient_funds'],
  [10, 'tok_timeout'],
  [6, 'tok_unavailable'],
] as const;

/** One order a run places, as its customer would. */
export interface ChaosOrder {
  readonly index: number;
  readonly customer: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
  readonly paymentToken: string;
  /** Sent as `Idempotency-Key`, so that a failed placement can be placed again safely. */
  readonly idempotencyKey?: string;
  /** Once placed, placed again with the same key: it must answer the same order. */
  readonly placedTwice: boolean;
  /** Once placed, cancelled by its customer. */
  readonly cancelled: boolean;
}

/** A fault, caused when the run starts placing order `atOrder`. */
export type ChaosFault =
  | { readonly kind: 'kill'; readonly atOrder: number; readonly service: ServiceName }
  | { readonly kind: 'stall'; readonly atOrder: number; readonly ms: number }
  | { readonly kind: 'duplicates'; readonly atOrder: number; readonly events: number };

/** Orders `from` to `to - 1`, placed all at once. */
export interface ChaosBurst {
  readonly from: number;
  readonly to: number;
}

export interface ChaosPlanProps {
  readonly seed: number;
  readonly orders: number;
  /** `kill -9` of service processes; the first three kill each service once. */
  readonly kills: number;
  /** DynamoDB Local stalls (SIGSTOP, then SIGCONT), each `stallMs` long. */
  readonly stalls: number;
  readonly stallMs: number;
  /** Batches of events published again with their own event ids, `duplicatesPerBatch` each. */
  readonly duplicateBatches: number;
  readonly duplicatesPerBatch: number;
  /** Bursts of `burstSize` placements at once. */
  readonly bursts: number;
  readonly burstSize: number;
}

export interface ChaosPlan {
  readonly orders: readonly ChaosOrder[];
  readonly faults: readonly ChaosFault[];
  readonly bursts: readonly ChaosBurst[];
}

const SERVICES: readonly ServiceName[] = ['order', 'inventory', 'payment'];
const CUSTOMERS = [LOCAL_USERS.customer, LOCAL_USERS.otherCustomer];

const orderOf = (seed: number, index: number, scarceStock: number): ChaosOrder => {
  const r = randomFor(seed, index);
  const lineCount = r.weighted([
    [70, 1],
    [25, 2],
    [5, 3],
  ] as const);
  const lines = Array.from({ length: lineCount }, () => {
    const sku = r.chance(0.3) ? SCARCE_SKU : r.pick(PLENTIFUL_SKUS);
    // A few ask for more than the scarce product ever had: refused, or never reserved.
    const quantity =
      sku === SCARCE_SKU && r.chance(0.05) ? scarceStock + 1 + r.int(10) : 1 + r.int(3);
    return { sku, quantity };
  });
  const keyed = r.chance(0.85);
  return {
    index,
    customer: r.pick(CUSTOMERS),
    lines,
    paymentToken: r.weighted(CARDS),
    ...(keyed && { idempotencyKey: `chaos-${seed}-${index}` }),
    placedTwice: keyed && r.chance(0.03),
    cancelled: r.chance(0.05),
  };
};

/** `count` indexes in `[from, to)`, drawn with `r`. */
const positions = (r: Random, count: number, from: number, to: number) =>
  Array.from({ length: count }, () => from + r.int(Math.max(1, to - from)));

/**
 * What a seeded chaos run does: its orders (customers, lines, cards, keys, second placements,
 * cancellations) and when it causes each fault, the same for the same seed and sizes. The faults
 * fall between the first 5% and the last 10% of the orders, and each service is killed once
 * before any is killed twice.
 *
 * @example
 * ```ts
 * const plan = chaosPlan({ seed: 1, orders: 100, kills: 1, stalls: 1, stallMs: 2000,
 *   duplicateBatches: 1, duplicatesPerBatch: 20, bursts: 1, burstSize: 30 });
 * ```
 */
export const chaosPlan = (props: ChaosPlanProps): ChaosPlan => {
  const scarce = chaosCatalogue(props.orders).find((p) => p.sku === SCARCE_SKU)?.available ?? 0;
  const orders = Array.from({ length: props.orders }, (_, index) =>
    orderOf(props.seed, index, scarce),
  );
  const r = randomFor(props.seed, -1);
  const from = Math.floor(props.orders * 0.05);
  const to = Math.max(from + 1, Math.floor(props.orders * 0.9));
  const killed = [...SERVICES].sort(() => r.next() - 0.5);
  const faults: ChaosFault[] = [
    ...positions(r, props.kills, from, to).map((atOrder, k) => ({
      kind: 'kill' as const,
      atOrder,
      service: killed[k] ?? r.pick(SERVICES),
    })),
    ...positions(r, props.stalls, from, to).map((atOrder) => ({
      kind: 'stall' as const,
      atOrder,
      ms: props.stallMs,
    })),
    ...positions(r, props.duplicateBatches, from, to).map((atOrder) => ({
      kind: 'duplicates' as const,
      atOrder,
      events: props.duplicatesPerBatch,
    })),
  ].sort((a, b) => a.atOrder - b.atOrder);
  // Each burst in a window of its own, so that none overlaps the next.
  const window = Math.floor(props.orders / Math.max(1, props.bursts));
  const size = Math.min(props.burstSize, window);
  const bursts = Array.from({ length: size > 0 ? props.bursts : 0 }, (_, b) => {
    const start = b * window + r.int(window - size + 1);
    return { from: start, to: start + size };
  });
  return { orders, faults, bursts };
};
