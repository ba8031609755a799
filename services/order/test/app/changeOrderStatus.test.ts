import type { CancellationReason } from '@shop/contracts';
import { settled } from '@shop/test-kit';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '#domain/order.js';
import { IllegalTransitionError, type OrderTransition } from '#domain/orderStatus.js';
import { changeOrderStatus, OrderNotFoundError } from '../../src/app/changeOrderStatus.js';
import { NOW, orderService, placedOrder } from '../fakes.js';

const cause = { correlationId: 'order', causationId: 'event-1' };
const confirm: OrderTransition = { type: 'confirm' };
const cancel = (reason: CancellationReason): OrderTransition => ({ type: 'cancel', reason });

let service: ReturnType<typeof orderService>;
let order: Order;

beforeEach(async () => {
  service = orderService();
  order = await placedOrder(service.dependencies);
});

const change = (transition: OrderTransition) =>
  settled(() => changeOrderStatus(service.dependencies, order.orderId, transition, cause));

/** The events published after OrderPlaced. */
const published = () => service.orders.outbox.slice(2);

describe('changeOrderStatus', () => {
  it('confirms a pending order and saves it with OrderConfirmed', async () => {
    const result = await change(confirm);

    const confirmed = { ...order, status: 'CONFIRMED', updatedAt: NOW.toISOString(), version: 2 };
    expect(result).toEqual({ ok: true, order: confirmed });
    expect(await service.orders.get(order.orderId)).toEqual(confirmed);
    expect(published().map((e) => [e.detailType, e.detail.data, e.detail.metadata])).toEqual([
      [
        'OrderConfirmed',
        { orderId: order.orderId, customerId: 'c-1' },
        expect.objectContaining({ correlationId: 'order', causationId: 'event-1' }),
      ],
    ]);
  });

  it.each(['INVENTORY_UNAVAILABLE', 'PAYMENT_FAILED', 'CUSTOMER_REQUESTED'] as const)(
    'cancels a pending order with OrderCancelled: %s',
    async (reason) => {
      await change(cancel(reason));

      expect(await service.orders.get(order.orderId)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: reason,
        version: 2,
      });
      expect(published().map((e) => [e.detailType, e.detail.data])).toEqual([
        ['OrderCancelled', { orderId: order.orderId, customerId: 'c-1', reason }],
      ]);
    },
  );

  it('lets the customer cancel a confirmed order', async () => {
    await change(confirm);

    const result = await change(cancel('CUSTOMER_REQUESTED'));

    expect(result.ok && result.order).toMatchObject({ status: 'CANCELLED', version: 3 });
    expect(published().map((e) => e.detailType)).toEqual(['OrderConfirmed', 'OrderCancelled']);
  });

  it.each([
    ['CONFIRMED', confirm, confirm],
    ['CONFIRMED', confirm, cancel('PAYMENT_FAILED')],
    ['CONFIRMED', confirm, cancel('INVENTORY_UNAVAILABLE')],
    ['CANCELLED', cancel('CUSTOMER_REQUESTED'), confirm],
    ['CANCELLED', cancel('PAYMENT_FAILED'), cancel('CUSTOMER_REQUESTED')],
  ])(
    'refuses an illegal transition of a %s order and writes nothing',
    async (_, first, illegal) => {
      await change(first);
      const before = await service.orders.get(order.orderId);
      const events = published().length;

      const result = await change(illegal);

      expect(result.ok ? undefined : result.error).toBeInstanceOf(IllegalTransitionError);
      expect(await service.orders.get(order.orderId)).toEqual(before);
      expect(published()).toHaveLength(events);
    },
  );

  it('says when there is no such order, and writes nothing', async () => {
    const unknown = '0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f';

    const result = await settled(() =>
      changeOrderStatus(service.dependencies, unknown, confirm, cause),
    );

    expect(result).toEqual({ ok: false, error: new OrderNotFoundError(unknown) });
    expect(published()).toEqual([]);
  });

  it('decides again on the fresh order when it changed since it was read', async () => {
    service.orders.beforeNextSave(() =>
      changeOrderStatus(service.dependencies, order.orderId, confirm, cause),
    );

    const result = await change(cancel('CUSTOMER_REQUESTED'));

    expect(result.ok && result.order).toMatchObject({ status: 'CANCELLED', version: 3 });
    expect(published().map((e) => e.detailType)).toEqual(['OrderConfirmed', 'OrderCancelled']);
  });

  it('refuses a payment that succeeds while the customer cancels, once it sees the cancel', async () => {
    service.orders.beforeNextSave(() =>
      changeOrderStatus(service.dependencies, order.orderId, cancel('CUSTOMER_REQUESTED'), cause),
    );

    const result = await change(confirm);

    expect(result.ok ? undefined : result.error).toBeInstanceOf(IllegalTransitionError);
    expect(await service.orders.get(order.orderId)).toMatchObject({ status: 'CANCELLED' });
    expect(published().map((e) => e.detailType)).toEqual(['OrderCancelled']);
  });
});
