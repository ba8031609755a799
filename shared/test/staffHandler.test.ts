import type { ALBEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { endpoint, forbidden } from '../src/http/apiHandler.js';
import type { SignedInUser } from '../src/http/signedInUser.js';
import { type StaffEntryChecks, staffEntryChecks, staffHandler } from '../src/http/staffHandler.js';
import { Logger } from '../src/Logger.js';
import { ConfigError } from '../src/readConfig.js';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const ROUTES = {
  listAllOrders: { method: 'GET', path: '/admin/orders' },
  setStock: { method: 'PUT', path: '/admin/products/{sku}/stock' },
} as const;

const USERS: Readonly<Record<string, SignedInUser>> = {
  'token-ada': { sub: 'ada-sub', username: 'ada', groups: ['Admins'] },
  'token-oscar': { sub: 'oscar-sub', username: 'oscar', groups: ['Operators'] },
};

/** The two checks, in memory: a token or context names a user, or is refused. */
const checks = (verifiedAccess: 'required' | 'unchecked'): StaffEntryChecks => ({
  verifyStaffToken: async (token) => {
    const user = USERS[token];
    if (user === undefined) throw new Error('invalid token');
    return user;
  },
  verifyAccessContext:
    verifiedAccess === 'unchecked'
      ? undefined
      : async (jwt) => {
          if (!jwt.startsWith('context-of-')) throw new Error('invalid context');
          return { sub: jwt.slice('context-of-'.length), email: undefined, groups: [], claims: {} };
        },
});

const handlerWith = (verifiedAccess: 'required' | 'unchecked') =>
  staffHandler(
    [
      endpoint(ROUTES.listAllOrders, undefined, async ({ query, user, principal }) =>
        user.groups.includes('Admins')
          ? { status: 200, body: { query, by: user.username, principal: principal.uid } }
          : forbidden(),
      ),
      endpoint(ROUTES.setStock, z.object({ onHand: z.int().min(0) }), async ({ params, body }) => ({
        status: 200,
        body: { sku: params['sku'], ...body },
      })),
    ],
    { logger, declared: ROUTES, prefix: '/order', checks: checks(verifiedAccess) },
  );

/** A request as the load balancer passes it to a Lambda target (multi-value headers off). */
const albEvent = (
  method: string,
  path: string,
  headers: Record<string, string>,
  extra: Partial<ALBEvent> = {},
): ALBEvent => ({
  requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:tg/order-staff' } },
  httpMethod: method,
  path,
  queryStringParameters: {},
  headers: { host: 'staff.shop.example.com', ...headers },
  body: null,
  isBase64Encoded: false,
  ...extra,
});

const both = { authorization: 'Bearer token-ada', 'x-amzn-ava-user-context': 'context-of-ada-sub' };

describe('staffHandler', () => {
  const handler = handlerWith('required');

  it('serves a route under its prefix when the staff token and the Verified Access context agree', async () => {
    const response = await handler(
      albEvent('GET', '/order/admin/orders', both, {
        queryStringParameters: { limit: '10', nextToken: 'a%2Bb%3D%3D' },
      }),
    );
    expect(response).toMatchObject({
      statusCode: 200,
      statusDescription: '200 OK',
      isBase64Encoded: false,
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.parse(response.body ?? '')).toEqual({
      query: { limit: '10', nextToken: 'a+b==' },
      by: 'ada',
      principal: { type: 'Shop::User', id: 'ada-sub' },
    });
  });

  it.each([
    ['without a token', { 'x-amzn-ava-user-context': 'context-of-ada-sub' }],
    ['with an invalid token', { ...both, authorization: 'Bearer forged' }],
    ['without the Verified Access context', { authorization: 'Bearer token-ada' }],
    ['with an invalid context', { ...both, 'x-amzn-ava-user-context': 'forged' }],
    ['with the context of another user', { ...both, authorization: 'Bearer token-oscar' }],
  ])('answers 401 %s', async (_, headers) => {
    const response = await handler(albEvent('GET', '/order/admin/orders', headers));
    expect(response.statusCode).toBe(401);
    expect(response.statusDescription).toBe('401 Unauthorized');
  });

  it('leaves the Verified Access context unchecked only where it is configured so', async () => {
    const local = handlerWith('unchecked');
    const response = await local(
      albEvent('GET', '/order/admin/orders', { authorization: 'Bearer token-ada' }),
    );
    expect(response.statusCode).toBe(200);
  });

  it('reads a body the load balancer base64-encoded, and the route asks its own question', async () => {
    const body = Buffer.from(JSON.stringify({ onHand: 7 })).toString('base64');
    const response = await handler(
      albEvent('PUT', '/order/admin/products/MUG-001/stock', both, { body, isBase64Encoded: true }),
    );
    expect(JSON.parse(response.body ?? '')).toEqual({ sku: 'MUG-001', onHand: 7 });
    const operator = await handler(
      albEvent('GET', '/order/admin/orders', {
        authorization: 'Bearer token-oscar',
        'x-amzn-ava-user-context': 'context-of-oscar-sub',
      }),
    );
    expect(operator.statusCode).toBe(403);
  });

  it.each([
    ['a path outside its prefix', 'GET', '/inventory/admin/orders', 404],
    ['its prefix without the slash', 'GET', '/orderadmin/orders', 404],
    ['an unknown route', 'GET', '/order/admin/nothing', 404],
    ['another method', 'DELETE', '/order/admin/orders', 405],
  ])('answers %s with %s', async (_, method, path, status) => {
    expect((await handler(albEvent(method, path, both))).statusCode).toBe(status);
  });

  it('answers 400 to a query string that is not URL-encoded', async () => {
    const response = await handler(
      albEvent('GET', '/order/admin/orders', both, {
        queryStringParameters: { limit: '%E0%A4%A' },
      }),
    );
    expect(response.statusCode).toBe(400);
  });
});

describe('staffEntryChecks', () => {
  const pool = {
    STAFF_USER_POOL_ID: 'eu-west-1_staff',
    STAFF_USER_POOL_CLIENT_ID: 'client',
    STAFF_CONSOLE_CLIENT_ID: 'console-client',
  };

  it('requires the Verified Access context, and so its instance, by default', () => {
    expect(() => staffEntryChecks(pool)).toThrow(ConfigError);
    const checks = staffEntryChecks({
      ...pool,
      VERIFIED_ACCESS_INSTANCE_ARN:
        'arn:aws:ec2:eu-west-1:111122223333:verified-access-instance/vai-1',
    });
    expect(checks.verifyAccessContext).toBeTypeOf('function');
  });

  it('leaves it unchecked only when the environment says so', () => {
    expect(
      staffEntryChecks({ ...pool, VERIFIED_ACCESS_CONTEXT: 'unchecked' }).verifyAccessContext,
    ).toBeUndefined();
    expect(() => staffEntryChecks({ ...pool, VERIFIED_ACCESS_CONTEXT: 'off' })).toThrow(
      ConfigError,
    );
  });
});
