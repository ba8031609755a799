import { OrderIdSchema } from '@shop/contracts';
import { QueryDeniedError, QueryUnavailableError } from '@shop/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { MixedCurrencyError, OutOfStockError, UnknownProductError } from '#domain/order.js';
import { IdempotencyKeyReusedError, placeOrder } from '../../src/app/placeOrder.js';
import { NOW, orderService, sagaEvents } from '../fakes.js';

const command = {
  customerId: 'c-1',
  lines: [
    { sku: 'MUG-001', quantity: 2 },
    { sku: 'TEE-001', quantity: 1 },
  ],
  paymentToken: 'tok_success',
};

let service: ReturnType<typeof orderService>;

beforeEach(() => {
  service = orderService();
});

describe('placeOrder', () => {
  it('saves a pending order priced from the catalogue with OrderPlaced v1 and v2, in one write', async () => {
    const result = await placeOrder(service.dependencies, command);

    const orderId = '00000000-0000-4000-8000-000000000001';
    expect(result).toEqual({
      ok: true,
      order: {
        orderId,
        customerId: 'c-1',
        lines: [
          { sku: 'MUG-001', quantity: 2, unitPrice: { amountMinor: 1299, currency: 'EUR' } },
          { sku: 'TEE-001', quantity: 1, unitPrice: { amountMinor: 2499, currency: 'EUR' } },
        ],
        total: { amountMinor: 5097, currency: 'EUR' },
        status: 'PENDING',
        placedAt: NOW.toISOString(),
        confirmBy: '2026-01-01T00:15:00.000Z',
        updatedAt: NOW.toISOString(),
        version: 1,
      },
    });
    expect(await service.orders.get(orderId)).toEqual(result.ok && result.order);
    expect(service.catalogue.asked).toEqual([['MUG-001', 'TEE-001']]);
    expect(
      service.orders.outbox.map((e) => [e.detailType, e.detail.metadata.version, e.detail.data]),
    ).toEqual([
      ['OrderPlaced', 1, { orderId, customerId: 'c-1', lines: command.lines, total: 50.97 }],
      [
        'OrderPlaced',
        2,
        expect.objectContaining({
          orderId,
          paymentToken: 'tok_success',
          total: { amountMinor: 5097, currency: 'EUR' },
        }),
      ],
    ]);
  });

  it('sets the deadline from the expiry setting when the order is placed, and keeps it', async () => {
    const placed = await placeOrder({ ...service.dependencies, orderExpirySeconds: 60 }, command);
    const later = await placeOrder({ ...service.dependencies, orderExpirySeconds: 3600 }, command);

    expect(placed.ok && placed.order.confirmBy).toBe('2026-01-01T00:01:00.000Z');
    expect(later.ok && later.order.confirmBy).toBe('2026-01-01T01:00:00.000Z');
    expect((await service.orders.get(placed.ok ? placed.order.orderId : ''))?.confirmBy).toBe(
      '2026-01-01T00:01:00.000Z',
    );
  });

  it('gives every order its own id', async () => {
    await placeOrder(service.dependencies, command);
    await placeOrder(service.dependencies, command);

    const { orders } = await service.orders.list({ limit: 10 });
    expect(orders.map((order) => order.orderId)).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000002',
    ]);
  });

  it.each([
    [
      'an unknown product',
      [{ sku: 'GHOST-001', quantity: 1 }],
      new UnknownProductError(['GHOST-001']),
    ],
    [
      'two currencies',
      [
        { sku: 'MUG-001', quantity: 1 },
        { sku: 'CAP-001', quantity: 1 },
      ],
      new MixedCurrencyError(['EUR', 'USD']),
    ],
    [
      'more units than are available',
      [
        { sku: 'TEE-001', quantity: 1 },
        { sku: 'TEE-001', quantity: 1 },
      ],
      new OutOfStockError(['TEE-001']),
    ],
  ])('refuses %s and writes nothing', async (_, lines, error) => {
    const result = await placeOrder(service.dependencies, { ...command, lines });

    expect(result).toEqual({ ok: false, error });
    expect(result.ok ? undefined : result.error).toBeInstanceOf(error.constructor);
    expect((await service.orders.list({ limit: 10 })).orders).toEqual([]);
    expect(service.orders.outbox).toEqual([]);
  });

  it.each([
    new QueryUnavailableError('Inventory did not answer in time', 503),
    new QueryDeniedError('Lattice denied the call', 403),
  ])(
    'fails with the query error when the catalogue cannot be read, and writes nothing: %s',
    async (error) => {
      service.catalogue.failWith(error);

      await expect(placeOrder(service.dependencies, command)).rejects.toBe(error);

      expect((await service.orders.list({ limit: 10 })).orders).toEqual([]);
      expect(service.orders.outbox).toEqual([]);
    },
  );
});

