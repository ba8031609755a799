import type { PaymentView } from '@shop/contracts';
import { QueryDeniedError, QueryRejectedError, QueryUnavailableError } from '@shop/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '#domain/order.js';
import { orderDetails } from '../../src/app/orderDetails.js';
import { NOW, orderService, placedOrder } from '../fakes.js';

let service: ReturnType<typeof orderService>;
let order: Order;

beforeEach(async () => {
  service = orderService();
  order = await placedOrder(service.dependencies);
});

describe('orderDetails', () => {
  it('is undefined when there is no such order', async () => {
    expect(
      await orderDetails(service.dependencies, '0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f'),
    ).toBeUndefined();
  });

  it('shows the order with what Payment says about its payment', async () => {
    const payment: PaymentView = {
      orderId: order.orderId,
      status: 'CAPTURED',
      amount: order.total,
      updatedAt: NOW.toISOString(),
    };
    service.payments.views.set(order.orderId, payment);

    expect(await orderDetails(service.dependencies, order.orderId)).toEqual({ ...order, payment });
  });

  it('says NONE while Payment has not heard of the order', async () => {
    expect(await orderDetails(service.dependencies, order.orderId)).toEqual({
      ...order,
      payment: 'NONE',
    });
  });

  it.each([
    new QueryUnavailableError('Payment did not answer in time', 503),
    new QueryDeniedError('Lattice denied the call', 403),
    new QueryRejectedError('Payment answered outside its contract', 200),
  ])(
    'still shows the order, payment UNAVAILABLE, when Payment cannot be asked: %s',
    async (error) => {
      service.payments.failWith(error);

      expect(await orderDetails(service.dependencies, order.orderId)).toEqual({
        ...order,
        payment: 'UNAVAILABLE',
      });
    },
  );

  it('lets any other failure through', async () => {
    const bug = new TypeError('not a query failure');
    service.payments.failWith(bug);

    await expect(orderDetails(service.dependencies, order.orderId)).rejects.toBe(bug);
  });
});
