import { Logger, RetryLaterError } from '@shop/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PaymentEvent } from '../../src/app/onEvent.js';
import { ORDER_ID, orderEvents, paymentService, TOTAL } from '../fakes.js';

const orderId = ORDER_ID;
const total = TOTAL;

const events = orderEvents();
let service: ReturnType<typeof paymentService>;

beforeEach(() => {
  service = paymentService();
});

const deliver = (...delivered: PaymentEvent[]) => service.deliver(...delivered);
const concurrently = (event: PaymentEvent) => service.concurrently(event);
const payment = () => service.payments.get(orderId);

/**
 * Delivers the order, then its reservation whose charge happens but is never answered: the
 * charge stays claimed, unsettled. Returns the reservation, to be delivered again.
 */
const chargeUnanswered = async (): Promise<PaymentEvent> => {
  service.processor.next('charge', 'answer-lost', 'no-answer', 'no-answer');
  const reserved = events.reserved();
  await deliver(events.placed());
  await expect(deliver(reserved)).rejects.toThrow(RetryLaterError);
  return reserved;
};

describe('charging once the order is placed and its stock held', () => {
  it.each<[string, () => [PaymentEvent, PaymentEvent]]>([
    ['OrderPlaced first', () => [events.placed(), events.reserved()]],
    ['InventoryReserved first', () => [events.reserved(), events.placed()]],
  ])('charges the total once both are known: %s', async (_, arrivals) => {
    const [first, second] = arrivals();

    await deliver(first);
    expect(service.processor.chargeAttempts).toEqual([]);
    expect(await payment()).toMatchObject({ status: 'AWAITING' });

    await deliver(second);
    expect(service.processor.chargeAttempts).toEqual([
      { idempotencyKey: `charge-${orderId}`, token: 'tok_visa', amount: total, reference: orderId },
    ]);
    const captured = await payment();
    expect(captured).toMatchObject({ status: 'CAPTURED', chargeId: 'ch_1', amount: total });
    expect(captured).not.toHaveProperty('paymentToken');
    expect(service.payments.outbox.map((e) => [e.detailType, e.detail.data])).toEqual([
      ['PaymentSucceeded', { orderId, paymentId: captured?.paymentId, amount: total }],
    ]);
  });

  it('never charges twice, whatever is delivered again', async () => {
    const placed = events.placed();
    const reserved = events.reserved();

    await deliver(placed, reserved, placed, reserved, events.placed(), events.reserved());

    expect(service.processor.chargeAttempts).toHaveLength(1);
    expect(service.processor.captured()).toHaveLength(1);
    expect(service.payments.published()).toEqual(['PaymentSucceeded']);
  });

  it('records a declined card as PaymentFailed with its reason and forgets the token', async () => {
    service.processor.decline('tok_visa', 'INSUFFICIENT_FUNDS');

    await deliver(events.placed(), events.reserved());

    const failed = await payment();
    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'INSUFFICIENT_FUNDS' });
    expect(failed).not.toHaveProperty('paymentToken');
    expect(service.payments.outbox.map((e) => [e.detailType, e.detail.data])).toEqual([
      ['PaymentFailed', { orderId, reason: 'INSUFFICIENT_FUNDS' }],
    ]);
  });

  it('lets only one of two concurrent deliveries claim and charge', async () => {
    await deliver(events.placed());
    service.payments.beforeNextSave(concurrently(events.reserved()));

    await deliver(events.reserved());

    expect(service.processor.chargeAttempts).toHaveLength(1);
    expect(service.payments.published()).toEqual(['PaymentSucceeded']);
    expect(await payment()).toMatchObject({ status: 'CAPTURED' });
  });
});

