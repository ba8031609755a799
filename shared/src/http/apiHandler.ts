import type { CedarEntity } from '@shop/contracts';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Logger } from '../Logger.js';
import { type ApiAnswer, jsonResponse, problem } from './answer.js';
import { type RouteTemplate, routeRequest } from './routeRequest.js';
import { principalOf, type SignedInUser } from './signedInUser.js';

/** The largest request body an API accepts. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A request's headers by lower-case name; one sent more than once has its values joined with `, `. */
export type RequestHeaders = Readonly<Record<string, string>>;

/** What a route sees of one request. */
export interface ApiInput<B, H = RequestHeaders> {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: B;
  /** Every header, or those its route's headers schema parsed. */
  readonly headers: H;
  readonly user: SignedInUser;
  /** The user as a Cedar entity (`Shop::User` in its groups), for the Authorizer. */
  readonly principal: CedarEntity;
  /** The invocation's context when Lambda gave one: its deadline is the request's. */
  readonly lambdaContext: Context | undefined;
}

/** One request as a route reads it, whether API Gateway or a load balancer carried it. */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
  readonly headers: RequestHeaders;
  /** The query string's parameters, decoded. */
  readonly query: Readonly<Record<string, string>>;
}

/** One route of a REST API, as {@link endpoint} makes it: what it answers, given its path parameters. */
export interface ApiRoute extends RouteTemplate {
  readonly run: (
    request: HttpRequest,
    user: SignedInUser,
    params: Readonly<Record<string, string>>,
    lambdaContext?: Context,
  ) => Promise<ApiAnswer>;
}

/** The schemas of what a route reads besides its body. */
export interface EndpointOptions<H extends z.core.$ZodType | undefined> {
  /**
   * Parses the request's headers (by lower-case name, e.g. `idempotency-key`): 400 with the
   * issues when they do not parse. @default every header, unparsed
   */
  readonly headers?: H;
}

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
 * The headers of a request (API Gateway's or a load balancer's event) by lower-case name, each
 * sent more than once joined as HTTP joins them.
 *
 * @example
 * ```ts
 * headersOf({ headers: { Accept: 'a' }, multiValueHeaders: { 'X-A': ['1', '2'] } }); // { accept: 'a', 'x-a': '1, 2' }
 * ```
 */
export const headersOf = (event: {
  readonly headers?: Readonly<Record<string, string | undefined>> | null | undefined;
  readonly multiValueHeaders?:
    | Readonly<Record<string, readonly string[] | undefined>>
    | null
    | undefined;
}): RequestHeaders => {
  const joined = new Map<string, string[]>();
  const add = (name: string, values: readonly (string | undefined)[]) => {
    const key = name.toLowerCase();
    const present = values.filter((value): value is string => value !== undefined);
    joined.set(key, [...(joined.get(key) ?? []), ...present]);
  };
  const multi = event.multiValueHeaders ?? {};
  for (const [name, values] of Object.entries(multi)) add(name, values ?? []);
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (!Object.hasOwn(multi, name)) add(name, [value]);
  }
  return Object.fromEntries([...joined].map(([name, values]) => [name, values.join(', ')]));
};

type Parsed<S> = S extends z.core.$ZodType ? z.output<S> : undefined;
type ParsedHeaders<H> = H extends z.core.$ZodType ? z.output<H> : RequestHeaders;

/**
 * One route of a REST API: its method and path template (a route of the service's manifest), the
 * zod schema of its JSON body (400 with the issues when it does not parse; `undefined` for no
 * body), the use case, and optionally the zod schema of the headers it reads (400 likewise).
 *
 * @example
 * ```ts
 * endpoint(routes.cancelOrder, undefined, async ({ params, principal }) => cancel(params.orderId, principal));
 * endpoint(routes.placeOrder, BodySchema, place, { headers: z.object({ 'idempotency-key': z.optional(IdempotencyKeySchema) }) });
 * ```
 */
export const endpoint = <
  S extends z.core.$ZodType | undefined,
  H extends z.core.$ZodType | undefined = undefined,
