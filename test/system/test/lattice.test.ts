import { randomUUID } from 'node:crypto';
import { GetPayment, GetStock, ListProducts } from '@shop/contracts';
import { latticePrincipalOf, OUTSIDER_PRINCIPAL } from '@shop/local-system';
import { QueryClient, QueryDeniedError, QueryUnavailableError } from '@shop/shared';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACK, EUR, startTestShop, type TestShop } from './support.js';

const catalogue = [
  { sku: 'MUG-001', name: 'Mug', unitPrice: EUR(1299), available: 100 },
  { sku: 'TEE-001', name: 'T-shirt', unitPrice: EUR(2499), available: 7 },
];

let t: TestShop;
let inventoryUrl: string;

beforeAll(async () => {
  t = await startTestShop({ catalogue });
  inventoryUrl = t.shop.lattice.services.find((s) => s.name === 'shop-inventory')?.url ?? '';
});

afterAll(async () => {
  await t?.stop();
});

/** The Lattice principal of the role a function runs as. */
const principalOf = (functionName: string) =>
  latticePrincipalOf(t.shop.credentialsOf(functionName));

const as = (principal: { accessKeyId: string; secretAccessKey: string }, timeoutMs = 2000) =>
  new QueryClient({
    baseUrl: inventoryUrl,
    region: 'eu-west-1',
    credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey },
    timeoutMs,
  });

/** A request signed by Order but sent as is, or altered after signing. */
const signedByOrder = async (
  method: string,
  path: string,
  alter = (h: Record<string, string>) => h,
) => {
  const url = new URL(path, inventoryUrl);
  const order = principalOf('order-api');
  const signed = await new SignatureV4({
    service: 'vpc-lattice-svcs',
    region: 'eu-west-1',
    credentials: { accessKeyId: order.accessKeyId, secretAccessKey: order.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  }).sign({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch(url, { method, headers: alter(headers) });
  return { status: response.status, body: await response.text() };
};

describe('queries over the local Lattice gateway', () => {
  it("answers Order's signed GET with prices and availability", async () => {
    expect(
      await as(principalOf('order-api')).get(ListProducts, {}, { sku: ['TEE-001', 'GHOST-001'] }),
    ).toEqual({
      products: [{ sku: 'TEE-001', name: 'T-shirt', unitPrice: EUR(2499), available: 7 }],
    });
  });

  it('denies a path Order did not declare, and every other service', { tags: ATTACK }, async () => {
    await expect(
      as(principalOf('order-api')).get(GetStock, { sku: 'MUG-001' }),
    ).rejects.toBeInstanceOf(QueryDeniedError);
    await expect(
      as(principalOf('payment-events')).get(ListProducts, {}, { sku: ['MUG-001'] }),
    ).rejects.toThrow(/no service-based policy allows the vpc-lattice-svcs:Invoke action/);
    await expect(
      as(OUTSIDER_PRINCIPAL).get(ListProducts, {}, { sku: ['MUG-001'] }),
    ).rejects.toThrow(
      /User: arn:aws:sts::999999999999:assumed-role\/outsider\/outsider is not authorized .* because no network-based policy allows/,
    );
  });

  it('denies an unsigned request, a PUT by Order and a tampered signature with 403', {
    tags: ATTACK,
  }, async () => {
    const unsigned = await fetch(new URL('/products', inventoryUrl));
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toMatch(
      /^AccessDeniedException: User: anonymous is not authorized/,
    );

    expect(await signedByOrder('PUT', '/products')).toMatchObject({
      status: 403,
      body: expect.stringMatching(/no service-based policy allows/),
    });
    expect(
      await signedByOrder('GET', '/products', (headers) => ({
        ...headers,
        'x-amz-date': String(headers['x-amz-date']).replace(/.Z$/, (s) =>
          s === '0Z' ? '1Z' : '0Z',
        ),
      })),
    ).toMatchObject({ status: 403, body: expect.stringMatching(/^InvalidSignatureException/) });
  });

  it("shows Payment's status of an order to Order only", { tags: ATTACK }, async () => {
    const order = await t.settledOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_success');
    const paymentUrl = t.shop.lattice.services.find((s) => s.name === 'shop-payment')?.url ?? '';
    const client = (principal: { accessKeyId: string; secretAccessKey: string }) =>
      new QueryClient({ baseUrl: paymentUrl, region: 'eu-west-1', credentials: principal });

    expect(
      await client(principalOf('order-api')).get(GetPayment, { orderId: order.orderId }),
    ).toMatchObject({
      status: 'CAPTURED',
      amount: EUR(1299),
    });
    expect(
      await client(principalOf('order-api')).get(GetPayment, { orderId: randomUUID() }),
    ).toBeUndefined();
    await expect(
      client(principalOf('inventory-events')).get(GetPayment, { orderId: order.orderId }),
    ).rejects.toBeInstanceOf(QueryDeniedError);
  });

  it('gives a typed error when Inventory hangs, and placing an order answers SERVICE_UNAVAILABLE and writes nothing', async () => {
    const inventory = t.shop.services.find((s) => s.service === 'inventory');
    const before = await t.ownOrderIds();
    inventory?.setFrozen(true);
    try {
      const hanging = as(principalOf('order-api'), 300).get(ListProducts, {}, { sku: ['MUG-001'] });
      await expect(hanging).rejects.toBeInstanceOf(QueryUnavailableError);
      // Within the budget, or within the attempt's share of it when a busy machine fires the
      // first attempt's timer after the budget is spent, leaving no time for a retry.
      await expect(hanging).rejects.toThrow(
        /^ListProducts got no answer within (300 ms|the attempt's 120 ms)$/,
      );
      expect(
        await t.customer.request('order', 'POST', '/orders', {
          lines: [{ sku: 'MUG-001', quantity: 1 }],
          paymentToken: 'tok_success',
        }),
      ).toEqual({
        status: 503,
        body: {
          error: {
            code: 'SERVICE_UNAVAILABLE',
            message: 'The catalogue cannot be read now; try again',
          },
        },
      });
    } finally {
      inventory?.setFrozen(false);
    }
    expect(await t.ownOrderIds()).toEqual(before);
  });

  it('keeps answering when Inventory and Payment are down: orders refused, details without payment', async () => {
    const placed = await t.settledOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_success');
    const before = await t.ownOrderIds();
    for (const service of t.shop.services.filter((s) => s.service !== 'order'))
      await service.stop();

    expect(
      await t.customer.request('order', 'POST', '/orders', {
        lines: [{ sku: 'MUG-001', quantity: 1 }],
        paymentToken: 'tok_success',
      }),
    ).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE' } } });
    expect(await t.ownOrderIds()).toEqual(before);
    expect(await t.order(placed.orderId)).toMatchObject({
      status: 'CONFIRMED',
      payment: 'UNAVAILABLE',
    });
    expect(t.accessLog.at(-1)).toMatchObject({
      responseCode: 503,
      failureReason: 'TargetConnectionError',
    });
  });
});
