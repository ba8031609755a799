import { GetStock, ListProducts } from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import type { AuthorizationRequest, Authorizer } from '../src/authorization/Authorizer.js';
import { failure, found } from '../src/invocationResult.js';
import { Logger } from '../src/Logger.js';
import { queryHandler, route } from '../src/lattice/queryHandler.js';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const stock = new Map([['MUG-001', { sku: 'MUG-001', available: 3, reserved: 1 }]]);
const seen: unknown[] = [];

// The policy store's decision for the tests: only the order service may query, only the catalogue
// and MUG-001's stock.
const asked: AuthorizationRequest[] = [];
const authorizer: Authorizer = {
  isAuthorized: async (request) => {
    asked.push(request);
    return request.principal.id === 'order' && request.resource.id !== 'TEE-002';
  },
};

const handler = queryHandler(
  [
    route(
      ListProducts,
      () => ({ type: 'Shop::Catalogue', id: 'all' }),
      async ({ query, principal }) => {
        seen.push({ query, principal });
        if (query.nextToken === 'broken') throw new Error('secret detail');
        if (query.nextToken === 'wrong-shape')
          return { ok: true, value: { products: 'nope' } as never };
        if (query.nextToken === 'refused')
          return failure('VALIDATION_FAILED', 'nextToken is not ours');
        return { ok: true, value: { products: [] } };
      },
    ),
    route(
      GetStock,
      ({ params }) => ({ type: 'Shop::Product', id: params.sku }),
      async ({ params }) => found(stock.get(params.sku), `Product ${params.sku}`),
    ),
  ],
  { logger, authorizer },
);

const event = (
  method: string,
  path: string,
  query?: Record<string, string[]>,
  principal = 'arn:aws:sts::000000000000:assumed-role/order-api-eu-west-1/s',
) => ({
  version: '2.0',
  path,
  method,
  headers: { 'x-amz-content-sha256': ['UNSIGNED-PAYLOAD'] },
  ...(query && { queryStringParameters: query }),
  requestContext: {
    serviceNetworkArn: 'arn:aws:vpc-lattice:eu-west-1:000000000000:servicenetwork/sn-0',
    serviceArn: 'arn:aws:vpc-lattice:eu-west-1:000000000000:service/svc-0',
    targetGroupArn: 'arn:aws:vpc-lattice:eu-west-1:000000000000:targetgroup/tg-0',
    identity: { type: 'AWS_IAM', principal },
    region: 'eu-west-1',
    timeEpoch: '1690497599177430',
  },
});

const answer = async (payload: unknown) => {
  const response = await handler(payload);
  return {
    status: response.statusCode,
    headers: response.headers,
    body: JSON.parse(response.body) as unknown,
  };
};

describe('queryHandler', () => {
  it('routes by path template and parses path parameters with the contract', async () => {
    expect(await answer(event('GET', '/products/MUG-001/stock'))).toMatchObject({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { sku: 'MUG-001', available: 3, reserved: 1 },
    });
    expect(await answer(event('GET', '/products/TEE-001/stock'))).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Product TEE-001 not found' } },
    });
  });

  it('reads repeated query parameters as arrays and passes the caller on', async () => {
    seen.length = 0;
    await answer(event('GET', '/products', { sku: ['MUG-001', 'TEE-001'], limit: ['5'] }));

    expect(seen).toEqual([
      {
        query: { sku: ['MUG-001', 'TEE-001'], limit: 5 },
        principal: 'arn:aws:sts::000000000000:assumed-role/order-api-eu-west-1/s',
      },
    ]);
  });

  it('asks the Authorizer with the calling service as principal, and answers 403 on a deny', async () => {
    asked.length = 0;
    expect(await answer(event('GET', '/products/MUG-001/stock'))).toMatchObject({ status: 200 });
    expect(asked).toEqual([
      {
        principal: { type: 'Shop::Service', id: 'order' },
        action: 'GetStock',
        resource: { type: 'Shop::Product', id: 'MUG-001' },
      },
    ]);

    const denied = [
      event('GET', '/products/TEE-002/stock'),
      event(
        'GET',
        '/products/MUG-001/stock',
        undefined,
        'arn:aws:sts::000000000000:assumed-role/payment-queries-eu-west-1/s',
      ),
      event(
        'GET',
        '/products/MUG-001/stock',
        undefined,
        'arn:aws:sts::000000000000:assumed-role/stranger/s',
      ),
    ];
    for (const request of denied) {
      expect(await answer(request)).toEqual({
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: { error: { code: 'FORBIDDEN', message: 'GetStock is not allowed for this caller' } },
      });
    }
  });

  it('answers 400 with the zod issues for invalid parameters', async () => {
    const response = await answer(event('GET', '/products/not a sku/stock'));
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect((response.body as { error: { issues: unknown[] } }).error.issues).toEqual([
      expect.objectContaining({ path: ['sku'] }),
    ]);
    expect(await answer(event('GET', '/products', { limit: ['1000'] }))).toMatchObject({
      status: 400,
      body: { error: { issues: [expect.objectContaining({ path: ['limit'] })] } },
    });
    expect(await answer({ version: '1.0' })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_EVENT' } },
    });
  });

  it('answers 404 for an unknown path and 405 with Allow for another method', async () => {
    expect(await answer(event('GET', '/orders'))).toMatchObject({ status: 404 });
    expect(await answer(event('DELETE', '/products'))).toMatchObject({
      status: 405,
      headers: { allow: 'GET' },
      body: { error: { code: 'METHOD_NOT_ALLOWED' } },
    });
  });

  it('maps use-case failures, and hides errors and answers outside the contract behind a 500', async () => {
    expect(await answer(event('GET', '/products', { nextToken: ['refused'] }))).toMatchObject({
      status: 400,
    });
    for (const token of ['broken', 'wrong-shape']) {
      const response = await answer(event('GET', '/products', { nextToken: [token] }));
      expect(response).toEqual({
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: { error: { code: 'INTERNAL_ERROR', message: 'The query failed' } },
      });
    }
  });
});
