import {
  buildEvent,
  type CancellationReason,
  InventoryReservedV1,
  type Money,
  OrderCancelledV1,
  type OrderId,
  OrderPlacedV2,
  type OutgoingEvent,
  type PaymentFailureReason,
} from '@shop/contracts';
import { ConcurrentUpdateError, type EventContext, Logger } from '@shop/shared';
import { receivedBy, sequentialIds, settled } from '@shop/test-kit';
import type { ChargeOutcome, Payment } from '#domain/payment.js';
import { paymentService as manifest } from '#service';
import { onEvent, type PaymentEvent } from '../src/app/onEvent.js';
import {
  type CardProcessor,
  type PaymentDependencies,
  type PaymentRepository,
  ProcessorTimeoutError,
  ProcessorUnavailableError,
} from '../src/app/ports.js';

export const NOW = new Date('2026-01-01T00:00:00Z');
export const ORDER_ID = '0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f';
export const TOTAL: Money = { amountMinor: 2598, currency: 'EUR' };

/**
 * Payments in memory, saved as Payment's table saves them: a payment at version n only over
 * version n - 1 (version 1 only if absent), with its events in the outbox, or not at all.
 */
export class InMemoryPayments implements PaymentRepository {
  /** The events saved with the payments, in the order they were saved. */
  readonly outbox: OutgoingEvent[] = [];
  private readonly payments = new Map<OrderId, Payment>();
  private concurrentWrite: (() => Promise<void>) | undefined;

  async get(orderId: OrderId): Promise<Payment | undefined> {
    return this.payments.get(orderId);
  }

  async save(payment: Payment, events: readonly OutgoingEvent[] = []): Promise<void> {
    const write = this.concurrentWrite;
    this.concurrentWrite = undefined;
    await write?.();
    const stored = this.payments.get(payment.orderId)?.version ?? 0;
    if (payment.version !== stored + 1) {
      throw new ConcurrentUpdateError(`Payment of order ${payment.orderId} changed`);
    }
    this.payments.set(payment.orderId, payment);
    this.outbox.push(...events);
  }

  /** Lets another handler's write land between the next save's read and its write. */
  beforeNextSave(write: () => Promise<void>): void {
    this.concurrentWrite = write;
  }

  /** The names of the events published so far. */
  published(): string[] {
    return this.outbox.map((event) => event.detailType);
  }
}

/**
 * How the processor behaves for one call: it answers; it is `unavailable` (nothing happened);
 * there is `no-answer` (the request never reached it); or the `answer-lost` (it did the work,
 * but the answer never came back).
 */
export type ProcessorBehaviour = 'answers' | 'unavailable' | 'no-answer' | 'answer-lost';

type ChargeRequest = Parameters<CardProcessor['charge']>[0];
type RefundRequest = Parameters<CardProcessor['refund']>[0];

/**
 * The card processor as its contract says: a request repeated with the same idempotency key
 * gets the first answer and never charges or refunds twice. It declines the tokens it is told to
 * decline and captures the others. By default it answers; `next` scripts the coming calls.
 */
export class FakeCardProcessor implements CardProcessor {
  /** Every charge request sent, answered or not, in order. */
  readonly chargeAttempts: ChargeRequest[] = [];
  /** The charges done, by idempotency key. */
  readonly charges = new Map<string, ChargeOutcome>();
  /** The refunds done, by idempotency key. */
  readonly refunds = new Map<string, RefundRequest>();
  private readonly script: Record<'charge' | 'refund' | 'lookup', ProcessorBehaviour[]> = {
    charge: [],
    refund: [],
    lookup: [],
  };
  /** Each charge's reference, by idempotency key. */
  private readonly references = new Map<string, string>();
  private readonly declines = new Map<string, PaymentFailureReason>();
  private duringCharge: (() => Promise<void>) | undefined;

  /** Scripts how the next calls of one kind behave, in order; later calls answer. */
  next(call: 'charge' | 'refund' | 'lookup', ...behaviours: ProcessorBehaviour[]): this {
    this.script[call].push(...behaviours);
    return this;
  }

  decline(token: string, reason: PaymentFailureReason): this {
    this.declines.set(token, reason);
    return this;
  }

  /** Runs `work` while the next charge is in flight, before the processor answers. */
  whileCharging(work: () => Promise<void>): void {
    this.duringCharge = work;
  }

