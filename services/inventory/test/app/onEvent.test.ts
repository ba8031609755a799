import { RetryLaterError } from '@shop/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { inventoryService, orderEvents } from '../fakes.js';

const orderA = '0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f';
const orderB = '7c2d9e4f-1a3b-4c5d-8e6f-9a0b1c2d3e4f';

let service: ReturnType<typeof inventoryService>;

beforeEach(() => {
  service = inventoryService();
});

/** Each product's counters, available and reserved. */
const stock = async () =>
  Object.fromEntries(
    (await service.inventory.getProducts(['MUG-001', 'TEE-001'])).map((p) => [
      p.sku,
      [p.available, p.reserved],
    ]),
  );

const reservation = (orderId: string) => service.inventory.getReservation(orderId);

describe('reserving the stock of a placed order', () => {
  it('reserves every line at once and holds the units, with InventoryReserved', async () => {
    const lines = [
      { sku: 'MUG-001', quantity: 2 },
      { sku: 'TEE-001', quantity: 1 },
    ];
    const placed = orderEvents(orderA, lines).placed();

    await service.deliver(placed);

    expect(await reservation(orderA)).toMatchObject({ status: 'RESERVED', lines });
    expect(await stock()).toEqual({ 'MUG-001': [3, 2], 'TEE-001': [0, 1] });
    expect(
      service.inventory.outbox.map((e) => [e.detailType, e.detail.data, e.detail.metadata]),
    ).toEqual([
      [
        'InventoryReserved',
        { orderId: orderA, lines },
        expect.objectContaining({ correlationId: orderA, causationId: placed.metadata.eventId }),
      ],
    ]);
  });

  it('counts every line of a product together', async () => {
    const lines = [
      { sku: 'MUG-001', quantity: 2 },
      { sku: 'MUG-001', quantity: 3 },
    ];

    await service.deliver(orderEvents(orderA, lines).placed());

    expect(await reservation(orderA)).toMatchObject({
      status: 'RESERVED',
      lines: [{ sku: 'MUG-001', quantity: 5 }],
    });
    expect(await stock()).toMatchObject({ 'MUG-001': [0, 5] });
  });

  it.each([
    [
      'a line is short',
      { sku: 'TEE-001', quantity: 2 },
      {
        reason: 'INSUFFICIENT_STOCK',
        unavailable: [{ sku: 'TEE-001', requested: 2, available: 1 }],
      },
    ],
    [
      'a product is unknown',
      { sku: 'GHOST-001', quantity: 1 },
      {
        reason: 'UNKNOWN_PRODUCT',
        unavailable: [{ sku: 'GHOST-001', requested: 1, available: 0 }],
      },
    ],
  ])('reserves nothing when %s, with InventoryReservationFailed', async (_, line, failure) => {
    await service.deliver(orderEvents(orderA, [{ sku: 'MUG-001', quantity: 2 }, line]).placed());

    expect(await reservation(orderA)).toMatchObject({ status: 'REJECTED' });
    expect(await stock()).toEqual({ 'MUG-001': [5, 0], 'TEE-001': [1, 0] });
    expect(service.inventory.outbox.map((e) => [e.detailType, e.detail.data])).toEqual([
      ['InventoryReservationFailed', { orderId: orderA, ...failure }],
    ]);
  });

  it.each([
    [
      'never oversells: the order that loses the race for the last units is refused',
      4,
      ['InventoryReserved', 'InventoryReservationFailed'],
      [1, 4],
    ],
    [
      'serves both of two concurrent orders when the stock suffices',
      2,
      ['InventoryReserved', 'InventoryReserved'],
      [1, 4],
    ],
  ])('%s', async (_, quantity, [forB, forA], mugs) => {
    const lines = [{ sku: 'MUG-001', quantity }];
    service.inventory.beforeNextSave(service.concurrently(orderEvents(orderB, lines).placed()));

    await service.deliver(orderEvents(orderA, lines).placed());

    expect(await stock()).toMatchObject({ 'MUG-001': mugs });
    expect(service.inventory.outbox.map((e) => [e.detailType, e.detail.data])).toEqual([
      [forB, expect.objectContaining({ orderId: orderB })],
      [forA, expect.objectContaining({ orderId: orderA })],
    ]);
  });

  it('holds none of the lines of the order that lost the race, and says what was left', async () => {
    service.inventory.beforeNextSave(
      service.concurrently(orderEvents(orderB, [{ sku: 'MUG-001', quantity: 4 }]).placed()),
    );

    await service.deliver(
      orderEvents(orderA, [
        { sku: 'MUG-001', quantity: 2 },
        { sku: 'TEE-001', quantity: 1 },
      ]).placed(),
    );

    expect(await reservation(orderA)).toMatchObject({ status: 'REJECTED' });
    expect(await stock()).toEqual({ 'MUG-001': [1, 4], 'TEE-001': [1, 0] });
    expect(service.inventory.outbox.at(-1)?.detail.data).toEqual({
      orderId: orderA,
      reason: 'INSUFFICIENT_STOCK',
      unavailable: [{ sku: 'MUG-001', requested: 2, available: 1 }],
    });
  });

  it('reserves once, whatever is delivered again', async () => {
    const events = orderEvents(orderA, [{ sku: 'MUG-001', quantity: 2 }]);
    const placed = events.placed();

    await service.deliver(placed, placed, events.placed());

    expect(await stock()).toMatchObject({ 'MUG-001': [3, 2] });
    expect(service.inventory.published()).toEqual(['InventoryReserved']);
  });

  it('reserves once when the same order is placed by two concurrent deliveries', async () => {
    const events = orderEvents(orderA, [{ sku: 'MUG-001', quantity: 2 }]);
    service.inventory.beforeNextSave(service.concurrently(events.placed()));

    await service.deliver(events.placed());

    expect(await stock()).toMatchObject({ 'MUG-001': [3, 2] });
    expect(service.inventory.published()).toEqual(['InventoryReserved']);
  });
});

