import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import {
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { DEVICE_POSTURE, issueDevicePosture } from '@shop/local-cloud/verified-access';
import { LOCAL_USER_POOLS, localUserPoolId, signIn } from '@shop/local-system';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EUR, startTestShop, type TestShop } from './support.js';

const catalogue = [
  { sku: 'MUG-001', name: 'Mug', unitPrice: EUR(1299), available: 100 },
  { sku: 'TEE-001', name: 'T-shirt', unitPrice: EUR(2499), available: 100 },
];

let t: TestShop;
const tokens = new Map<string, string>();
const url = (api: 'order' | 'inventory', path: string) =>
  `${t.shop.apis.apis.find((a) => a.name === `shop-${api}`)?.url}${path}`;
/** A staff route, through Verified Access to the staff load balancer: `/<service>/admin/...`. */
const staffUrl = (service: 'order' | 'inventory' | 'payment', path: string) =>
  `${t.shop.verifiedAccess.url}/${service}${path}`;
/** This test's laptop, its posture signed by the shop's device trust provider. */
const posture = (risk: 'SECURE' | 'HIGH' = 'SECURE') => ({
  [DEVICE_POSTURE.header]: issueDevicePosture(t.shop.deviceTrustKey, {
    deviceId: 'test-laptop',
    jamf: { risk, osv: '15.1.0', groups: [] },
  }),
});

beforeAll(async () => {
  t = await startTestShop({ catalogue, shared: true });
  const pool = { region: 'eu-west-1', endpoint: t.shop.cognito.endpoint };
  for (const username of ['alice', 'bob', 'mallory', 'oscar', 'ada']) {
    tokens.set(username, await signIn(pool, username, t.shop.totpSecrets));
  }
});

afterAll(async () => {
  await t?.stop();
});

const call = async (
  as: string | undefined,
  method: string,
  target: string,
  body?: unknown,
  rawBody?: string,
  headers: Record<string, string> = {},
) => {
  const response = await fetch(target, {
    method,
    headers: {
      ...headers,
      ...(as !== undefined && { authorization: `Bearer ${tokens.get(as) ?? as}` }),
      'content-type': 'application/json',
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    ...(rawBody !== undefined && { body: rawBody }),
  });
  const text = await response.text();
  expect(text).not.toMatch(/\n\s+at /); // never a stack trace
  // Verified Access denies with a page; everything behind it answers JSON.
  const page = (response.headers.get('content-type') ?? '').startsWith('text/html');
  return {
    status: response.status,
    body: text === '' || page ? undefined : (JSON.parse(text) as Record<string, unknown>),
  };
};
/** A staff route called as `as`, from this test's compliant laptop unless `risk` says otherwise. */
const staffCall = (
  as: string,
  method: string,
  service: 'order' | 'inventory' | 'payment',
  path: string,
  body?: unknown,
  risk: 'SECURE' | 'HIGH' = 'SECURE',
) => call(as, method, staffUrl(service, path), body, undefined, posture(risk));
const order = (sku = 'MUG-001') => ({ lines: [{ sku, quantity: 1 }], paymentToken: 'tok_success' });

/** A request whose path and header names are sent as they are (`fetch` reads `//x` as a host). */
const rawCall = (
  as: string,
  method: string,
  api: 'order' | 'inventory',
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const target = new URL(url(api, '/'));
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        headers: { ...headers, authorization: `Bearer ${tokens.get(as) ?? as}` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });

/** The ids of every order a customer's list shows them, every page of it. */
const orderIdsOf = async (user: string): Promise<string[]> => {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const query = `?limit=100${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`;
    const page = await call(user, 'GET', url('order', `/orders${query}`));
    expect(page.status).toBe(200);
    ids.push(...((page.body?.['orders'] ?? []) as { orderId: string }[]).map((o) => o.orderId));
    nextToken = page.body?.['nextToken'] as string | undefined;
  } while (nextToken !== undefined);
  return ids;
};

