import type { ALBEvent, ALBResult, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Logger } from '../Logger.js';
import { readConfig } from '../readConfig.js';
import { type ApiAnswer, jsonResponse, problem } from './answer.js';
import {
  type ApiRoute,
  assertDeclared,
  type HttpRequest,
  headersOf,
  serveRoute,
} from './apiHandler.js';
import { staffTokenVerifier } from './identityTokens.js';
import type { RouteTemplate } from './routeRequest.js';
import type { SignedInUser } from './signedInUser.js';
import {
  USER_CONTEXT_HEADER,
  userContextVerifier,
  type VerifiedAccessUser,
} from './verifiedAccessUserContext.js';

/** How a staff function knows its caller: two checks, each on its own. */
export interface StaffEntryChecks {
  /** Verifies the staff user pool's ID token of `Authorization`, of the API or the console client. */
  readonly verifyStaffToken: (token: string) => Promise<SignedInUser>;
  /**
   * Verifies the `x-amzn-ava-user-context` Verified Access added; `undefined` only where no
   * Verified Access stands in front of the load balancer (the local shop, until it has one).
   */
  readonly verifyAccessContext: ((jwt: string) => Promise<VerifiedAccessUser>) | undefined;
}

/** The environment of a staff function (ADR 0021). */
export const STAFF_ENTRY_ENVIRONMENT = {
  staffUserPoolId: 'STAFF_USER_POOL_ID',
  staffUserPoolClientId: 'STAFF_USER_POOL_CLIENT_ID',
  /** The console's public app client of the staff pool, whose tokens the pages send (ADR 0026). */
  staffConsoleClientId: 'STAFF_CONSOLE_CLIENT_ID',
  /** A non-Cognito issuer of staff tokens (the local staff pool). */
  tokenIssuer: 'STAFF_TOKEN_ISSUER',
  /** The instance whose user context is required; unset only with `VERIFIED_ACCESS_CONTEXT=unchecked`. */
  verifiedAccessInstanceArn: 'VERIFIED_ACCESS_INSTANCE_ARN',
  /** Where a key id's public key is, `<url>/<key id>`, in place of AWS's regional endpoint. */
  verifiedAccessPublicKeysUrl: 'VERIFIED_ACCESS_PUBLIC_KEYS_URL',
  /** `required` (the default, and always in AWS) or `unchecked`. */
  verifiedAccessContext: 'VERIFIED_ACCESS_CONTEXT',
} as const;

const E = STAFF_ENTRY_ENVIRONMENT;

/**
 * The checks of a staff function, from its environment: the staff pool's ID tokens, of its API
 * client (the tools) or of the console's client (the console's pages), and the Verified Access
 * user context of the instance it names. The context is required unless the environment says
 * `VERIFIED_ACCESS_CONTEXT=unchecked`, which only the local shop does.
 *
 * @throws {ConfigError} when a variable is missing, or the context is required and no instance is named.
 * @example
 * ```ts
 * export const handler = staffHandler(routes, { logger, declared, prefix: '/order', checks: staffEntryChecks() });
 * ```
 */
export const staffEntryChecks = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): StaffEntryChecks => {
  const config = readConfig(
    z
      .object({
        [E.staffUserPoolId]: z.string().check(z.minLength(1)),
        [E.staffUserPoolClientId]: z.string().check(z.minLength(1)),
        [E.staffConsoleClientId]: z.string().check(z.minLength(1)),
        [E.tokenIssuer]: z.optional(z.url()),
        [E.verifiedAccessInstanceArn]: z.optional(z.string().check(z.startsWith('arn:'))),
        [E.verifiedAccessPublicKeysUrl]: z.optional(z.url()),
        [E.verifiedAccessContext]: z._default(z.enum(['required', 'unchecked']), 'required'),
      })
      .check(
        z.refine(
          (c) =>
            c[E.verifiedAccessContext] === 'unchecked' ||
            c[E.verifiedAccessInstanceArn] !== undefined,
          { message: `${E.verifiedAccessInstanceArn} is required unless the context is unchecked` },
        ),
      ),
    env,
  );
  const instanceArn = config[E.verifiedAccessInstanceArn];
  const keysUrl = config[E.verifiedAccessPublicKeysUrl];
  return {
    verifyStaffToken: staffTokenVerifier({
      userPoolId: config[E.staffUserPoolId],
      clientId: [config[E.staffUserPoolClientId], config[E.staffConsoleClientId]],
      issuer: config[E.tokenIssuer],
    }),
    verifyAccessContext:
      config[E.verifiedAccessContext] === 'unchecked' || instanceArn === undefined
        ? undefined
        : userContextVerifier({
            signer: instanceArn,
            ...(keysUrl !== undefined && { publicKeysUrl: keysUrl }),
          }),
  };
};

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
};