describe('when the order is confirmed', () => {
  const events = orderEvents(orderA, [{ sku: 'MUG-001', quantity: 2 }]);

  it('sells the held units, once', async () => {
    await service.deliver(events.placed());

    await service.deliver(events.confirmed(), events.confirmed());

    expect(await reservation(orderA)).toMatchObject({ status: 'COMMITTED' });
    expect(await stock()).toMatchObject({ 'MUG-001': [3, 0] });
    expect(service.inventory.published()).toEqual(['InventoryReserved']);
  });

  it('asks for a retry when the order is not reserved here yet, and writes nothing', async () => {
    await expect(service.deliver(events.confirmed())).rejects.toThrow(RetryLaterError);

    expect(await reservation(orderA)).toBeUndefined();
    expect(await stock()).toMatchObject({ 'MUG-001': [5, 0] });
  });
});

describe('when the order is cancelled', () => {
  const lines = [
    { sku: 'MUG-001', quantity: 2 },
    { sku: 'TEE-001', quantity: 1 },
  ];
  const events = orderEvents(orderA, lines);

  it('puts the held units back, once, with InventoryReleased', async () => {
    await service.deliver(events.placed());
    const cancelled = events.cancelled();

    await service.deliver(cancelled, cancelled, events.cancelled());

    expect(await reservation(orderA)).toMatchObject({ status: 'RELEASED' });
    expect(await stock()).toEqual({ 'MUG-001': [5, 0], 'TEE-001': [1, 0] });
    expect(service.inventory.outbox.map((e) => [e.detailType, e.detail.data])).toEqual([
      ['InventoryReserved', { orderId: orderA, lines }],
      ['InventoryReleased', { orderId: orderA, lines }],
    ]);
  });

  it('puts sold units back when the order was confirmed', async () => {
    await service.deliver(events.placed(), events.confirmed(), events.cancelled());

    expect(await stock()).toEqual({ 'MUG-001': [5, 0], 'TEE-001': [1, 0] });
    expect(service.inventory.published()).toEqual(['InventoryReserved', 'InventoryReleased']);
  });

  it('releases what is sold when the order was confirmed meanwhile', async () => {
    await service.deliver(events.placed());
    service.inventory.beforeNextSave(service.concurrently(events.confirmed()));

    await service.deliver(events.cancelled());

    expect(await reservation(orderA)).toMatchObject({ status: 'RELEASED' });
    expect(await stock()).toEqual({ 'MUG-001': [5, 0], 'TEE-001': [1, 0] });
  });

  it('voids an order cancelled before it was placed here: its late OrderPlaced reserves nothing', async () => {
    await service.deliver(events.cancelled());
    expect(await reservation(orderA)).toMatchObject({ status: 'VOIDED' });

    await service.deliver(events.placed());

    expect(await reservation(orderA)).toMatchObject({ status: 'VOIDED' });
    expect(await stock()).toEqual({ 'MUG-001': [5, 0], 'TEE-001': [1, 0] });
    expect(service.inventory.published()).toEqual([]);
  });

  it('releases nothing for an order whose reservation was refused', async () => {
    const refused = orderEvents(orderA, [{ sku: 'TEE-001', quantity: 3 }]);
    await service.deliver(refused.placed());

    await service.deliver(refused.cancelled());

    expect(await reservation(orderA)).toMatchObject({ status: 'REJECTED' });
    expect(await stock()).toEqual({ 'MUG-001': [5, 0], 'TEE-001': [1, 0] });
    expect(service.inventory.published()).toEqual(['InventoryReservationFailed']);
  });
});
