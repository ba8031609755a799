import { DEAD_LETTER_REDRIVE_ROUTE, DEAD_LETTERS_ROUTE } from '@shop/contracts';
import type { ALBEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthorizationRequest, Authorizer } from '../src/authorization/Authorizer.js';
import { deadLetterRoutes, RECEIVES_EXHAUSTED } from '../src/http/deadLetterRedrive.js';
import type { SignedInUser } from '../src/http/signedInUser.js';
import { type StaffEntryChecks, staffHandler } from '../src/http/staffHandler.js';
import { Logger } from '../src/Logger.js';
import { InMemoryQueues } from './fakes.js';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/000000000000/payment-events';
const DEAD_LETTER_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/000000000000/payment-events-dlq';
const LONG_AGO = new Date(Date.now() - 60_000);
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

const USERS: Readonly<Record<string, SignedInUser>> = {
  ada: { sub: 'ada-sub', username: 'ada', groups: ['Admins'] },
  oscar: { sub: 'oscar-sub', username: 'oscar', groups: ['Operators'] },
  alice: { sub: 'alice-sub', username: 'alice', groups: ['RegularCustomers'] },
};

/** The staff entry's checks, in memory: the token is the username. */
const checks: StaffEntryChecks = {
  verifyStaffToken: async (token) => {
    const user = USERS[token];
    if (user === undefined) throw new Error('invalid token');
    return user;
  },
  verifyAccessContext: undefined,
};

/**
 * The services' dead-letter policies, in memory: Operators and Admins view a DLQ, Admins alone
 * redrive it. Every question is kept.
 */
class DeadLetterPolicies implements Authorizer {
  readonly asked: AuthorizationRequest[] = [];

  async isAuthorized(request: AuthorizationRequest): Promise<boolean> {
    this.asked.push(request);
    const principal = request.entities?.find(
      (entity) =>
        entity.uid.type === request.principal.type && entity.uid.id === request.principal.id,
    );
    const groups = new Set(principal?.parents.map((parent) => parent.id));
    if (request.resource.type !== 'Shop::DeadLetterQueue') return false;
    if (request.action === DEAD_LETTERS_ROUTE.action) {
      return groups.has('Operators') || groups.has('Admins');
    }
    return request.action === DEAD_LETTER_REDRIVE_ROUTE.action && groups.has('Admins');
  }
}

let queues: InMemoryQueues;
let policies: DeadLetterPolicies;
let handler: ReturnType<typeof staffHandler>;

