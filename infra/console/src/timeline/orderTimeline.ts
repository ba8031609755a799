import { consumersOf, type ServiceMap } from '../map/ServiceMap.js';

/** One entry of the bus's audit log: the event as EventBridge's CloudWatch Logs target writes it. */
export interface AuditLogEntry {
  /** When the log received it, in epoch milliseconds. */
  readonly timestamp: number;
  /** The event's JSON. */
  readonly message: string;
}

/** One step of an order's saga: one event on the bus. */
export interface TimelineStep {
  readonly eventId: string;
  /** The `detail-type`. */
  readonly name: string;
  readonly version: number;
  /** The producing service, from the event's `source` (`shop.order` → `order`). */
  readonly producer: string;
  /** The services whose rules deliver this version to their queues. */
  readonly consumers: readonly string[];
  /** When it happened (`detail.metadata.occurredAt`). */
  readonly occurredAt: string;
  /** Milliseconds since the step before, 0 for the first. */
  readonly sincePreviousMs: number;
  /** Milliseconds since the first step. */
  readonly sinceStartMs: number;
  /** A step of the saga's compensation: a failure, the cancellation, and what undoes its effects. */
  readonly compensation: boolean;
}

/** How the saga of an order stands, from its events. */
export type TimelineOutcome = 'confirmed' | 'cancelled' | 'in progress' | 'unknown';

export interface OrderTimeline {
  readonly orderId: string;
  readonly outcome: TimelineOutcome;
  /** The cancellation's reason, when the order was cancelled. */
  readonly reason: string | undefined;
  readonly steps: readonly TimelineStep[];
}

/** The events that make up the compensation path of the saga (docs/events.md). */
const COMPENSATION = new Set([
  'InventoryReservationFailed',
  'PaymentFailed',
  'OrderCancelled',
  'InventoryReleased',
  'PaymentRefunded',
]);

interface ParsedEvent {
  readonly eventId: string;
  readonly name: string;
  readonly version: number;
  readonly producer: string;
  readonly occurredAt: string;
  readonly at: number;
  readonly data: Readonly<Record<string, unknown>>;
}

const record = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

const parse = (entry: AuditLogEntry): ParsedEvent | undefined => {
  let event: Readonly<Record<string, unknown>>;
  try {
    event = record(JSON.parse(entry.message));
  } catch {
    return undefined;
  }
  const detail = record(event['detail']);
  const metadata = record(detail['metadata']);
  const name = event['detail-type'];
  const source = event['source'];
  const eventId = metadata['eventId'];
  const version = metadata['version'];
  if (typeof name !== 'string' || typeof source !== 'string' || typeof eventId !== 'string') {
    return undefined;
  }
  const occurredAt =
    typeof metadata['occurredAt'] === 'string'
      ? metadata['occurredAt']
      : new Date(entry.timestamp).toISOString();
  const at = Date.parse(occurredAt);
  return {
    eventId,
    name,
    version: typeof version === 'number' ? version : 1,
    producer: source.replace(/^shop\./, ''),
    occurredAt,
    at: Number.isNaN(at) ? entry.timestamp : at,
    data: record(detail['data']),
  };
};

const outcomeOf = (events: readonly ParsedEvent[]): TimelineOutcome => {
  const names = new Set(events.map((event) => event.name));
  if (names.has('OrderCancelled')) return 'cancelled';
  if (names.has('OrderConfirmed')) return 'confirmed';
  return names.size === 0 ? 'unknown' : 'in progress';
};

/**
 * An order's saga from the bus's audit log: each event once (the bus delivers at least once,
 * and the producer publishes the versions of one fact side by side, each its own event), in the
 * order they happened, with who produced and who consumes it, the time between steps, and the
 * compensation path marked when the order failed.
 *
 * @example
 * ```ts
 * const timeline = orderTimeline(orderId, entries, map);
 * timeline.steps.map((step) => `${step.name} v${step.version}`); // ['OrderPlaced v1', 'OrderPlaced v2', ...]
 * ```
 */
export const orderTimeline = (
  orderId: string,
  entries: readonly AuditLogEntry[],
  map: ServiceMap,
): OrderTimeline => {
  const seen = new Set<string>();
  const events = entries
    .map(parse)
    .filter((event): event is ParsedEvent => {
      if (event === undefined || seen.has(event.eventId)) return false;
      seen.add(event.eventId);
      return true;
    })
    .sort((a, b) => a.at - b.at || a.name.localeCompare(b.name) || a.version - b.version);
  const start = events[0]?.at ?? 0;
  const cancelled = events.find((event) => event.name === 'OrderCancelled');
  const reason = cancelled?.data['reason'];
  return {
    orderId,
    outcome: outcomeOf(events),
    reason: typeof reason === 'string' ? reason : undefined,
    steps: events.map((event, index) => ({
      eventId: event.eventId,
      name: event.name,
      version: event.version,
      producer: event.producer,
      consumers: consumersOf(map, event),
      occurredAt: event.occurredAt,
      sincePreviousMs: index === 0 ? 0 : event.at - (events[index - 1]?.at ?? event.at),
      sinceStartMs: event.at - start,
      compensation: COMPENSATION.has(event.name),
    })),
  };
};