describe('the card token', () => {
  it.each<[string, () => Promise<void>]>([
    ['CAPTURED', () => deliver(events.placed(), events.reserved())],
    [
      'FAILED',
      async () => {
        service.processor.decline('tok_visa', 'CARD_DECLINED');
        await deliver(events.placed(), events.reserved());
      },
    ],
    [
      'FAILED',
      async () => {
        service.processor.next('charge', 'unavailable', 'unavailable', 'unavailable');
        await deliver(events.placed(), events.reserved());
      },
    ],
    ['VOIDED', () => deliver(events.placed(), events.cancelled())],
    ['VOIDED', () => deliver(events.cancelled(), events.placed(), events.reserved())],
    ['REFUNDED', () => deliver(events.placed(), events.reserved(), events.cancelled())],
  ])('is gone once the payment is %s', async (status, story) => {
    await story();

    expect(await payment()).toMatchObject({ status });
    expect(await payment()).not.toHaveProperty('paymentToken');
  });

  it('is never written to the log, nor put in an error the queue consumer logs', async () => {
    // Everything the function writes goes to CloudWatch: capture stdout and stderr.
    const written: string[] = [];
    const capture = ((chunk: unknown) =>
      written.push(String(chunk)) > 0) as typeof process.stdout.write;
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    service = paymentService(new Logger({ serviceName: 'payment', logLevel: 'DEBUG' }));
    const retried = (event: PaymentEvent) =>
      deliver(event).catch((error: unknown) => {
        written.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      });

    service.processor.next('charge', 'no-answer', 'answer-lost', 'no-answer', 'no-answer');
    await deliver(events.placed());
    await retried(events.reserved());
    await deliver(events.reserved());
    service.processor.next('refund', 'unavailable', 'unavailable', 'unavailable');
    await retried(events.cancelled());
    await deliver(events.cancelled());
    const declined = paymentService(new Logger({ serviceName: 'payment', logLevel: 'DEBUG' }));
    declined.processor.decline('tok_visa', 'CARD_DECLINED');
    await declined.deliver(events.placed(), events.reserved(), events.cancelled());
    vi.restoreAllMocks();

    expect(await payment()).toMatchObject({ status: 'REFUNDED' });
    expect(written.join('\n')).toContain('Payment REFUNDED');
    expect(written.join('\n')).toContain('RetryLaterError');
    expect(written.join('\n')).not.toContain('tok_visa');
  });

  it('is kept while the charge is unsettled, to resume it with the same key', async () => {
    await chargeUnanswered();

    expect(await payment()).toMatchObject({ status: 'CHARGING', paymentToken: 'tok_visa' });
  });
});

