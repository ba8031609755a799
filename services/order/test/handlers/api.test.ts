import { ENVIRONMENT, MAX_ORDER_LINES, queriesUrlVariable } from '@shop/contracts';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Order's REST handler as Lambda runs it, configured as its manifest says. Only requests that are
 * answered before any AWS call are sent: the body is validated before the route asks Cedar.
 */
let handler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv(ENVIRONMENT.tableName, 'order');
  vi.stubEnv(ENVIRONMENT.idempotencyTableName, 'order-idempotency');
  vi.stubEnv(ENVIRONMENT.policyStoreId, 'order-policies');
  vi.stubEnv(queriesUrlVariable('inventory'), 'https://inventory.lattice.invalid');
  vi.stubEnv(queriesUrlVariable('payment'), 'https://payment.lattice.invalid');
  ({ handler } = await import('../../src/handlers/api.js'));
});

const placeOrder = async (body: string, headers: Record<string, string> = {}) => {
  const response = await handler({
    httpMethod: 'POST',
    path: '/orders',
    headers,
    body,
    isBase64Encoded: false,
    queryStringParameters: null,
    requestContext: { authorizer: { sub: 'c-1', username: 'alice', groups: 'RegularCustomers' } },
  } as unknown as APIGatewayProxyEvent);
  return { status: response.statusCode, body: JSON.parse(response.body) as unknown };
};

const line = { sku: 'MUG-001', quantity: 1 };

describe('POST /orders', () => {
  it.each([
    ['U+FFFF', JSON.stringify({ lines: [line], paymentToken: 'tok_success\uffff' }), 'U+FFFF'],
    ['U+0008', JSON.stringify({ lines: [line], paymentToken: 'tok_\u0008success' }), 'U+0008'],
    [
      'a lone surrogate',
      `{"lines":[{"sku":"MUG-001","quantity":1}],"paymentToken":"tok_\\ud800"}`,
      'U+D800',
    ],
  ])(
    'answers 400 with the zod issue for a payment token SQS would refuse: %s',
    async (_, body, named) => {
      expect(await placeOrder(body)).toEqual({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Invalid request',
            issues: [expect.objectContaining({ code: 'custom', path: ['paymentToken'] })],
          },
        },
      });
      expect(JSON.stringify(await placeOrder(body))).toContain(named);
    },
  );

  it(`answers 400 for more than ${MAX_ORDER_LINES} lines`, async () => {
    const lines = Array.from({ length: MAX_ORDER_LINES + 1 }, () => line);

    expect(await placeOrder(JSON.stringify({ lines, paymentToken: 'tok_success' }))).toMatchObject({
      status: 400,
      body: { error: { issues: [expect.objectContaining({ code: 'too_big', path: ['lines'] })] } },
    });
  });

  it('answers 400 for more than 1000 units of one product over several lines, which no event could carry', async () => {
    const lines = [
      { sku: 'MUG-001', quantity: 1000 },
      { sku: 'TEE-001', quantity: 1000 },
      { sku: 'MUG-001', quantity: 2 },
    ];

    expect(await placeOrder(JSON.stringify({ lines, paymentToken: 'tok_success' }))).toMatchObject({
      status: 400,
      body: {
        error: {
          issues: [
            expect.objectContaining({
              code: 'custom',
              path: ['lines'],
              message: "1002 units of MUG-001 in all: one product's units are at most 1000",
            }),
          ],
        },
      },
    });
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(65)],
    ['with a space', 'key 1'],
    ['sent twice', 'key-1, key-2'],
  ])('answers 400 with the zod issue for an Idempotency-Key %s', async (_, key) => {
    const body = JSON.stringify({ lines: [line], paymentToken: 'tok_success' });

    expect(await placeOrder(body, { 'Idempotency-Key': key })).toEqual({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Invalid headers',
          issues: [
            expect.objectContaining({
              code: 'invalid_format',
              path: ['idempotency-key'],
              message: expect.stringContaining('1 to 64 letters, digits, - or _'),
            }),
          ],
        },
      },
    });
  });
});