describe('the customer API', () => {
  it('lets a customer place, see and cancel their order, and no other customer see or cancel it', async () => {
    const placed = await call('alice', 'POST', url('order', '/orders'), order());
    expect(placed).toMatchObject({ status: 201, body: { status: 'PENDING', total: EUR(1299) } });
    const orderId = String(placed.body?.['orderId']);
    await t.settled(orderId);

    expect(await call('alice', 'GET', url('order', `/orders/${orderId}`))).toMatchObject({
      status: 200,
      body: { orderId, status: 'CONFIRMED', payment: { status: 'CAPTURED' } },
    });
    // To anyone who may not see it, the order is one that does not exist: the same 404.
    const missing = randomUUID();
    for (const user of ['bob', 'mallory']) {
      for (const id of [orderId, missing]) {
        expect(await call(user, 'GET', url('order', `/orders/${id}`))).toEqual({
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: `Order ${id} not found` } },
        });
      }
    }
    // Every page: the files that share this shop place orders for alice too.
    expect(await orderIdsOf('alice')).toContain(orderId);
    expect(await orderIdsOf('bob')).not.toContain(orderId);

    expect((await call('bob', 'POST', url('order', `/orders/${orderId}/cancel`))).status).toBe(404);
    expect(await call('alice', 'POST', url('order', `/orders/${orderId}/cancel`))).toMatchObject({
      status: 200,
      body: { orderId, status: 'CANCELLED' },
    });
    await t.events.waitForOrderEvent(orderId, 'PaymentRefunded');
  });

  it('shows the catalogue to every signed-in user, banned customers too, and nothing else to them', async () => {
    for (const user of ['alice', 'mallory', 'oscar']) {
      expect(await call(user, 'GET', url('inventory', '/products/TEE-001'))).toMatchObject({
        status: 200,
        body: { sku: 'TEE-001', unitPrice: EUR(2499) },
      });
    }
    expect((await call('mallory', 'GET', url('inventory', '/products'))).status).toBe(200);
    expect((await call('mallory', 'POST', url('order', '/orders'), order())).status).toBe(403);
    expect((await call('mallory', 'GET', url('order', '/orders'))).status).toBe(403);
  });
});

describe('placing an order with an Idempotency-Key', () => {
  const placeWithKey = (key: string, body: unknown) =>
    call('alice', 'POST', url('order', '/orders'), body, undefined, { 'Idempotency-Key': key });

  it('places one order and charges it once however often the customer sends it', async () => {
    const before = await t.ownOrderIds();
    const key = randomUUID();

    const first = await placeWithKey(key, order());
    const retry = await placeWithKey(key, order());

    expect(first).toMatchObject({ status: 201, body: { status: 'PENDING', total: EUR(1299) } });
    expect(retry).toEqual(first);
    const orderId = String(first.body?.['orderId']);
    expect(await t.settled(orderId)).toMatchObject({ status: 'CONFIRMED' });
    expect(await placeWithKey(key, order())).toEqual(first);
    expect((await t.ownOrderIds()).filter((id) => !before.includes(id))).toEqual([orderId]);
    expect(t.capturedCharges(orderId)).toHaveLength(1);
  });

  it('refuses the key for another order with 422, and a malformed key with 400', async () => {
    const key = randomUUID();
    const placed = await placeWithKey(key, order());
    expect(placed.status).toBe(201);
    await t.settled(String(placed.body?.['orderId']));

    expect(await placeWithKey(key, order('TEE-001'))).toMatchObject({
      status: 422,
      body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } },
    });
    expect(await placeWithKey('not a key', order())).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          issues: [expect.objectContaining({ path: ['idempotency-key'] })],
        },
      },
    });
  });
});

