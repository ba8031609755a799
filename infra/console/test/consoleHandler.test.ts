import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHOP_LOG_GROUPS } from '@shop/contracts';
import { Logger, type StaffEntryChecks } from '@shop/shared';
import type { ALBEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConsoleReads, LogEvent } from '../src/app/ConsoleReads.js';
import { consoleHandler } from '../src/consoleHandler.js';
import type { ServiceMap } from '../src/map/ServiceMap.js';
import map from '../src/map/serviceMap.json' with { type: 'json' };

const STAFF = { sub: 'sub-oscar', username: 'oscar', groups: ['Operators'] };

/** The staff entry's two checks: a token `staff-token` of oscar, and a context naming `ctx-<sub>`. */
const checks: StaffEntryChecks = {
  verifyStaffToken: async (token) => {
    if (token !== 'staff-token') throw new Error('not a staff token');
    return STAFF;
  },
  verifyAccessContext: async (jwt) => {
    if (!jwt.startsWith('ctx-')) throw new Error('not signed');
    return { sub: jwt.slice(4), email: undefined, groups: [], claims: {} };
  },
};

/** An in-memory account: queue counts and log groups, and every filter asked of them. */
const fakeReads = (groups: Record<string, LogEvent[]>) => {
  const filters: { group: string; pattern: string | undefined }[] = [];
  const reads: ConsoleReads = {
    queueCounts: async (names) =>
      Object.fromEntries(names.map((name, i) => [name, { waiting: i, inFlight: 0 }])),
    filterLogEvents: async (group, filter) => {
      filters.push({ group, pattern: filter.pattern });
      return groups[group] ?? [];
    },
  };
  return { reads, filters };
};

const assets = mkdtempSync(join(tmpdir(), 'console-assets-'));
writeFileSync(join(assets, 'index.html'), '<!doctype html><title>console</title>');
afterAll(() => rmSync(assets, { recursive: true, force: true }));

const event = (
  path: string,
  headers: Record<string, string> = {},
  query: Record<string, string> = {},
): ALBEvent => ({
  requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:::targetgroup/console' } },
  httpMethod: 'GET',
  path,
  headers,
  queryStringParameters: query,
  body: null,
  isBase64Encoded: false,
});

const SIGN_IN = {
  managedLoginUrl: 'https://shop-staff.auth.eu-west-1.amazoncognito.com',
  clientId: 'console-client',
};

const signedIn = {
  authorization: 'Bearer staff-token',
  'x-amzn-ava-user-context': 'ctx-sub-oscar',
};

const handlerWith = (reads: ConsoleReads) =>
  consoleHandler({
    logger: new Logger({ logLevel: 'SILENT' }),
    checks,
    reads,
    map: map as ServiceMap,
    assets: pathToFileURL(`${assets}/`),
    signIn: SIGN_IN,
    now: () => new Date('2026-11-29T10:00:00.000Z'),
  });

