import { beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '#domain/order.js';
import { visibleOrder } from '../../src/app/visibleOrder.js';
import { orderService, placedOrder } from '../fakes.js';

const NO_SUCH_ORDER = '0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f';

let service: ReturnType<typeof orderService>;
let order: Order;

beforeEach(async () => {
  service = orderService();
  order = await placedOrder(service.dependencies);
});

describe('visibleOrder', () => {
  it('is the order for a user who may view it', async () => {
    expect(await visibleOrder(service.dependencies, order.orderId, async () => true)).toEqual(
      order,
    );
  });

  it('is the same undefined for an order the user may not view as for one that does not exist', async () => {
    const asked: Order[] = [];
    const mayNotView = async (candidate: Order) => {
      asked.push(candidate);
      return false;
    };

    const notTheirs = await visibleOrder(service.dependencies, order.orderId, mayNotView);
    const missing = await visibleOrder(service.dependencies, NO_SUCH_ORDER, mayNotView);

    expect(notTheirs).toBeUndefined();
    expect(missing).toBeUndefined();
    expect(asked).toEqual([order]);
  });
});