describe('the staff routes, through Verified Access', () => {
  it('lets Operators and Admins list and view any order, and only Admins see payment details', async () => {
    const placed = await call('bob', 'POST', url('order', '/orders'), order('TEE-001'));
    const orderId = String(placed.body?.['orderId']);
    await t.events.waitForSettled(orderId);

    for (const staff of ['oscar', 'ada']) {
      expect((await staffCall(staff, 'GET', 'order', '/admin/orders')).status).toBe(200);
      expect((await call(staff, 'GET', url('order', `/orders/${orderId}`))).status).toBe(200);
    }
    expect((await staffCall('alice', 'GET', 'order', '/admin/orders')).status).toBe(403);
    expect((await staffCall('oscar', 'GET', 'payment', `/admin/payments/${orderId}`)).status).toBe(
      403,
    );
    const details = await staffCall('ada', 'GET', 'payment', `/admin/payments/${orderId}`);
    expect(details).toMatchObject({
      status: 200,
      body: { orderId, status: 'CAPTURED', chargeId: expect.any(String) },
    });
    expect(details.body).not.toHaveProperty('paymentToken');
  });

  it('lets Operators and Admins set stock, and nobody else', async () => {
    expect(
      await staffCall('oscar', 'PUT', 'inventory', '/admin/products/MUG-001/stock', {
        available: 42,
      }),
    ).toMatchObject({
      status: 200,
      body: { sku: 'MUG-001', available: 42 },
    });
    expect(
      (
        await staffCall('alice', 'PUT', 'inventory', '/admin/products/MUG-001/stock', {
          available: 1,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await staffCall('ada', 'PUT', 'inventory', '/admin/products/GHOST-001/stock', {
          available: 1,
        })
      ).status,
    ).toBe(404);
  });
});

describe('the catalogue', () => {
  const hoodie = { name: 'Hoodie', unitPrice: EUR(5999), available: 5 };

  it('lets only Admins put a product, and staff see its stock counters', async () => {
    for (const user of ['alice', 'mallory', 'oscar']) {
      expect(
        (await staffCall(user, 'PUT', 'inventory', '/admin/products/HOODIE-001', hoodie)).status,
      ).toBe(403);
    }
    expect(
      await staffCall('ada', 'PUT', 'inventory', '/admin/products/HOODIE-001', hoodie),
    ).toMatchObject({ status: 200, body: { sku: 'HOODIE-001', ...hoodie, reserved: 0 } });

    for (const staff of ['oscar', 'ada']) {
      expect(
        await staffCall(staff, 'GET', 'inventory', '/admin/products/HOODIE-001/stock'),
      ).toEqual({ status: 200, body: { sku: 'HOODIE-001', available: 5, reserved: 0 } });
    }
    for (const user of ['alice', 'mallory']) {
      expect(
        (await staffCall(user, 'GET', 'inventory', '/admin/products/HOODIE-001/stock')).status,
      ).toBe(403);
    }
  });
});

describe('dead letters', () => {
  it.each(['order', 'inventory', 'payment'] as const)(
    "lets staff look at %s's DLQ and only Admins move it back to its queue, whose consumer parks what it cannot read again",
    async (service) => {
      const { QueueUrl } = await t.sqs.send(
        new GetQueueUrlCommand({ QueueName: `${service}-events-dlq` }),
      );
      const body = JSON.stringify({ parked: randomUUID() });
      await t.sqs.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: body,
          MessageAttributes: { ErrorMessage: { DataType: 'String', StringValue: 'parked here' } },
        }),
      );

      // Operators and Admins look at the dead letters without consuming them.
      for (const staff of ['oscar', 'ada']) {
        const peeked = await staffCall(staff, 'GET', service, '/admin/dead-letters');
        expect(peeked).toMatchObject({
          status: 200,
          body: { approximateCount: expect.any(Number) },
        });
        expect(peeked.body?.['messages']).toContainEqual({
          messageId: expect.any(String),
          sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          receiveCount: expect.any(Number),
          reason: 'parked here',
          body,
        });
      }
      expect((await staffCall('alice', 'GET', service, '/admin/dead-letters')).status).toBe(403);
      expect(
        (await staffCall('oscar', 'POST', service, '/admin/dead-letters/redrive', {})).status,
      ).toBe(403);
      expect(await staffCall('ada', 'POST', service, '/admin/dead-letters/redrive', {})).toEqual({
        status: 200,
        body: { moved: 1 },
      });
      let parked: Message | undefined;
      while (parked === undefined) {
        const { Messages = [] } = await t.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            WaitTimeSeconds: 1,
            MessageAttributeNames: ['All'],
          }),
        );
        parked = Messages[0];
      }
      expect(parked.MessageAttributes?.['ErrorCode']?.StringValue).toBe('MALFORMED_EVENT');
    },
  );
});

