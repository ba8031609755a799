import { ENVIRONMENT, MAX_ORDER_LINES, MAX_UNIT_PRICE_MINOR } from '@shop/contracts';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Inventory's REST handler as Lambda runs it, configured as its manifest says. Only requests
 * answered before any AWS call are sent: the body is validated before the route asks Cedar.
 */
let handler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv(ENVIRONMENT.tableName, 'inventory');
  vi.stubEnv(ENVIRONMENT.policyStoreId, 'inventory-policies');
  ({ handler } = await import('../../src/handlers/api.js'));
});

const putProduct = async (name: string, amountMinor = 5999) => {
  const response = await handler({
    httpMethod: 'PUT',
    path: '/admin/products/HOODIE-001',
    body: JSON.stringify({ name, unitPrice: { amountMinor, currency: 'EUR' }, available: 5 }),
    isBase64Encoded: false,
    queryStringParameters: null,
    requestContext: { authorizer: { sub: 'a-1', username: 'ada', groups: 'Admins' } },
  } as unknown as APIGatewayProxyEvent);
  return { status: response.statusCode, body: JSON.parse(response.body) as unknown };
};

describe('PUT /admin/products/{sku}', () => {
  it.each([
    ['U+FFFF', 'Hoodie\uffff'],
    ['a lone surrogate', 'Hoodie\ud800'],
  ])(
    'answers 400 with the zod issue for a name DynamoDB or SQS would refuse: %s',
    async (_, name) => {
      expect(await putProduct(name)).toEqual({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Invalid request',
            issues: [expect.objectContaining({ code: 'custom', path: ['name'] })],
          },
        },
      });
    },
  );

  it('answers 400 for a unit price over the highest, which would make order totals unsafe integers', async () => {
    expect(MAX_UNIT_PRICE_MINOR * MAX_ORDER_LINES * 1000).toBeLessThanOrEqual(
      Number.MAX_SAFE_INTEGER,
    );
    expect(await putProduct('Hoodie', MAX_UNIT_PRICE_MINOR + 1)).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          issues: [expect.objectContaining({ path: ['unitPrice', 'amountMinor'] })],
        },
      },
    });
  });
});