/** An answer as the load balancer takes it from a Lambda target. */
const albResponse = (answer: ApiAnswer, headers: Readonly<Record<string, string>> = {}) => ({
  ...jsonResponse(answer, headers),
  statusDescription: `${answer.status} ${STATUS_TEXT[answer.status] ?? ''}`.trim(),
  isBase64Encoded: false,
});

/** The query string's parameters, decoded: the load balancer passes them as the client sent them. */
const queryOf = (event: ALBEvent): Readonly<Record<string, string>> | undefined => {
  const raw = Object.entries(event.multiValueQueryStringParameters ?? {}).flatMap(([k, vs]) => {
    const last = vs?.at(-1);
    return last === undefined ? [] : [[k, last] as const];
  });
  const single = Object.entries(event.queryStringParameters ?? {}).flatMap(([k, v]) =>
    v === undefined ? [] : [[k, v] as const],
  );
  const plus = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
  try {
    return Object.fromEntries([...single, ...raw].map(([k, v]) => [plus(k), plus(v)]));
  } catch {
    return undefined;
  }
};

const bearerOf = (headers: Readonly<Record<string, string>>): string | undefined =>
  headers['authorization']?.replace(/^Bearer\s+/i, '').trim() || undefined;

/**
 * Who the caller is when both checks agree: the staff pool's ID token of `Authorization`, and,
 * wherever Verified Access stands in front, its user context naming the same user; otherwise
 * `undefined`. For a Lambda target of the staff load balancer that is not a `staffHandler`.
 *
 * @example
 * ```ts
 * const user = await staffCallerOf(staffEntryChecks(), headersOf(event));
 * if (user === undefined) return unauthorized;
 * ```
 */
export const staffCallerOf = async (
  checks: StaffEntryChecks,
  headers: Readonly<Record<string, string>>,
): Promise<SignedInUser | undefined> => {
  const token = bearerOf(headers);
  if (token === undefined) return undefined;
  let user: SignedInUser;
  try {
    user = await checks.verifyStaffToken(token);
  } catch {
    return undefined;
  }
  if (checks.verifyAccessContext === undefined) return user;
  const context = headers[USER_CONTEXT_HEADER];
  if (context === undefined) return undefined;
  try {
    const verified = await checks.verifyAccessContext(context);
    return verified.sub === user.sub ? user : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The one function behind a service's staff routes, a Lambda target of the staff load balancer
 * behind Verified Access (ADR 0021). It reads the load balancer's events (the query string
 * decoded here, as the load balancer passes it encoded) under its service's path prefix, which
 * it removes (`/order/admin/orders` is the route `/admin/orders`; anything else is 404). It
 * lets a request in only when two independent checks agree: the staff user pool's ID token of
 * `Authorization`, and, wherever Verified Access stands in front, the signed
 * `x-amzn-ava-user-context` naming the same user; otherwise 401. Then, as the REST API does:
 * 413, 404, 405, the route (which asks the service's Cedar policies), 500 without details.
 *
 * @throws {UndeclaredRoutesError} when a route is served but not declared, or declared but not served.
 * @example
 * ```ts
 * export const handler = staffHandler([endpoint(routes.listAllOrders, undefined, listAll)], {
 *   logger,
 *   declared: orderService.functions.staff.routes,
 *   prefix: '/order',
 *   checks: staffEntryChecks(),
 * });
 * ```
 */
export const staffHandler = (
  routes: readonly ApiRoute[],
  options: {
    readonly logger: Logger;
    /** The routes the service's manifest declares for its staff function. */
    readonly declared: Readonly<Record<string, RouteTemplate>>;
    /** The service's path prefix on the staff load balancer, e.g. `/order`. */
    readonly prefix: `/${string}`;
    readonly checks: StaffEntryChecks;
  },
) => {
  assertDeclared(routes, options.declared);
  return async (event: ALBEvent, context?: Context): Promise<ALBResult> => {
    if (!event.path.startsWith(`${options.prefix}/`)) {
      return albResponse(problem(404, 'NOT_FOUND', `No route ${event.path}`));
    }
    const headers = headersOf(event);
    const user = await staffCallerOf(options.checks, headers);
    if (user === undefined) return albResponse(problem(401, 'UNAUTHORIZED', 'Sign in first'));
    const query = queryOf(event);
    if (query === undefined) {
      return albResponse(problem(400, 'VALIDATION_FAILED', 'The query string is not URL-encoded'));
    }
    const request: HttpRequest = {
      method: event.httpMethod,
      path: event.path.slice(options.prefix.length),
      body:
        event.isBase64Encoded && event.body !== null
          ? Buffer.from(event.body, 'base64').toString('utf8')
          : event.body,
      isBase64Encoded: false,
      headers,
      query,
    };
    const served = await serveRoute(routes, request, user, options.logger, context);
    return albResponse(served.answer, served.headers);
  };
};