describe('bad input', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const customerPool = localUserPoolId('eu-west-1', 'customers');
  const staffPool = localUserPoolId('eu-west-1', 'staff');
  const claims = (overrides: Record<string, unknown>) => ({
    sub: t.shop.cognito.subOf('alice'),
    'cognito:groups': ['RegularCustomers'],
    'cognito:username': 'alice',
    iss: t.shop.cognito.issuerOf(customerPool),
    aud: LOCAL_USER_POOLS.customers.clientId,
    token_use: 'id',
    iat: now(),
    exp: now() + 600,
    ...overrides,
  });

  it('answers 401 for a missing, expired, forged, wrong-audience or access token', async () => {
    const forged = `${String(tokens.get('alice')).split('.').slice(0, 2).join('.')}.${Buffer.from('forged').toString('base64url')}`;
    const [header, , signature] = String(tokens.get('bob')).split('.');
    const promoted = `${header}.${Buffer.from(JSON.stringify(claims({ 'cognito:groups': ['Admins'] }))).toString('base64url')}.${signature}`;
    for (const token of [
      undefined,
      t.shop.cognito.sign(customerPool, claims({ exp: now() - 60, iat: now() - 3600 })),
      forged,
      promoted,
      t.shop.cognito.sign(customerPool, claims({ aud: 'another-client' })),
      t.shop.cognito.sign(customerPool, claims({ token_use: 'access' })),
      'not-a-jwt',
    ]) {
      expect(await call(token, 'GET', url('order', '/orders'))).toEqual({
        status: 401,
        body: { message: 'Unauthorized' },
      });
    }
  });

  it('answers 401 to staff groups in any token but the staff pool’s own', async () => {
    const staffClaims = {
      iss: t.shop.cognito.issuerOf(staffPool),
      aud: LOCAL_USER_POOLS.staff.clientId,
    };
    for (const token of [
      // signed by the customer pool, as a customer-pool administrator could have it issued
      t.shop.cognito.sign(customerPool, claims({ 'cognito:groups': ['Admins'] })),
      t.shop.cognito.sign(customerPool, claims({ 'cognito:groups': ['Operators'] })),
      // naming the staff pool, signed with the customer pool's key
      t.shop.cognito.sign(customerPool, claims({ ...staffClaims, 'cognito:groups': ['Admins'] })),
    ]) {
      expect(await call(token, 'GET', url('order', '/orders'))).toEqual({
        status: 401,
        body: { message: 'Unauthorized' },
      });
    }
  });

  it('answers 400 with the zod issues (a payment token SQS would refuse too), 413 over 64 KB, 404 for an unknown route and 405 for a wrong method', async () => {
    const invalid = await call('alice', 'POST', url('order', '/orders'), {
      lines: [],
      paymentToken: '',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        issues: expect.arrayContaining([
          expect.objectContaining({ path: ['lines'] }),
          expect.objectContaining({ path: ['paymentToken'] }),
        ]),
      },
    });
    // Characters SQS refuses would strand the order PENDING: refused before anything is written.
    for (const paymentToken of ['tok_success\uffff', 'tok_success\ud800']) {
      expect(
        await call('alice', 'POST', url('order', '/orders'), { ...order(), paymentToken }),
      ).toMatchObject({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            issues: [expect.objectContaining({ path: ['paymentToken'] })],
          },
        },
      });
    }
    expect(
      await call('alice', 'POST', url('order', '/orders'), undefined, '{not json'),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_JSON' } },
    });
    expect(
      await call(
        'alice',
        'POST',
        url('order', '/orders'),
        undefined,
        JSON.stringify({ ...order(), note: 'x'.repeat(65 * 1024) }),
      ),
    ).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(await call('alice', 'GET', url('order', '/nowhere'))).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND' } },
    });
    expect(await call('alice', 'DELETE', url('order', '/orders'))).toMatchObject({ status: 405 });
    expect(await call('alice', 'GET', url('order', '/orders/not-a-uuid'))).toMatchObject({
      status: 400,
    });
  });

  it('answers 400 for a page token the service did not issue, on every list', async () => {
    for (const target of [
      url('order', '/orders?nextToken=!!!'),
      staffUrl('order', '/admin/orders?nextToken=!!!'),
      url('inventory', '/products?nextToken=!!!'),
    ]) {
      const staff = target.startsWith(t.shop.verifiedAccess.url);
      const answer = await call(staff ? 'oscar' : 'alice', 'GET', target, undefined, undefined, {
        ...(staff && posture()),
      });
      expect(answer).toEqual({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'nextToken is not a token this service issued',
          },
        },
      });
    }
  });

  it('answers hostile paths and names with a 4xx, never a 500', async () => {
    expect(await rawCall('alice', 'GET', 'order', '/')).toEqual({
      status: 403,
      body: '{"message":"Missing Authentication Token"}',
    });
    for (const path of ['//x', '//[']) {
      expect((await rawCall('alice', 'GET', 'order', path)).status).toBe(404);
    }
    for (const api of ['order', 'inventory'] as const) {
      const path = api === 'order' ? '/orders' : '/products';
      const answer = await rawCall('alice', 'GET', api, `${path}?__proto__=1&constructor=2`, {
        ['__proto__']: 'x',
        constructor: 'y',
      });
      expect(answer.status).toBe(200);
    }
  });
});

