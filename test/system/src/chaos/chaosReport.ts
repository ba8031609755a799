import type { ChaosReport, Placement } from './runChaos.js';

/** One invariant of the saga, what the run found against it, and the cases that break it. */
export interface ChaosInvariant {
  readonly name: string;
  /** What was checked, e.g. `1000 orders`. */
  readonly checked: string;
  /** Each case that breaks it, one line each; none when it holds. */
  readonly violations: readonly string[];
}

const TERMINAL = new Set(['CONFIRMED', 'CANCELLED']);

/** The answers that tell a placement wrote nothing: refusals the shop decided. */
const decided = (status: number) => status >= 400 && status < 500 && status !== 429;

/** A placement that never got an answer saying whether it placed an order. */
const unanswered = (placement: Placement) =>
  placement.orderId === undefined && !decided(placement.statuses.at(-1) ?? 0);

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/**
 * The saga's invariants, judged on what a chaos run left (see `runChaos`):
 *
 * - every order is terminal: CONFIRMED or CANCELLED;
 * - none lost: every acknowledged placement's order exists, every placement sent again with its
 *   key answered the same order, and the shop holds no more orders than were acknowledged, save
 *   one for each placement that never got an answer saying whether it placed one;
 * - no double charge: at most one captured charge per order, and each confirmed order paid once,
 *   its total, nothing refunded;
 * - no overselling: at every reading, no counter below zero and `available + reserved` never more
 *   than the initial stock;
 * - stock conserved: at the end nothing reserved, and `available = initial − units of the
 *   CONFIRMED orders` (a reservation holds units, a confirmation sells them, a cancellation gives
 *   them back, sold or held);
 * - every refund is of a captured charge of a CANCELLED order, in full, and every captured charge
 *   of a CANCELLED order is refunded;
 * - no unexplained dead letter: each one carries its consumer's reason.
 *
 * @example
 * ```ts
 * const broken = chaosInvariants(report).filter((invariant) => invariant.violations.length > 0);
 * ```
 */