describe('when the processor does not answer', () => {
  it('retries a timeout with the same key and records the answer', async () => {
    service.processor.next('charge', 'no-answer');

    await deliver(events.placed(), events.reserved());

    expect(service.processor.chargeAttempts.map((request) => request.idempotencyKey)).toEqual([
      `charge-${orderId}`,
      `charge-${orderId}`,
    ]);
    expect(await payment()).toMatchObject({ status: 'CAPTURED' });
  });

  it('charges once when the answer to a charge that happened is lost', async () => {
    service.processor.next('charge', 'answer-lost');

    await deliver(events.placed(), events.reserved());

    expect(service.processor.captured()).toEqual([{ outcome: 'captured', chargeId: 'ch_1' }]);
    expect(await payment()).toMatchObject({ status: 'CAPTURED', chargeId: 'ch_1' });
    expect(service.payments.published()).toEqual(['PaymentSucceeded']);
  });

  it('leaves an unanswered charge claimed and resumes it with the same key on redelivery', async () => {
    const reserved = await chargeUnanswered();

    expect(await payment()).toMatchObject({ status: 'CHARGING' });
    expect(service.payments.published()).toEqual([]);

    await deliver(reserved);
    expect(service.processor.captured()).toHaveLength(1);
    expect(await payment()).toMatchObject({ status: 'CAPTURED', chargeId: 'ch_1' });
    expect(service.payments.published()).toEqual(['PaymentSucceeded']);
  });

  it('takes a processor that stays unavailable as not charged: PaymentFailed', async () => {
    service.processor.next('charge', 'unavailable', 'unavailable', 'unavailable');

    await deliver(events.placed(), events.reserved());

    expect(service.processor.charges.size).toBe(0);
    expect(await payment()).toMatchObject({
      status: 'FAILED',
      failureReason: 'PROCESSOR_UNAVAILABLE',
    });
    expect(service.payments.outbox.map((e) => e.detail.data)).toEqual([
      { orderId, reason: 'PROCESSOR_UNAVAILABLE' },
    ]);
  });

  it('charges after an unavailable processor recovers within the retries', async () => {
    service.processor.next('charge', 'unavailable', 'unavailable');

    await deliver(events.placed(), events.reserved());

    expect(await payment()).toMatchObject({ status: 'CAPTURED' });
  });

  it("asks the processor for the order's charge once an unanswered attempt is followed by unavailable: none on record, not charged", async () => {
    service.processor.next('charge', 'no-answer', 'unavailable', 'unavailable');

    await deliver(events.placed(), events.reserved());

    expect(service.processor.charges.size).toBe(0);
    expect(await payment()).toMatchObject({
      status: 'FAILED',
      failureReason: 'PROCESSOR_UNAVAILABLE',
    });
    expect(service.payments.published()).toEqual(['PaymentFailed']);
  });

  it('takes the charge on record when the attempt that charged went unanswered and the retries are answered unavailable', async () => {
    service.processor.next('charge', 'answer-lost', 'unavailable', 'unavailable');

    await deliver(events.placed(), events.reserved());

    expect(await payment()).toMatchObject({ status: 'CAPTURED', chargeId: 'ch_1' });
    expect(service.processor.captured()).toHaveLength(1);
    expect(service.payments.published()).toEqual(['PaymentSucceeded']);
  });

  it("settles a resumed charge that stays unavailable from the processor's record, never leaving it in doubt for good", async () => {
    const reserved = await chargeUnanswered();
    service.processor.next('charge', 'unavailable', 'unavailable', 'unavailable');

    await deliver(reserved);

    expect(await payment()).toMatchObject({ status: 'CAPTURED', chargeId: 'ch_1' });
    expect(service.processor.captured()).toHaveLength(1);
    expect(service.payments.published()).toEqual(['PaymentSucceeded']);
  });

  it('retries a charge in doubt later when the processor cannot say what it has on record either', async () => {
    const reserved = await chargeUnanswered();
    service.processor
      .next('charge', 'unavailable', 'unavailable', 'unavailable')
      .next('lookup', 'unavailable', 'unavailable', 'unavailable');

    await expect(deliver(reserved)).rejects.toThrow(RetryLaterError);
    expect(await payment()).toMatchObject({ status: 'CHARGING' });
    expect(service.payments.published()).toEqual([]);

    await deliver(reserved);
    expect(await payment()).toMatchObject({ status: 'CAPTURED' });
    expect(service.processor.captured()).toHaveLength(1);
  });
});