describe('the staff entry', () => {
  const invocations = () => t.shop.lambda.stats()['order-staff']?.invocations ?? 0;

  it('lets an Operator on a compliant device list all orders', async () => {
    expect(await staffCall('oscar', 'GET', 'order', '/admin/orders')).toMatchObject({
      status: 200,
      body: { orders: expect.any(Array) },
    });
  });

  it("refuses an Operator on a non-compliant device with Verified Access's 403, before the staff function", async () => {
    const before = invocations();

    const answer = await staffCall('oscar', 'GET', 'order', '/admin/orders', undefined, 'HIGH');

    expect(answer).toEqual({ status: 403, body: undefined });
    expect(invocations()).toBe(before);
  });

  it("refuses a customer's token at Verified Access, on a compliant device too", async () => {
    const before = invocations();

    expect(await staffCall('alice', 'GET', 'order', '/admin/orders')).toEqual({
      status: 403,
      body: undefined,
    });
    expect(invocations()).toBe(before);
  });

  it("lets an Operator through Verified Access to redrive, and the service's Cedar refuses it", async () => {
    expect(await staffCall('oscar', 'POST', 'order', '/admin/dead-letters/redrive', {})).toEqual({
      status: 403,
      body: { error: { code: 'FORBIDDEN', message: expect.any(String) } },
    });
  });

  it('refuses a request straight to the staff load balancer: the staff function requires the Verified Access context', async () => {
    const direct = await call(
      'oscar',
      'GET',
      `${t.shop.staffLoadBalancer.url}/order/admin/orders`,
      undefined,
      undefined,
      posture(),
    );
    const forged = await call(
      'oscar',
      'GET',
      `${t.shop.staffLoadBalancer.url}/order/admin/orders`,
      undefined,
      undefined,
      { 'x-amzn-ava-user-context': 'e30.e30.forged' },
    );

    for (const answer of [direct, forged]) {
      expect(answer).toEqual({
        status: 401,
        body: { error: { code: 'UNAUTHORIZED', message: 'Sign in first' } },
      });
    }
  });

  it('answers 404 to a path no service claims on the staff load balancer', async () => {
    expect(
      await call(
        'oscar',
        'GET',
        `${t.shop.verifiedAccess.url}/shipping/admin/x`,
        undefined,
        undefined,
        posture(),
      ),
    ).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: 'No such staff route' } });
  });
});
