import type { Logger } from '@aws-lambda-powertools/logger';
import { type CedarEntity, matchQueryPath } from '@shop/contracts';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import type { InvocationResult } from '../invocationHandler.js';
import { principalOf, type SignedInUser } from './identityTokens.js';

/** The largest request body an API accepts. */
export const MAX_BODY_BYTES = 64 * 1024;

/** What a route sees of one request. */
export interface ApiInput<B> {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: B;
  readonly user: SignedInUser;
  /** The user as a Cedar entity (`Shop::User` in its groups), for the Authorizer. */
  readonly principal: CedarEntity;
}

/** A route's answer: a status and a JSON body. */
export interface ApiAnswer {
  readonly status: number;
  readonly body?: unknown;
}

export interface ApiRoute {
  readonly method: string;
  /** A path template, e.g. `/orders/{orderId}`. */
  readonly path: string;
  readonly run: (event: APIGatewayProxyEvent, user: SignedInUser) => Promise<ApiAnswer>;
}

/** An error answer: `{ error: { code, message, issues? } }`, never a stack trace. */
export const problem = (
  status: number,
  code: string,
  message: string,
  issues?: unknown,
): ApiAnswer => ({
  status,
  body: { error: { code, message, ...(issues !== undefined && { issues }) } },
});

/**
 * The HTTP status of each failure code a service answers, e.g. `{ OUT_OF_STOCK: 409 }`.
 *
 * @example
 * ```ts
 * export const ORDER_FAILURE_STATUSES = { OUT_OF_STOCK: 409 } as const satisfies FailureStatuses;
 * ```
 */
export type FailureStatuses = Readonly<Record<string, number>>;

/** The codes any use case may fail with, whatever the service: their statuses are the same everywhere. */
const GENERIC_FAILURE_STATUSES: FailureStatuses = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  SERVICE_UNAVAILABLE: 503,
};

/**
 * A use case's result as an answer: its value with `status`, or its failure with the status its
 * code has in `statuses` (the service's own codes) or among the generic codes (VALIDATION_FAILED
 * 400, NOT_FOUND 404, SERVICE_UNAVAILABLE 503); any other code is 422.
 *
 * @example
 * ```ts
 * return answerOf(await placeOrderCommand(command), 201, ORDER_FAILURE_STATUSES);
 * ```
 */
export const answerOf = <T>(
  result: InvocationResult<T>,
  status = 200,
  statuses: FailureStatuses = {},
): ApiAnswer =>
  result.ok
    ? { status, body: result.value }
    : problem(
        statuses[result.error.code] ?? GENERIC_FAILURE_STATUSES[result.error.code] ?? 422,
        result.error.code,
        result.error.message,
        result.error.issues,
      );

/** 403 with nothing about the resource. */
export const forbidden = (): ApiAnswer =>
  problem(403, 'FORBIDDEN', 'You are not allowed to do this');

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/**
 * One route of a REST API: a method, a path template, the zod schema of its JSON body (400 with
 * the issues when it does not parse; `undefined` for no body) and the use case.
 *
 * @example
 * ```ts
 * endpoint('POST', '/orders/{orderId}/cancel', undefined, async ({ params, principal }) => cancel(params.orderId, principal));
 * ```
 */
export const endpoint = <S extends z.ZodType | undefined>(
  method: string,
  path: string,
  bodySchema: S,
  run: (input: ApiInput<S extends z.ZodType ? z.output<S> : undefined>) => Promise<ApiAnswer>,
): ApiRoute => ({
  method,
  path,
  run: async (event, user) => {
    let body: unknown;
    if (bodySchema !== undefined) {
      const json = parseJson(event.body ?? '');
      if (!json.ok) return problem(400, 'INVALID_JSON', 'The body is not JSON');
      const parsed = bodySchema.safeParse(json.value);
      if (!parsed.success) {
        return problem(400, 'VALIDATION_FAILED', 'Invalid request', parsed.error.issues);
      }
      body = parsed.data;
    }
    return run({
      params: matchQueryPath(path, event.path) ?? {},
      query: Object.fromEntries(
        Object.entries(event.queryStringParameters ?? {}).flatMap(([k, v]) =>
          v === undefined ? [] : [[k, v]],
        ),
      ),
      body: body as S extends z.ZodType ? z.output<S> : undefined,
      user,
      principal: principalOf(user),
    });
  },
});

const userOf = (event: APIGatewayProxyEvent): SignedInUser | undefined => {
  const context = event.requestContext.authorizer ?? {};
  const sub = context['sub'];
  if (typeof sub !== 'string' || sub === '') return undefined;
  const groups = String(context['groups'] ?? '');
  return {
    sub,
    username: String(context['username'] ?? sub),
    groups: groups === '' ? [] : groups.split(','),
  };
};

const respond = (answer: ApiAnswer, extra: Record<string, string> = {}): APIGatewayProxyResult => ({
  statusCode: answer.status,
  headers: { 'content-type': 'application/json', ...extra },
  body: answer.body === undefined ? '' : JSON.stringify(answer.body),
});

/**
 * The one function behind a service's REST API (a `{proxy+}` resource with a Lambda authorizer):
 * takes the signed-in user from the authorizer's context (401 without one), refuses bodies over
 * 64 KB (413), routes by method and path template (404 for an unknown path, 405 with `Allow`
 * for another method), and runs the route. The route asks the service's Authorizer (Cedar) and
 * answers 403 with nothing about the resource when it is denied. An error is logged and answered
 * 500 without details.
 *
 * @example
 * ```ts
 * export const handler = apiHandler([endpoint('GET', '/orders', undefined, listMine)], { logger });
 * ```
 */
export const apiHandler =
  (routes: readonly ApiRoute[], options: { readonly logger: Logger }) =>
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const user = userOf(event);
    if (user === undefined) return respond(problem(401, 'UNAUTHORIZED', 'Sign in first'));
    const size = Buffer.byteLength(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    if (size > MAX_BODY_BYTES) {
      return respond(problem(413, 'PAYLOAD_TOO_LARGE', `The body is over ${MAX_BODY_BYTES} bytes`));
    }
    const matching = routes.filter((route) => matchQueryPath(route.path, event.path) !== undefined);
    if (matching.length === 0) return respond(problem(404, 'NOT_FOUND', `No route ${event.path}`));
    const route = matching.find((candidate) => candidate.method === event.httpMethod);
    if (route === undefined) {
      return respond(
        problem(405, 'METHOD_NOT_ALLOWED', `${event.httpMethod} is not allowed here`),
        {
          allow: matching.map((candidate) => candidate.method).join(', '),
        },
      );
    }
    try {
      return respond(await route.run(event, user));
    } catch (error) {
      options.logger.error(`${route.method} ${route.path} failed`, { error });
      return respond(problem(500, 'INTERNAL_ERROR', 'Something went wrong'));
    }
  };
