import { settled } from '@shop/test-kit';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '#domain/order.js';
import { expireOrders } from '../../src/app/expireOrders.js';
import { EXPIRY_SECONDS, NOW, orderService, placedOrder, sagaEvents } from '../fakes.js';

const PAGES = { pageSize: 25, maxPages: 20 };
const DEADLINE = new Date(NOW.getTime() + EXPIRY_SECONDS * 1000);

let service: ReturnType<typeof orderService>;

beforeEach(() => {
  service = orderService();
});

const run = (pages = PAGES) => settled(() => expireOrders(service.dependencies, pages));
const at = (time: Date) => {
  service.clock.now = time;
};
const stored = async (order: Order) => service.orders.get(order.orderId);
/** The events published about one order after its OrderPlaced v1 and v2, with their reasons. */
const publishedAbout = (order: Order) =>
  service.orders.outbox
    .map((event) => [event.detailType, event.detail.data as Record<string, unknown>] as const)
    .filter(([, data]) => data['orderId'] === order.orderId)
    .slice(2)
    .map(([detailType, data]) => [detailType, data['reason']]);

/** Expired once: CANCELLED (EXPIRED) in one change, and one OrderCancelled published. */
const expectExpiredOnce = async (order: Order) => {
  expect(await stored(order)).toMatchObject({
    status: 'CANCELLED',
    cancellationReason: 'EXPIRED',
    version: 2,
  });
  expect(publishedAbout(order)).toEqual([['OrderCancelled', 'PAYMENT_FAILED']]);
};

describe('expireOrders', () => {
  it('cancels each order still PENDING at its deadline as EXPIRED, with OrderCancelled', async () => {
    const order = await placedOrder(service.dependencies);
    at(DEADLINE);

    const result = await run();

    expect(result).toEqual({
      expired: [expect.objectContaining({ orderId: order.orderId })],
      unchanged: 0,
      failed: [],
      more: false,
    });
    expect(await stored(order)).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'EXPIRED',
      updatedAt: DEADLINE.toISOString(),
      version: 2,
    });
    expect(publishedAbout(order)).toEqual([['OrderCancelled', 'PAYMENT_FAILED']]);
    const [cancelled] = service.orders.outbox.slice(-1);
    expect(cancelled?.detail.metadata).toMatchObject({
      correlationId: order.orderId,
      causationId: order.orderId,
    });
  });

  it('leaves an order whose deadline has not come, until it comes', async () => {
    const early = await placedOrder(service.dependencies);
    at(new Date(NOW.getTime() + 60_000));
    const later = await placedOrder(service.dependencies);
    at(DEADLINE);

    const first = await run();
    at(new Date(DEADLINE.getTime() + 60_000));
    const second = await run();

    expect(first.expired.map((o) => o.orderId)).toEqual([early.orderId]);
    expect(await stored(later)).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'EXPIRED',
    });
    expect(second.expired.map((o) => o.orderId)).toEqual([later.orderId]);
  });

  it('never expires a confirmed order, nor one cancelled before its deadline', async () => {
    const confirmed = await placedOrder(service.dependencies);
    const declined = await placedOrder(service.dependencies);
    await service.deliver(sagaEvents(confirmed.orderId).paymentSucceeded());
    await service.deliver(sagaEvents(declined.orderId).paymentFailed());
    at(new Date(DEADLINE.getTime() + 3600_000));

    const result = await run();

    expect(result).toEqual({ expired: [], unchanged: 0, failed: [], more: false });
    expect(await stored(confirmed)).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect(await stored(declined)).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'PAYMENT_FAILED',
      version: 2,
    });
    expect(publishedAbout(confirmed)).toEqual([['OrderConfirmed', undefined]]);
  });

  it('loses to a confirmation saved between its read and its write: the order stays CONFIRMED', async () => {
    const order = await placedOrder(service.dependencies);
    at(DEADLINE);
    service.orders.beforeNextSave(() =>
      service.deliver(sagaEvents(order.orderId).paymentSucceeded()),
    );

    const result = await run();

    expect(result).toEqual({ expired: [], unchanged: 1, failed: [], more: false });
    expect(await stored(order)).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect(publishedAbout(order)).toEqual([['OrderConfirmed', undefined]]);
  });

  it('wins over a confirmation that reads the order before it expires: the payment changes nothing', async () => {
    const order = await placedOrder(service.dependencies);
    at(DEADLINE);
    service.orders.beforeNextSave(() => expireOrders(service.dependencies, PAGES));

    await service.deliver(sagaEvents(order.orderId).paymentSucceeded());

    await expectExpiredOnce(order);
  });

  it('leaves an expired order CANCELLED when its payment succeeds late: the OrderCancelled it published has Payment refund it', async () => {
    const order = await placedOrder(service.dependencies);
    at(DEADLINE);
    await run();

    await service.deliver(sagaEvents(order.orderId).paymentSucceeded());

    await expectExpiredOnce(order);
  });

  it('reads due orders a page at a time, and leaves what is beyond its pages to the next run', async () => {
    const orders: Order[] = [];
    for (let i = 0; i < 5; i++) orders.push(await placedOrder(service.dependencies));
    at(DEADLINE);

    const first = await run({ pageSize: 2, maxPages: 2 });
    const second = await run({ pageSize: 2, maxPages: 2 });

    expect(first).toMatchObject({ unchanged: 0, failed: [], more: true });
    expect(first.expired.map((o) => o.orderId)).toEqual(orders.slice(0, 4).map((o) => o.orderId));
    expect(second).toMatchObject({ unchanged: 0, failed: [], more: false });
    expect(second.expired.map((o) => o.orderId)).toEqual([orders[4]?.orderId]);
  });

  it('goes on past an order it cannot save, and reports it for the next run', async () => {
    const failing = await placedOrder(service.dependencies);
    const next = await placedOrder(service.dependencies);
    at(DEADLINE);
    const outage = new Error('ProvisionedThroughputExceededException');
    service.orders.beforeNextSave(() => Promise.reject(outage));

    const result = await run();
    const retried = await run();

    expect(result).toMatchObject({
      expired: [expect.objectContaining({ orderId: next.orderId })],
      failed: [{ orderId: failing.orderId, error: outage }],
    });
    expect(retried.expired.map((o) => o.orderId)).toEqual([failing.orderId]);
  });
});