describe('placeOrder with an idempotency key', () => {
  const keyed = { ...command, idempotencyKey: 'key-1' };
  const placedWith = async (change: Partial<typeof keyed> = {}) => {
    const result = await placeOrder(service.dependencies, { ...keyed, ...change });
    if (!result.ok) throw result.error;
    return result.order;
  };

  it('gives the order a name-based UUID of the customer and the key, not a new one', async () => {
    const order = await placedWith();

    expect(OrderIdSchema.safeParse(order.orderId).success).toBe(true);
    expect(order.orderId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(order.orderId).not.toBe('00000000-0000-4000-8000-000000000001');
  });

  it('places one order however often it is sent, answering each retry with it', async () => {
    const first = await placedWith();

    const retries = [await placedWith(), await placedWith({ paymentToken: 'tok_other' })];

    expect(retries).toEqual([first, first]);
    expect((await service.orders.list({ limit: 10 })).orders).toEqual([first]);
    expect(service.orders.published()).toEqual(['OrderPlaced', 'OrderPlaced']);
    expect(service.catalogue.asked).toHaveLength(1);
  });

  it('answers a retry with the order as it is now', async () => {
    const first = await placedWith();
    await service.deliver(
      sagaEvents(first.orderId).paymentSucceeded({ amountMinor: 5097, currency: 'EUR' }),
    );

    expect(await placedWith()).toMatchObject({ orderId: first.orderId, status: 'CONFIRMED' });
  });

  it("gives another key, and another customer's same key, another order", async () => {
    const first = await placedWith();

    const others = [
      await placedWith({ idempotencyKey: 'key-2' }),
      await placedWith({ customerId: 'c-2' }),
    ];

    expect(new Set([first, ...others].map((order) => order.orderId)).size).toBe(3);
    expect((await service.orders.list({ limit: 10 })).orders).toHaveLength(3);
  });

  it('refuses the key for other lines and writes nothing', async () => {
    await placedWith();

    const result = await placeOrder(service.dependencies, {
      ...keyed,
      lines: [{ sku: 'MUG-001', quantity: 1 }],
    });

    expect(result).toEqual({ ok: false, error: new IdempotencyKeyReusedError('key-1') });
    expect(result.ok ? undefined : result.error).toBeInstanceOf(IdempotencyKeyReusedError);
    expect((await service.orders.list({ limit: 10 })).orders).toHaveLength(1);
    expect(service.orders.outbox).toHaveLength(2);
  });

  it('answers the order of a placement with the same key that saved first while it ran', async () => {
    let winner: Awaited<ReturnType<typeof placeOrder>> | undefined;
    service.orders.beforeNextSave(async () => {
      winner = await placeOrder(service.dependencies, keyed);
    });

    const result = await placeOrder(service.dependencies, keyed);

    expect(winner).toMatchObject({ ok: true });
    expect(result).toEqual(winner);
    expect((await service.orders.list({ limit: 10 })).orders).toHaveLength(1);
    expect(service.orders.outbox).toHaveLength(2);
  });
});
