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
