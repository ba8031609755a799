import { orderTimelinePattern, SHOP_LOG_GROUPS } from '@shop/contracts';
import { type Decision, latestDecisions } from '../decisions/Decision.js';
import type { ServiceMap } from '../map/ServiceMap.js';
import { type OrderTimeline, orderTimeline } from '../timeline/orderTimeline.js';
import type { ConsoleReads, MapWithCounts } from './ConsoleReads.js';

/** The most events an order's saga may have in the audit log that the console reads. */
export const TIMELINE_EVENT_LIMIT = 200;

/** An order id safe to put in a filter pattern: what the shop's ids are made of. */
export const ORDER_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The map with the messages waiting, in flight and dead of each of its queues.
 *
 * @example
 * ```ts
 * const { counts } = await mapWithCounts(reads, map);
 * counts['payment-events-dlq']?.waiting; // dead letters of Payment
 * ```
 */
export const mapWithCounts = async (
  reads: ConsoleReads,
  map: ServiceMap,
  now: () => Date = () => new Date(),
): Promise<MapWithCounts> => ({
  map,
  counts: await reads.queueCounts(map.queues.map((queue) => queue.name)),
  readAt: now().toISOString(),
});

/**
 * An order's saga from the bus's audit log: one `FilterLogEvents` on the order id of the
 * events' `detail.data`.
 *
 * @throws {RangeError} when the order id is not one the shop makes.
 * @example
 * ```ts
 * const timeline = await timelineOf(reads, map, orderId);
 * ```
 */
export const timelineOf = async (
  reads: ConsoleReads,
  map: ServiceMap,
  orderId: string,
): Promise<OrderTimeline> => {
  if (!ORDER_ID_PATTERN.test(orderId)) throw new RangeError(`Not an order id: ${orderId}`);
  const events = await reads.filterLogEvents(SHOP_LOG_GROUPS.audit, {
    pattern: orderTimelinePattern(orderId),
    limit: TIMELINE_EVENT_LIMIT,
  });
  return orderTimeline(orderId, events, map);
};

/**
 * The latest decisions of every decision log group, newest first.
 *
 * @example
 * ```ts
 * const decisions = await recentDecisions(reads, { limit: 50, since: Date.now() - 15 * 60_000 });
 * ```
 */
export const recentDecisions = async (
  reads: ConsoleReads,
  props: { readonly limit: number; readonly since: number },
): Promise<Decision[]> => {
  const groups = await Promise.all(
    Object.values(SHOP_LOG_GROUPS.decisions).map(async (logGroup) =>
      (await reads.filterLogEvents(logGroup, { startTime: props.since, limit: 5000 })).map(
        (event) => ({ logGroup, message: event.message }),
      ),
    ),
  );
  return latestDecisions(groups.flat(), props.limit);
};
