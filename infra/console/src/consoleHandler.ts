import { readFile } from 'node:fs/promises';
import type { Logger } from '@shop/shared';
import { headersOf, type StaffEntryChecks, staffCallerOf, USER_CONTEXT_HEADER } from '@shop/shared';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import type { ConsoleReads } from './app/ConsoleReads.js';
import {
  mapWithCounts,
  ORDER_ID_PATTERN,
  recentDecisions,
  timelineOf,
} from './app/consoleQueries.js';
import type { ServiceMap } from './map/ServiceMap.js';

/** The console's path prefix on the staff load balancer. */
export const CONSOLE_PREFIX = '/console';

/** How far back the decisions page looks. */
const DECISION_WINDOW_MS = 15 * 60_000;
const DECISION_LIMIT = 100;

/** Where the pages sign in (ADR 0026): the staff pool's managed login and the console's client. */
export interface ConsoleSignIn {
  /** The managed login's origin, e.g. `https://shop-staff.auth.eu-west-1.amazoncognito.com`. */
  readonly managedLoginUrl: string;
  /** The console's public app client of the staff pool. */
  readonly clientId: string;
}

/** The pages' sign-in configuration, read by the pages before they sign in. */
const SIGN_IN_ROUTE = 'sign-in.json';
/** Where the managed login sends the pages back with a code: the console's page again. */
const CALLBACK_ROUTE = 'callback';

/** The pages may talk to the console and the shop's APIs, and to the managed login's token endpoint. */
const securityHeaders = (managedLoginOrigin: string) => ({
  'content-security-policy': `default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self' ${managedLoginOrigin}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
});

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  json: 'application/json',
};

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

/** Whether Verified Access let the request in: its user context verifies (where it stands). */
const throughVerifiedAccess = async (
  checks: StaffEntryChecks,
  headers: Readonly<Record<string, string>>,
): Promise<boolean> => {
  if (checks.verifyAccessContext === undefined) return true;
  const context = headers[USER_CONTEXT_HEADER];
  if (context === undefined) return false;
  try {
    await checks.verifyAccessContext(context);
    return true;
  } catch {
    return false;
  }
};

/**
 * The console function, a Lambda target of the staff load balancer under `/console/` (ADR
 * 0025). Its reads answer only when the staff entry's two checks agree (the staff pool's ID
 * token of `Authorization`, and the Verified Access user context naming the same user), as the
 * staff functions do. Its pages hold no data and sign in themselves (ADR 0026): they, their
 * callback (`/console/callback`, the page again) and their sign-in configuration
 * (`/console/sign-in.json`: the managed login's URL and the console's client id) are served to
 * any request Verified Access let in (its user context verifies), whose navigation carries
 * Verified Access's session, not a token; their CSP lets them reach the managed login's origin.
 * The reads go through the public AWS APIs its role may call and nothing else:
 * `GET /console/api/map` (the map with its queues' counts), `GET /console/api/timeline?orderId=`
 * (the order's saga from the bus's audit log) and `GET /console/api/decisions`.
 *
 * @example
 * ```ts
 * export const handler = consoleHandler({ logger, checks: staffEntryChecks(), reads, map, assets, signIn });
 * ```
 */
export const consoleHandler = (props: {
  readonly logger: Logger;
  readonly checks: StaffEntryChecks;
  readonly reads: ConsoleReads;
  readonly map: ServiceMap;
  /** The folder of the built pages (`dist/web`). */
  readonly assets: URL;
  readonly signIn: ConsoleSignIn;
  readonly now?: () => Date;
}) => {
  const now = props.now ?? (() => new Date());
  const headersOfAnswers = securityHeaders(new URL(props.signIn.managedLoginUrl).origin);
  const respond = (
    statusCode: number,
    body: string,
    contentType = 'application/json',
  ): ALBResult => ({
    statusCode,
    statusDescription: `${statusCode} ${STATUS_TEXT[statusCode] ?? ''}`.trim(),
    headers: { ...headersOfAnswers, 'content-type': contentType },
    body,
    isBase64Encoded: false,
  });
  const json = (statusCode: number, value: unknown) => respond(statusCode, JSON.stringify(value));
  const problem = (statusCode: number, code: string, message: string) =>
    json(statusCode, { error: { code, message } });
  const asset = async (name: string): Promise<ALBResult> => {
    if (!/^(assets\/)?[A-Za-z0-9_.-]+$/.test(name) || name.includes('..')) {
      return problem(404, 'NOT_FOUND', `No page ${name}`);
    }
    try {
      const body = await readFile(new URL(name, props.assets), 'utf8');
      return respond(200, body, CONTENT_TYPES[name.split('.').at(-1) ?? ''] ?? 'text/plain');
    } catch {
      return problem(404, 'NOT_FOUND', `No page ${name}`);
    }
  };
  const api = async (route: string, event: ALBEvent): Promise<ALBResult> => {
    switch (route) {
      case 'map':
        return json(200, await mapWithCounts(props.reads, props.map, now));
      case 'timeline': {
        const orderId = decodeURIComponent(event.queryStringParameters?.['orderId'] ?? '');
        if (!ORDER_ID_PATTERN.test(orderId)) {
          return problem(400, 'VALIDATION_FAILED', 'orderId must be an order id');
        }
        return json(200, await timelineOf(props.reads, props.map, orderId));
      }
      case 'decisions':
        return json(200, {
          decisions: await recentDecisions(props.reads, {
            limit: DECISION_LIMIT,
            since: now().getTime() - DECISION_WINDOW_MS,
          }),
        });
      default:
        return problem(404, 'NOT_FOUND', `No route ${event.path}`);
    }
  };
  return async (event: ALBEvent): Promise<ALBResult> => {
    if (event.path !== CONSOLE_PREFIX && !event.path.startsWith(`${CONSOLE_PREFIX}/`)) {
      return problem(404, 'NOT_FOUND', `No route ${event.path}`);
    }
    const route = event.path.slice(CONSOLE_PREFIX.length).replace(/^\//, '');
    const isApi = route.startsWith('api/');
    const headers = headersOf(event);
    const allowed = isApi
      ? (await staffCallerOf(props.checks, headers)) !== undefined
      : await throughVerifiedAccess(props.checks, headers);
    if (!allowed) return problem(401, 'UNAUTHORIZED', 'Sign in first');
    if (event.httpMethod !== 'GET') return problem(405, 'METHOD_NOT_ALLOWED', 'Read only');
    try {
      if (isApi) return await api(route.slice('api/'.length), event);
      if (route === SIGN_IN_ROUTE) return json(200, props.signIn);
      return await asset(route === '' || route === CALLBACK_ROUTE ? 'index.html' : route);
    } catch (error) {
      props.logger.error('The console could not answer', { path: event.path, error });
      return problem(500, 'INTERNAL', 'The console could not answer');
    }
  };
};
