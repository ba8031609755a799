import { consumersOf, type MapSaga, type ServiceMap } from '../map/ServiceMap.js';
import type { AuditLogEntry, OrderTimeline, TimelineOutcome } from './TimelineStep.js';

export type {
  AuditLogEntry,
  OrderTimeline,
  TimelineOutcome,
  TimelineStep,
} from './TimelineStep.js';

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

const outcomeOf = (events: readonly ParsedEvent[], saga: MapSaga): TimelineOutcome => {
  const names = new Set(events.map((event) => event.name));
  if (names.has(saga.cancelled)) return 'cancelled';
  if (names.has(saga.confirmed)) return 'confirmed';
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
  const cancelled = events.find((event) => event.name === map.saga.cancelled);
  const reason = cancelled?.data['reason'];
  return {
    orderId,
    outcome: outcomeOf(events, map.saga),
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
      compensation: map.saga.compensation.includes(event.name),
    })),
  };
};
