import type { Money, OrderId, OutgoingEvent } from '@shop/contracts';
import type { ChargeOutcome, Payment } from '#domain/payment.js';

/** Payments in Payment's own table, one per order. */
export interface PaymentRepository {
  get(orderId: OrderId): Promise<Payment | undefined>;
  /**
   * Saves a payment at `payment.version` if it is still at the version before, with the outbox
   * items of its events, atomically.
   *
   * @throws {ConcurrentUpdateError} when someone else changed it first.
   */
  save(payment: Payment, events?: readonly OutgoingEvent[]): Promise<void>;
}

/** The processor gave no answer: the charge may or may not have happened. Retry with the same key. */
export class ProcessorTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProcessorTimeoutError';
  }
}

/** The processor said it cannot take the request now: nothing happened. */
export class ProcessorUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProcessorUnavailableError';
  }
}

/**
 * The card processor, a third party. Every request carries an idempotency key: a repeated
 * request with the same key returns the first answer and never charges twice.
 */
export interface CardProcessor {
  /** @throws {ProcessorTimeoutError} | {ProcessorUnavailableError} */
  charge(request: {
    readonly idempotencyKey: string;
    readonly token: string;
    readonly amount: Money;
    readonly reference: string;
  }): Promise<ChargeOutcome>;
  /**
   * The captured charge the processor has on record for a reference (an order id), if any: what
   * settles a charge in doubt, when its retries are answered "unavailable".
   *
   * @throws {ProcessorTimeoutError} | {ProcessorUnavailableError}
   */
  capturedCharge(reference: string): Promise<{ readonly chargeId: string } | undefined>;
  /** @throws {ProcessorTimeoutError} | {ProcessorUnavailableError} */
  refund(request: {
    readonly idempotencyKey: string;
    readonly chargeId: string;
    readonly amount: Money;
  }): Promise<void>;
}

export interface PaymentDependencies {
  readonly payments: PaymentRepository;
  readonly processor: CardProcessor;
  readonly now: () => Date;
  readonly newPaymentId: () => string;
}