export const chaosInvariants = (report: ChaosReport): ChaosInvariant[] => {
  const orders = new Map(report.orders.map((order) => [order.orderId, order]));
  const acknowledged = report.placements.filter((p) => p.orderId !== undefined);
  const acknowledgedIds = new Set(acknowledged.map((p) => p.orderId));
  const extra = report.orders.filter((order) => !acknowledgedIds.has(order.orderId));
  const maybePlaced = report.placements.filter(unanswered).length;
  const placedAgain = acknowledged.filter((p) => p.placedAgainAs !== undefined);

  const captured = report.charges.filter((charge) => charge.status === 'captured');
  const capturedOf = new Map<string, typeof captured>();
  for (const charge of captured) {
    capturedOf.set(charge.reference, [...(capturedOf.get(charge.reference) ?? []), charge]);
  }
  const confirmed = report.orders.filter((order) => order.status === 'CONFIRMED');
  const cancelled = report.orders.filter((order) => order.status === 'CANCELLED');

  const sold = new Map<string, number>();
  for (const order of confirmed) {
    for (const line of order.lines) sold.set(line.sku, (sold.get(line.sku) ?? 0) + line.quantity);
  }
  const readings = [...report.samples, ...report.stock];
  const initial = (sku: string) => report.initial[sku] ?? 0;

  return [
    {
      name: 'every order terminal',
      checked: `${report.orders.length} orders`,
      violations: report.orders
        .filter((order) => !TERMINAL.has(order.status))
        .map((order) => `${order.orderId} ${order.status} (placed ${order.placedAt})`),
    },
    {
      name: 'no order lost',
      checked: `${acknowledged.length} acknowledged, ${placedAgain.length} placed again with their key, ${maybePlaced} unanswered`,
      violations: [
        ...acknowledged
          .filter((p) => !orders.has(String(p.orderId)))
          .map((p) => `order #${p.order.index} ${p.orderId} was acknowledged but does not exist`),
        ...placedAgain
          .filter((p) => p.placedAgainAs !== p.orderId)
          .map(
            (p) =>
              `order #${p.order.index} ${p.orderId} placed again with its key answered ${p.placedAgainAs}`,
          ),
        ...(extra.length > maybePlaced
          ? [
              `${extra.length} orders nobody was told of, but only ${maybePlaced} placements went unanswered: ${extra
                .slice(0, 5)
                .map((order) => order.orderId)
                .join(', ')}`,
            ]
          : []),
      ],
    },
    {
      name: 'no double charge',
      checked: `${captured.length} captured charges, ${confirmed.length} confirmed orders`,
      violations: [
        ...[...capturedOf]
          .filter(([, charges]) => charges.length > 1)
          .map(([reference, charges]) => `${reference} captured ${charges.length} times`),
        ...confirmed
          .filter((order) => {
            const paid = capturedOf.get(order.orderId) ?? [];
            return (
              paid.length !== 1 ||
              paid[0]?.amount.amountMinor !== order.total.amountMinor ||
              paid[0]?.refundedMinor !== 0
            );
          })
          .map(
            (order) =>
              `${order.orderId} CONFIRMED (total ${order.total.amountMinor}) with charges ${JSON.stringify(capturedOf.get(order.orderId) ?? [])}`,
          ),
      ],
    },
    {
      name: 'no stock oversold',
      checked: `${readings.length} readings`,
      violations: readings
        .filter(
          (r) => r.available < 0 || r.reserved < 0 || r.available + r.reserved > initial(r.sku),
        )
        .map(
          (r) => `${r.sku}: available ${r.available}, reserved ${r.reserved}, of ${initial(r.sku)}`,
        ),
    },
    {
      name: 'stock conserved',
      checked: `${report.stock.length} products: available = initial - sold, reserved = 0`,
      violations: [
        ...Object.keys(report.initial)
          .filter((sku) => !report.stock.some((r) => r.sku === sku))
          .map((sku) => `${sku}: not read`),
        ...report.stock
          .filter(
            (r) => r.reserved !== 0 || r.available !== initial(r.sku) - (sold.get(r.sku) ?? 0),
          )
          .map(
            (r) =>
              `${r.sku}: available ${r.available}, reserved ${r.reserved}; expected ${initial(r.sku) - (sold.get(r.sku) ?? 0)} (${initial(r.sku)} - ${sold.get(r.sku) ?? 0} sold), 0`,
          ),
      ],
    },
    {
      name: 'every refund matches a cancelled captured charge',
      checked: `${report.charges.filter((c) => c.refundedMinor > 0).length} refunds, ${cancelled.length} cancelled orders`,
      violations: [
        ...report.charges
          .filter((charge) => charge.refundedMinor > 0)
          .filter(
            (charge) =>
              orders.get(charge.reference)?.status !== 'CANCELLED' ||
              charge.refundedMinor !== charge.amount.amountMinor,
          )
          .map(
            (charge) =>
              `${charge.reference} (${orders.get(charge.reference)?.status ?? 'no such order'}) refunded ${charge.refundedMinor} of ${charge.amount.amountMinor}`,
          ),
        ...cancelled
          .flatMap((order) => capturedOf.get(order.orderId) ?? [])
          .filter((charge) => charge.refundedMinor === 0)
          .map((charge) => `${charge.reference} CANCELLED, its charge ${charge.id} not refunded`),
      ],
    },
    {
      name: 'no unexplained dead letter',
      checked: `${sum(report.deadLetters.map((q) => q.messages))} dead letters`,
      violations: report.deadLetters.flatMap((queue) =>
        queue.read
          .filter((letter) => letter.reason === undefined)
          .map((letter) => `${queue.queue}: no reason given for ${letter.body}`),
      ),
    },
  ];
};

/** Whether a chaos run broke any invariant. */
export const chaosFailed = (report: ChaosReport): boolean =>
  chaosInvariants(report).some((invariant) => invariant.violations.length > 0);

/** The p-th percentile (nearest rank) of some values; NaN for none. */
const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

const counted = (values: readonly (string | number)[]) => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([value, n]) => `${value} ${n}`)
    .join(', ');
};

const row = (name: string, value: string | number) => `  ${name.padEnd(34)} ${value}`;

/**
 * A chaos run as text: its invariants (each OK or VIOLATED, with its cases) and its figures:
 * orders and placements, retries, faults, final statuses, placed-to-terminal latency.
 *
 * @example
 * ```ts
 * console.log(formatChaosReport(await runChaos({ shop, ...props })));
 * ```
 */