describe('when the order is cancelled', () => {
  it('voids a payment not charged yet, so that a late OrderPlaced charges nothing', async () => {
    await deliver(events.cancelled());
    expect(await payment()).toMatchObject({ status: 'VOIDED' });

    await deliver(events.placed(), events.reserved());

    expect(service.processor.chargeAttempts).toEqual([]);
    expect(await payment()).toMatchObject({ status: 'VOIDED' });
    expect(service.payments.published()).toEqual([]);
  });

  it('voids a payment whose order is known but whose stock is not held yet', async () => {
    await deliver(events.placed(), events.cancelled('INVENTORY_UNAVAILABLE'), events.reserved());

    expect(service.processor.chargeAttempts).toEqual([]);
    expect(await payment()).toMatchObject({ status: 'VOIDED' });
  });

  it('forgets the card token when the payment is voided', async () => {
    // Voiding decides the charge (it never happens), and the token is kept only until then.
    await deliver(events.placed(), events.cancelled());

    expect(await payment()).toMatchObject({ status: 'VOIDED' });
    expect(await payment()).not.toHaveProperty('paymentToken');
  });

  it('refunds a captured charge once, with PaymentRefunded', async () => {
    const cancelled = events.cancelled();
    await deliver(events.placed(), events.reserved());

    await deliver(cancelled, cancelled, events.cancelled());

    expect([...service.processor.refunds.values()]).toEqual([
      { idempotencyKey: `refund-${orderId}`, chargeId: 'ch_1', amount: total },
    ]);
    const refunded = await payment();
    expect(refunded).toMatchObject({ status: 'REFUNDED' });
    expect(service.payments.outbox.map((e) => [e.detailType, e.detail.data])).toEqual([
      ['PaymentSucceeded', { orderId, paymentId: refunded?.paymentId, amount: total }],
      ['PaymentRefunded', { orderId, paymentId: refunded?.paymentId, amount: total }],
    ]);
  });

  it("refunds a captured charge when Order cancels because it was not the order's total, or expired", async () => {
    // Order publishes a payment mismatch, and an order that expired before its payment reached
    // it, as PAYMENT_FAILED: OrderCancelled v1 has no other reason for them, and a captured
    // charge must be refunded whatever the reason.
    await deliver(events.placed(), events.reserved());

    await deliver(events.cancelled('PAYMENT_FAILED'));

    expect(service.processor.refunds.size).toBe(1);
    expect(await payment()).toMatchObject({ status: 'REFUNDED' });
    expect(service.payments.published()).toEqual(['PaymentSucceeded', 'PaymentRefunded']);
  });

  it('refunds nothing when the charge failed', async () => {
    service.processor.decline('tok_visa', 'CARD_DECLINED');
    await deliver(events.placed(), events.reserved());

    await deliver(events.cancelled('PAYMENT_FAILED'));

    expect(service.processor.refunds.size).toBe(0);
    expect(await payment()).toMatchObject({ status: 'FAILED' });
    expect(service.payments.published()).toEqual(['PaymentFailed']);
  });

  it('refunds a charge that captures after the order was cancelled while it was in flight', async () => {
    await deliver(events.placed());
    service.processor.whileCharging(async () => {
      await concurrently(events.cancelled())();
      await concurrently(events.cancelled())();
    });

    await deliver(events.reserved());

    expect(service.processor.captured()).toHaveLength(1);
    expect(service.processor.refunds.size).toBe(1);
    expect(await payment()).toMatchObject({ status: 'REFUNDED' });
    expect(service.payments.published()).toEqual(['PaymentSucceeded', 'PaymentRefunded']);
  });

  it('refunds an unsettled charge cancelled meanwhile as soon as it settles', async () => {
    const reserved = await chargeUnanswered();

    await deliver(events.cancelled());
    expect(await payment()).toMatchObject({ status: 'CHARGING', cancelRequested: true });
    expect(service.processor.refunds.size).toBe(0);

    await deliver(reserved);
    expect(service.processor.refunds.size).toBe(1);
    expect(await payment()).toMatchObject({ status: 'REFUNDED' });
    expect(service.payments.published()).toEqual(['PaymentSucceeded', 'PaymentRefunded']);
  });

  it('asks for a retry when a refund is unanswered, and refunds once on redelivery', async () => {
    service.processor.next('refund', 'answer-lost', 'no-answer', 'no-answer');
    const cancelled = events.cancelled();
    await deliver(events.placed(), events.reserved());

    await expect(deliver(cancelled)).rejects.toThrow(RetryLaterError);
    expect(await payment()).toMatchObject({ status: 'CAPTURED' });
    expect(service.payments.published()).toEqual(['PaymentSucceeded']);

    await deliver(cancelled);
    expect(service.processor.refunds.size).toBe(1);
    expect(await payment()).toMatchObject({ status: 'REFUNDED' });
    expect(service.payments.published()).toEqual(['PaymentSucceeded', 'PaymentRefunded']);
  });

  it('refunds a charge captured after cancel once its failed refund is retried', async () => {
    // The order is cancelled while the charge is in flight; the charge captures, and the refund
    // that follows finds the processor unavailable. The redelivered event finds the refund still
    // due and makes it.
    service.processor.next('refund', 'unavailable', 'unavailable', 'unavailable');
    const reserved = events.reserved();
    await deliver(events.placed());
    service.processor.whileCharging(concurrently(events.cancelled()));
    await expect(deliver(reserved)).rejects.toThrow(RetryLaterError);

    await deliver(reserved);

    expect(await payment()).toMatchObject({ status: 'REFUNDED' });
  });
});
