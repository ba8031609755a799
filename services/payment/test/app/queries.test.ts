import { beforeEach, describe, expect, it } from 'vitest';
import { paymentView } from '../../src/app/queries.js';
import { NOW, ORDER_ID, orderEvents, paymentService, TOTAL } from '../fakes.js';

const events = orderEvents();
let service: ReturnType<typeof paymentService>;

beforeEach(() => {
  service = paymentService();
});

describe('paymentView', () => {
  it('is undefined for an order Payment has not heard of', async () => {
    expect(await paymentView(service.dependencies, ORDER_ID)).toBeUndefined();
  });

  it('shows status and amount, never the token, the payment id or the charge id', async () => {
    await service.deliver(events.placed(), events.reserved());

    expect(await paymentView(service.dependencies, ORDER_ID)).toEqual({
      orderId: ORDER_ID,
      status: 'CAPTURED',
      amount: TOTAL,
      updatedAt: NOW.toISOString(),
    });
  });

  it('shows why a payment failed', async () => {
    service.processor.decline('tok_visa', 'CARD_DECLINED');
    await service.deliver(events.placed(), events.reserved());

    expect(await paymentView(service.dependencies, ORDER_ID)).toMatchObject({
      status: 'FAILED',
      failureReason: 'CARD_DECLINED',
    });
  });

  it('has no amount while the order itself is not known yet', async () => {
    await service.deliver(events.reserved());

    expect(await paymentView(service.dependencies, ORDER_ID)).toEqual({
      orderId: ORDER_ID,
      status: 'AWAITING',
      updatedAt: NOW.toISOString(),
    });
  });
});