export const formatChaosReport = (report: ChaosReport): string => {
  const invariants = chaosInvariants(report);
  const { placements, faults } = report;
  const acknowledged = placements.filter((p) => p.orderId !== undefined);
  const refused = placements.filter(
    (p) => p.orderId === undefined && decided(p.statuses.at(-1) ?? 0),
  );
  const retried = placements.filter((p) => p.statuses.length > 1);
  const retryAnswers = placements.flatMap((p) => p.statuses.slice(0, -1));
  const kills = faults.filter((f) => f.kind === 'kill');
  const stalls = faults.filter((f) => f.kind === 'stall');
  const duplicates = sum(faults.map((f) => f.sent ?? 0));
  const terminal = report.orders.filter((order) => TERMINAL.has(order.status));
  const latencies = terminal
    .filter((order) => order.cancellationReason !== 'CUSTOMER_REQUESTED')
    .map((order) => Date.parse(order.updatedAt) - Date.parse(order.placedAt));
  const burstSizes = report.plan.bursts.map((b) => b.to - b.from);
  const lines = [
    `Chaos run of the local shop: seed ${report.seed}, ${report.plan.orders.length} orders, ${report.seconds.toFixed(1)} s (placing ${report.placingSeconds.toFixed(1)} s)`,
    '',
    `  ${'invariant'.padEnd(50)} ${'result'.padEnd(9)} checked`,
    ...invariants.map(
      (invariant) =>
        `  ${invariant.name.padEnd(50)} ${(invariant.violations.length === 0 ? 'ok' : `VIOLATED ${invariant.violations.length}`).padEnd(9)} ${invariant.checked}`,
    ),
    '',
    row('orders planned', report.plan.orders.length),
    row('placements acknowledged (201)', acknowledged.length),
    row(
      'placements refused',
      `${refused.length}${refused.length > 0 ? ` (${counted(refused.map((p) => p.refusal ?? p.statuses.at(-1) ?? 0))})` : ''}`,
    ),
    row('placements unanswered, given up', placements.filter(unanswered).length),
    row('orders in the shop', report.orders.length),
    row(
      'retries (same Idempotency-Key)',
      `${retryAnswers.length} of ${retried.length} placements${retryAnswers.length > 0 ? ` after ${counted(retryAnswers)}` : ''}`,
    ),
    row(
      'placed twice with one key',
      `${placements.filter((p) => p.placedAgainAs !== undefined).length} (same order: ${placements.filter((p) => p.placedAgainAs !== undefined && p.placedAgainAs === p.orderId).length})`,
    ),
    row(
      'cancelled by their customer',
      `${placements.filter((p) => p.cancelStatus !== undefined).length}${placements.some((p) => p.cancelStatus !== undefined) ? ` (answered ${counted(placements.flatMap((p) => p.cancelStatus ?? []))})` : ''}`,
    ),
    row(
      'kill -9',
      `${kills.length}${kills.length > 0 ? ` (${counted(kills.map((k) => (k.kind === 'kill' ? k.service : '')))})` : ''}`,
    ),
    row(
      'process restarts',
      Object.entries(report.restarts)
        .map(([service, n]) => `${service} ${n}`)
        .join(', '),
    ),
    row(
      'DynamoDB Local stalls',
      `${stalls.length} (${(sum(stalls.map((s) => (s.kind === 'stall' ? s.ms : 0))) / 1000).toFixed(1)} s stopped; ${report.storageRestarts} restarts)`,
    ),
    row(
      'events published again (same id)',
      `${duplicates} in ${faults.filter((f) => f.kind === 'duplicates').length} batches`,
    ),
    row(
      'bursts',
      `${burstSizes.length}${burstSizes.length > 0 ? ` of ${burstSizes.join(', ')} placements at once` : ''}`,
    ),
    row(
      'terminal by status',
      counted(
        terminal.map((o) =>
          o.cancellationReason ? `${o.status} ${o.cancellationReason}` : o.status,
        ),
      ),
    ),
    row(
      'placed -> terminal',
      `p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms (${latencies.length} orders not cancelled by their customer)`,
    ),
    row('waited at most until', report.settleDeadline),
  ];
  const broken = invariants.filter((invariant) => invariant.violations.length > 0);
  for (const invariant of broken) {
    lines.push('', `${invariant.name}: VIOLATED ${invariant.violations.length}`);
    for (const violation of invariant.violations.slice(0, 20)) lines.push(`  ${violation}`);
  }
  const letters = report.deadLetters.flatMap((queue) =>
    queue.read.map(
      (letter) => `  ${queue.queue}: ${letter.reason ?? 'no reason'}; ${letter.body.slice(0, 160)}`,
    ),
  );
  if (letters.length > 0) lines.push('', 'Dead letters:', ...letters.slice(0, 20));
  return lines.join('\n');
};