describe('consoleHandler', () => {
  it('answers the map with every queue’s counts to a member of staff both checks agree on', async () => {
    const handler = handlerWith(fakeReads({}).reads);
    const answer = await handler(event('/console/api/map', signedIn));
    expect(answer.statusCode).toBe(200);
    const body = JSON.parse(answer.body ?? '{}');
    expect(Object.keys(body.counts)).toHaveLength((map as ServiceMap).queues.length);
  });

  it('refuses a request without the staff token, with another user’s context, or a token only in a cookie to the API', async () => {
    const handler = handlerWith(fakeReads({}).reads);
    const refused = [
      event('/console/api/map', { 'x-amzn-ava-user-context': 'ctx-sub-oscar' }),
      event('/console/api/map', { ...signedIn, 'x-amzn-ava-user-context': 'ctx-sub-ada' }),
      event('/console/api/map', {
        authorization: 'Bearer customer-token',
        'x-amzn-ava-user-context': 'ctx-sub-oscar',
      }),
      event('/console/api/map', {
        cookie: 'id_token=staff-token',
        'x-amzn-ava-user-context': 'ctx-sub-oscar',
      }),
    ];
    for (const request of refused) {
      const answer = await handler(request);
      expect(answer.statusCode).toBe(401);
      expect(answer.body).not.toContain('queues');
    }
  });

  it('serves the pages, their callback and their sign-in configuration to a navigation Verified Access let in, without a token', async () => {
    const handler = handlerWith(fakeReads({}).reads);
    const navigation = { 'x-amzn-ava-user-context': 'ctx-sub-oscar' };
    const page = await handler(event('/console/', navigation));
    const callback = await handler(event('/console/callback', navigation, { code: 'c' }));
    const config = await handler(event('/console/sign-in.json', navigation));

    expect(page.statusCode).toBe(200);
    expect(page.headers?.['content-type']).toContain('text/html');
    expect(page.body).toContain('<title>console</title>');
    expect(page.headers?.['content-security-policy']).toContain(
      "connect-src 'self' https://shop-staff.auth.eu-west-1.amazoncognito.com;",
    );
    expect(callback.body).toBe(page.body);
    expect(JSON.parse(config.body ?? '{}')).toEqual(SIGN_IN);
    expect((await handler(event('/console/../package.json', signedIn))).statusCode).toBe(404);
  });

  it('serves no page to a request Verified Access did not sign', async () => {
    const handler = handlerWith(fakeReads({}).reads);
    for (const headers of [
      {},
      { 'x-amzn-ava-user-context': 'forged' },
      { cookie: 'id_token=staff-token' },
    ]) {
      const page = await handler(event('/console/', headers));
      expect(page.statusCode).toBe(401);
      expect(page.body).not.toContain('console</title>');
      expect((await handler(event('/console/sign-in.json', headers))).body).not.toContain(
        SIGN_IN.clientId,
      );
    }
  });

  it('reads an order’s timeline with one filter on the order id of the events’ data', async () => {
    const orderId = '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10';
    const { reads, filters } = fakeReads({});
    const answer = await handlerWith(reads)(event('/console/api/timeline', signedIn, { orderId }));
    expect(answer.statusCode).toBe(200);
    expect(filters).toEqual([
      { group: SHOP_LOG_GROUPS.audit, pattern: `{ $.detail.data.orderId = "${orderId}" }` },
    ]);
    const bad = await handlerWith(reads)(
      event('/console/api/timeline', signedIn, { orderId: encodeURIComponent('" } || { $.x = "') }),
    );
    expect(bad.statusCode).toBe(400);
    expect(filters).toHaveLength(1);
  });

  it('answers the latest decisions of every decision log, newest first', async () => {
    const decision = (at: string, decision: string) => ({
      timestamp: Date.parse(at),
      message: JSON.stringify({
        kind: 'iam',
        decision,
        principal: 'p',
        action: 'a',
        resource: 'r',
        policies: ['s'],
        reason: 'x',
        at,
      }),
    });
    const { reads } = fakeReads({
      '/shop/decisions/iam': [decision('2026-11-29T09:59:00.000Z', 'Allow')],
      '/shop/decisions/verified-access': [
        decision('2026-11-29T09:59:30.000Z', 'Deny'),
        { timestamp: 0, message: 'noise' },
      ],
    });
    const answer = await handlerWith(reads)(event('/console/api/decisions', signedIn));
    const body = JSON.parse(answer.body ?? '{}');
    expect(
      body.decisions.map((d: { decision: string; logGroup: string }) => [d.decision, d.logGroup]),
    ).toEqual([
      ['Deny', '/shop/decisions/verified-access'],
      ['Allow', '/shop/decisions/iam'],
    ]);
  });

  it('answers 404 outside its prefix and 405 to anything but a read', async () => {
    const handler = handlerWith(fakeReads({}).reads);
    expect((await handler(event('/order/admin/orders', signedIn))).statusCode).toBe(404);
    expect(
      (await handler({ ...event('/console/api/map', signedIn), httpMethod: 'POST' })).statusCode,
    ).toBe(405);
  });
});
