import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENVIRONMENT, MAX_ORDER_LINES, MAX_UNIT_PRICE_MINOR } from '@shop/contracts';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Inventory's staff handler as Lambda runs it, configured as its manifest says, with a staff
 * pool of its own (a key and its JWKS on 127.0.0.1) and without Verified Access in front (its
 * context is `staffHandler`'s to check, and tested there). Only requests answered before any
 * AWS call are sent: the body is validated before the route asks Cedar.
 */
let handler: (event: ALBEvent) => Promise<ALBResult>;

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = randomUUID();
const POOL = { userPoolId: 'eu-west-1_staff', clientId: 'staff-client' };
let server: Server;
let issuer = '';

/** An ID token of the staff pool, as it issues one to an Admin. */
const adminToken = (): string => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: 'a-1',
    'cognito:username': 'ada',
    'cognito:groups': ['Admins'],
    iss: issuer,
    aud: POOL.clientId,
    token_use: 'id',
    iat: now,
    auth_time: now,
    exp: now + 3600,
  };
  const unsigned = `${part({ kid, alg: 'RS256' })}.${part(claims)}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
};

beforeAll(async () => {
  server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${POOL.userPoolId}`;
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv(ENVIRONMENT.tableName, 'inventory');
  vi.stubEnv(ENVIRONMENT.policyStoreId, 'inventory-policies');
  vi.stubEnv(ENVIRONMENT.staffUserPoolId, POOL.userPoolId);
  vi.stubEnv(ENVIRONMENT.staffUserPoolClientId, POOL.clientId);
  vi.stubEnv(ENVIRONMENT.staffConsoleClientId, 'console-client');
  vi.stubEnv('STAFF_TOKEN_ISSUER', issuer);
  vi.stubEnv('VERIFIED_ACCESS_CONTEXT', 'unchecked');
  ({ handler } = await import('../../src/handlers/staff.js'));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const putProduct = async (name: string, amountMinor = 5999) => {
  const response = await handler({
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:tg/inventory-staff' } },
    httpMethod: 'PUT',
    path: '/inventory/admin/products/HOODIE-001',
    headers: { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, unitPrice: { amountMinor, currency: 'EUR' }, available: 5 }),
    isBase64Encoded: false,
    queryStringParameters: {},
  });
  return { status: response.statusCode, body: JSON.parse(response.body ?? '') as unknown };
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