>(
  { method, path }: RouteTemplate,
  bodySchema: S,
  run: (input: ApiInput<Parsed<S>, ParsedHeaders<H>>) => Promise<ApiAnswer>,
  options: EndpointOptions<H> = {},
): ApiRoute => ({
  method,
  path,
  run: async (request, user, params, lambdaContext) => {
    let body: unknown;
    if (bodySchema !== undefined) {
      const json = parseJson(request.body ?? '');
      if (!json.ok) return problem(400, 'INVALID_JSON', 'The body is not JSON');
      const parsed = z.safeParse(bodySchema, json.value);
      if (!parsed.success) {
        return problem(400, 'VALIDATION_FAILED', 'Invalid request', parsed.error.issues);
      }
      body = parsed.data;
    }
    let headers: unknown = request.headers;
    if (options.headers !== undefined) {
      const parsed = z.safeParse(options.headers, headers);
      if (!parsed.success) {
        return problem(400, 'VALIDATION_FAILED', 'Invalid headers', parsed.error.issues);
      }
      headers = parsed.data;
    }
    return run({
      params,
      query: request.query,
      body: body as Parsed<S>,
      headers: headers as ParsedHeaders<H>,
      user,
      principal: principalOf(user),
      lambdaContext,
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

/** An API whose routes are not the ones its manifest declares. */
export class UndeclaredRoutesError extends Error {
  constructor(problems: readonly string[]) {
    super(`The API's routes differ from its manifest's: ${problems.join('; ')}`);
    this.name = 'UndeclaredRoutesError';
  }
}

const label = (route: RouteTemplate) => `${route.method} ${route.path}`;

/**
 * Every route served is declared, and every declared route is served.
 *
 * @throws {UndeclaredRoutesError} naming each difference.
 * @example
 * ```ts
 * assertDeclared(routes, orderService.functions.staff.routes);
 * ```
 */
export const assertDeclared = (
  routes: readonly RouteTemplate[],
  declared: Readonly<Record<string, RouteTemplate>>,
): void => {
  const served = new Set(routes.map(label));
  const expected = new Set(Object.values(declared).map(label));
  const problems = [
    ...[...served].filter((route) => !expected.has(route)).map((r) => `${r} is not declared`),
    ...[...expected].filter((route) => !served.has(route)).map((r) => `${r} is not served`),
  ];
  if (problems.length > 0) throw new UndeclaredRoutesError(problems);
};

/**
 * The one function behind a service's REST API (a `{proxy+}` resource with a Lambda authorizer):
 * takes the signed-in user from the authorizer's context (401 without one), refuses bodies over
 * 64 KB (413), routes by method and path template (404 for an unknown path, 405 with `Allow`
 * for another method), and runs the route. The route asks the service's Authorizer (Cedar) and
 * answers 403 with nothing about the resource when it is denied. An error is logged and answered
 * 500 without details. Its routes must be exactly the ones its manifest declares.
 *
 * @throws {UndeclaredRoutesError} when a route is served but not declared, or declared but not served.
 *
 * @example
 * ```ts
 * export const handler = apiHandler([endpoint(routes.listOwnOrders, undefined, listMine)], {
 *   logger,
 *   declared: orderService.functions.api.routes,
 * });
 * ```
 */
export const apiHandler = (
  routes: readonly ApiRoute[],
  options: {
    readonly logger: Logger;
    /** The routes the service's manifest declares for its REST API. */
    readonly declared: Readonly<Record<string, RouteTemplate>>;
  },
) => {
  assertDeclared(routes, options.declared);
  return async (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> => {
    const user = userOf(event);
    if (user === undefined) return jsonResponse(problem(401, 'UNAUTHORIZED', 'Sign in first'));
    const request: HttpRequest = {
      method: event.httpMethod,
      path: event.path,
      body: event.body,
      isBase64Encoded: event.isBase64Encoded,
      headers: headersOf(event),
      query: Object.fromEntries(
        Object.entries(event.queryStringParameters ?? {}).flatMap(([k, v]) =>
          v === undefined ? [] : [[k, v]],
        ),
      ),
    };
    const { answer, headers } = await serveRoute(routes, request, user, options.logger, context);
    return jsonResponse(answer, headers);
  };
};

/**
 * Answers one request of a signed-in user on a service's routes: 413 for a body over 64 KB, 404
 * for an unknown path, 405 with `Allow` for another method, the route's answer otherwise, and
 * 500 without details (the error logged) when the route throws. Both entries use it: the REST
 * API's {@link apiHandler} and the staff entry's `staffHandler`.
 *
 * @example
 * ```ts
 * const { answer, headers } = await serveRoute(routes, request, user, logger, context);
 * ```
 */
export const serveRoute = async (
  routes: readonly ApiRoute[],
  request: HttpRequest,
  user: SignedInUser,
  logger: Logger,
  context?: Context,
): Promise<{ answer: ApiAnswer; headers?: Readonly<Record<string, string>> }> => {
  const size = Buffer.byteLength(request.body ?? '', request.isBase64Encoded ? 'base64' : 'utf8');
  if (size > MAX_BODY_BYTES) {
    return {
      answer: problem(413, 'PAYLOAD_TOO_LARGE', `The body is over ${MAX_BODY_BYTES} bytes`),
    };
  }
  const routing = routeRequest(routes, request.method, request.path);
  if (routing.outcome === 'notFound') {
    return { answer: problem(404, 'NOT_FOUND', `No route ${request.path}`) };
  }
  if (routing.outcome === 'methodNotAllowed') {
    return {
      answer: problem(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed here`),
      headers: { allow: routing.allow.join(', ') },
    };
  }
  const { route, params } = routing;
  try {
    return { answer: await route.run(request, user, params, context) };
  } catch (error) {
    logger.error(`${route.method} ${route.path} failed`, { error });
    return { answer: problem(500, 'INTERNAL_ERROR', 'Something went wrong') };
  }
};