  /** The charges that captured money. */
  captured(): ChargeOutcome[] {
    return [...this.charges.values()].filter((charge) => charge.outcome === 'captured');
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    this.chargeAttempts.push(request);
    const work = this.duringCharge;
    this.duringCharge = undefined;
    await work?.();
    return this.call('charge', () => {
      const first = this.charges.get(request.idempotencyKey);
      if (first !== undefined) return first;
      const reason = this.declines.get(request.token);
      const outcome: ChargeOutcome =
        reason === undefined
          ? { outcome: 'captured', chargeId: `ch_${this.charges.size + 1}` }
          : { outcome: 'failed', reason };
      this.charges.set(request.idempotencyKey, outcome);
      this.references.set(request.idempotencyKey, request.reference);
      return outcome;
    });
  }

  async capturedCharge(reference: string): Promise<{ readonly chargeId: string } | undefined> {
    return this.call('lookup', () => {
      for (const [key, charge] of this.charges) {
        if (this.references.get(key) === reference && charge.outcome === 'captured') {
          return { chargeId: charge.chargeId };
        }
      }
      return undefined;
    });
  }

  async refund(request: RefundRequest): Promise<void> {
    return this.call('refund', () => {
      const charged = [...this.charges.values()].some(
        (charge) => charge.outcome === 'captured' && charge.chargeId === request.chargeId,
      );
      if (!charged) throw new Error(`Refund refused: no charge ${request.chargeId}`);
      if (!this.refunds.has(request.idempotencyKey)) {
        this.refunds.set(request.idempotencyKey, request);
      }
    });
  }

  private call<T>(kind: 'charge' | 'refund' | 'lookup', work: () => T): T {
    const behaviour = this.script[kind].shift() ?? 'answers';
    if (behaviour === 'unavailable') throw new ProcessorUnavailableError(`/${kind}: 503`);
    if (behaviour === 'no-answer') throw new ProcessorTimeoutError(`/${kind}: no answer`);
    const answer = work();
    if (behaviour === 'answer-lost') throw new ProcessorTimeoutError(`/${kind}: no answer`);
    return answer;
  }
}

/** Payment with its ports in memory, and its queue consumer's use case, logging to `logger`. */
export const paymentService = (logger = new Logger({ logLevel: 'SILENT' })) => {
  const payments = new InMemoryPayments();
  const processor = new FakeCardProcessor();
  const dependencies: PaymentDependencies = {
    payments,
    processor,
    now: () => NOW,
    newPaymentId: sequentialIds(),
  };
  const context: EventContext = { logger };
  const handle = (event: PaymentEvent) => onEvent(dependencies, event, context);
  return {
    payments,
    processor,
    dependencies,
    /** Delivers events one after the other, as the queue does. */
    deliver: async (...events: PaymentEvent[]): Promise<void> => {
      for (const event of events) await settled(() => handle(event));
    },
    /** Another handler of the same queue, handling `event` when called. */
    concurrently: (event: PaymentEvent) => () => handle(event),
  };
};

/** An event as the service receives it from the bus: through its own parser. */
const received = receivedBy(manifest.subscribes);

/** The events other services publish about one order, as Payment receives them. */
export const orderEvents = (
  orderId: OrderId = ORDER_ID,
  order: { readonly total: Money; readonly paymentToken: string } = {
    total: TOTAL,
    paymentToken: 'tok_visa',
  },
) => {
  const cause = { correlationId: orderId, causationId: orderId };
  const customerId = 'c-1';
  return {
    placed: () =>
      received(
        buildEvent(
          OrderPlacedV2,
          {
            orderId,
            customerId,
            lines: [
              { sku: 'MUG-001', quantity: 2, unitPrice: { amountMinor: 1299, currency: 'EUR' } },
            ],
            ...order,
          },
          cause,
        ),
      ),
    reserved: () =>
      received(
        buildEvent(
          InventoryReservedV1,
          { orderId, lines: [{ sku: 'MUG-001', quantity: 2 }] },
          cause,
        ),
      ),
    cancelled: (reason: CancellationReason = 'CUSTOMER_REQUESTED') =>
      received(buildEvent(OrderCancelledV1, { orderId, customerId, reason }, cause)),
  };
};