beforeEach(() => {
  vi.stubEnv('QUEUE_URL', QUEUE_URL);
  vi.stubEnv('DEAD_LETTER_QUEUE_URL', DEAD_LETTER_QUEUE_URL);
  queues = new InMemoryQueues();
  policies = new DeadLetterPolicies();
  handler = staffHandler(deadLetterRoutes({ authorizer: policies, sqs: queues.client }), {
    logger,
    declared: { view: DEAD_LETTERS_ROUTE, redrive: DEAD_LETTER_REDRIVE_ROUTE },
    prefix: '/payment',
    checks,
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** A request of `username` as the staff load balancer passes it on. */
const request = async (
  username: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> => {
  const event: ALBEvent = {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:tg/payment-staff' } },
    httpMethod: method,
    path: `/payment${path}`,
    queryStringParameters: {},
    headers: {
      host: 'staff.shop.example.com',
      authorization: `Bearer ${username}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
  };
  const response = await handler(event);
  return { status: response.statusCode, body: JSON.parse(response.body ?? '{}') };
};

describe('deadLetterRoutes', () => {
  it('are the view and the redrive, the routes every service declares for its dead letters', () => {
    const routes = deadLetterRoutes({ authorizer: policies, sqs: queues.client });

    expect(routes.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'GET /admin/dead-letters',
      'POST /admin/dead-letters/redrive',
    ]);
  });

  it('show an Operator the dead letters with their reason, without consuming them', async () => {
    queues.put(DEAD_LETTER_QUEUE_URL, '{"not": "an event"', {
      sentAt: LONG_AGO,
      attributes: { ErrorMessage: { DataType: 'String', StringValue: 'not valid JSON' } },
    });
    queues.put(DEAD_LETTER_QUEUE_URL, '{"detail": {}}', { sentAt: LONG_AGO });

    const first = await request('oscar', 'GET', '/admin/dead-letters');
    const second = await request('oscar', 'GET', '/admin/dead-letters');

    expect(first).toEqual({
      status: 200,
      body: {
        approximateCount: 2,
        messages: [
          {
            messageId: 'message-1',
            sentAt: LONG_AGO.toISOString(),
            receiveCount: 1,
            reason: 'not valid JSON',
            body: '{"not": "an event"',
          },
          {
            messageId: 'message-2',
            sentAt: LONG_AGO.toISOString(),
            receiveCount: 1,
            reason: RECEIVES_EXHAUSTED,
            body: '{"detail": {}}',
          },
        ],
      },
    });
    expect(second.body['approximateCount']).toBe(2);
    expect(policies.asked[0]).toMatchObject({
      principal: { type: 'Shop::User', id: 'oscar-sub' },
      action: 'ViewDeadLetters',
      resource: { type: 'Shop::DeadLetterQueue', id: 'payment-events-dlq' },
    });
  });

  it("refuse an Operator's redrive with the service's 403 and leave the DLQ as it was", async () => {
    queues.put(DEAD_LETTER_QUEUE_URL, 'dead', { sentAt: LONG_AGO });

    const answer = await request('oscar', 'POST', '/admin/dead-letters/redrive', {});

    expect(answer).toEqual({
      status: 403,
      body: { error: { code: 'FORBIDDEN', message: expect.any(String) } },
    });
    expect(queues.bodies(DEAD_LETTER_QUEUE_URL)).toEqual(['dead']);
    expect(queues.bodies(QUEUE_URL)).toEqual([]);
  });

  it('refuse a customer both routes', async () => {
    expect((await request('alice', 'GET', '/admin/dead-letters')).status).toBe(403);
    expect((await request('alice', 'POST', '/admin/dead-letters/redrive', {})).status).toBe(403);
  });

  it("move an Admin's dead letters back to the service's queue with their attributes, emptying the DLQ", async () => {
    const attributes = { ErrorCode: { DataType: 'String', StringValue: 'MALFORMED_EVENT' } };
    for (let n = 0; n < 12; n++) {
      queues.put(DEAD_LETTER_QUEUE_URL, `dead-${n}`, { sentAt: LONG_AGO, attributes });
    }

    const answer = await request('ada', 'POST', '/admin/dead-letters/redrive', {});
    const after = await request('ada', 'GET', '/admin/dead-letters');

    expect(answer).toEqual({ status: 200, body: { moved: 12 } });
    expect(queues.bodies(QUEUE_URL)).toEqual(Array.from({ length: 12 }, (_, n) => `dead-${n}`));
    expect(after.body).toEqual({ approximateCount: 0, messages: [] });
    expect(policies.asked.at(0)).toMatchObject({
      action: 'RedriveDeadLetters',
      resource: { type: 'Shop::DeadLetterQueue', id: 'payment-events-dlq' },
    });
  });

  it('move at most `max` per call, and refuse a `max` out of bounds', async () => {
    for (let n = 0; n < 3; n++)
      queues.put(DEAD_LETTER_QUEUE_URL, `dead-${n}`, { sentAt: LONG_AGO });

    const some = await request('ada', 'POST', '/admin/dead-letters/redrive', { max: 2 });
    const tooMany = await request('ada', 'POST', '/admin/dead-letters/redrive', { max: 1001 });

    expect(some.body).toEqual({ moved: 2 });
    expect(queues.bodies(DEAD_LETTER_QUEUE_URL)).toEqual(['dead-2']);
    expect(tooMany.status).toBe(400);
  });

  it('leave a message that died after the redrive began where it is, visible at once', async () => {
    queues.put(DEAD_LETTER_QUEUE_URL, 'dead', { sentAt: LONG_AGO });
    queues.put(DEAD_LETTER_QUEUE_URL, 'dead again', { sentAt: new Date(Date.now() + 60_000) });

    const answer = await request('ada', 'POST', '/admin/dead-letters/redrive', {});
    const view = await request('oscar', 'GET', '/admin/dead-letters');

    expect(answer.body).toEqual({ moved: 1 });
    expect(queues.bodies(DEAD_LETTER_QUEUE_URL)).toEqual(['dead again']);
    expect(queues.bodies(QUEUE_URL)).toEqual(['dead']);
    expect(view.body).toMatchObject({
      approximateCount: 1,
      messages: [expect.objectContaining({ body: 'dead again' })],
    });
  });

  it('keep a dead letter whose move back failed in the DLQ', async () => {
    queues.put(DEAD_LETTER_QUEUE_URL, 'dead', { sentAt: LONG_AGO });
    queues.failWith('SendMessageBatchCommand', new Error('SQS is unreachable'));

    const answer = await request('ada', 'POST', '/admin/dead-letters/redrive', {});

    expect(answer.status).toBe(500);
    expect(queues.bodies(DEAD_LETTER_QUEUE_URL)).toEqual(['dead']);
  });
});
