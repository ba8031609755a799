import type { AnyQueryDefinition, EntityRef } from '@shop/contracts';
import * as z from 'zod/mini';
import { type Authorizer, callingService } from '../authorization/Authorizer.js';
import { type ApiAnswer, answerOf, jsonResponse, problem } from '../http/answer.js';
import { type RouteTemplate, routeRequest } from '../http/routeRequest.js';
import type { InvocationResult } from '../invocationResult.js';
import type { Logger } from '../Logger.js';
import { type LatticeEventV2, LatticeEventV2Schema, type LatticeResponse } from './latticeEvent.js';

/** What a route sees of one request: its parsed parameters and who called. */
export interface QueryInput<D extends AnyQueryDefinition> {
  readonly params: z.output<D['params']>;
  readonly query: z.output<D['query']>;
  /** The caller's IAM principal, as Lattice authenticated it. */
  readonly principal: string | undefined;
}

/** One query a Lattice target answers, bound to the use case that answers it. */
export interface QueryRouteHandler<D extends AnyQueryDefinition = AnyQueryDefinition>
  extends RouteTemplate {
  readonly definition: D;
  /** The Cedar resource the query reads, e.g. `Shop::Product::"MUG-001"`. */
  readonly resource: (input: Omit<QueryInput<D>, 'principal'>) => EntityRef;
  readonly run: (input: QueryInput<D>) => Promise<InvocationResult<z.input<D['response']>>>;
}

/**
 * Binds a query contract to the Cedar resource it reads and the use case that answers it.
 *
 * @example
 * ```ts
 * route(GetStock, ({ params }) => ({ type: 'Shop::Product', id: params.sku }), async ({ params }) => stockOf(params.sku));
 * ```
 */
export const route = <D extends AnyQueryDefinition>(
  definition: D,
  resource: QueryRouteHandler<D>['resource'],
  run: QueryRouteHandler<D>['run'],
): QueryRouteHandler =>
  ({
    method: definition.method,
    path: definition.path,
    definition,
    resource,
    run,
  }) as unknown as QueryRouteHandler;

const respond = (answer: ApiAnswer, headers: Record<string, string> = {}): LatticeResponse => ({
  ...jsonResponse(answer, headers),
  isBase64Encoded: false,
});

/** `?a=1&b=2&b=3` arrives as `{ a: ['1'], b: ['2', '3'] }`; the contracts read `{ a: '1', b: ['2', '3'] }`. */
const queryStringOf = (event: LatticeEventV2): Record<string, string | string[]> =>
  Object.fromEntries(
    Object.entries(event.queryStringParameters ?? {}).map(([name, values]) => [
      name,
      values.length === 1 ? (values[0] ?? '') : values,
    ]),
  );

/**
 * The handler of a Lattice target (event structure V2) that answers a service's queries: routes
 * by method and path template, parses path and query parameters with the contract (400 with the
 * zod issues), asks the Authorizer whether the calling service (`Shop::Service`, from Lattice's
 * authenticated principal) may run the query on its resource (403 otherwise), runs the use case,
 * checks the answer against the contract and returns JSON. An unknown path is 404, another
 * method on a known path 405; an error is logged and answered 500 without details.
 *
 * @example
 * ```ts
 * export const handler = queryHandler([route(GetStock, product, getStock)], { logger, authorizer });
 * ```
 */
export const queryHandler =
  (
    routes: readonly QueryRouteHandler[],
    options: { readonly logger: Logger; readonly authorizer: Authorizer },
  ) =>
  async (payload: unknown): Promise<LatticeResponse> => {
    const parsedEvent = LatticeEventV2Schema.safeParse(payload);
    if (!parsedEvent.success) {
      return respond(
        problem(400, 'INVALID_EVENT', 'Not a VPC Lattice V2 event', parsedEvent.error.issues),
      );
    }
    const event = parsedEvent.data;
    const routing = routeRequest(routes, event.method, event.path);
    if (routing.outcome === 'notFound') {
      return respond(problem(404, 'NOT_FOUND', `No route for ${event.path}`));
    }
    if (routing.outcome === 'methodNotAllowed') {
      return respond(
        problem(405, 'METHOD_NOT_ALLOWED', `${event.method} is not allowed on ${event.path}`),
        { allow: routing.allow.join(', ') },
      );
    }
    const { definition, resource, run } = routing.route;
    const params = z.safeParse(definition.params, routing.params);
    const query = z.safeParse(definition.query, queryStringOf(event));
    if (!params.success || !query.success) {
      const issues = [...(params.error?.issues ?? []), ...(query.error?.issues ?? [])];
      return respond(problem(400, 'VALIDATION_FAILED', 'Invalid request', issues));
    }
    try {
      const principal = event.requestContext.identity.principal;
      const caller = callingService(principal);
      const allowed =
        caller !== undefined &&
        (await options.authorizer.isAuthorized({
          principal: { type: 'Shop::Service', id: caller },
          action: definition.name,
          resource: resource({ params: params.data, query: query.data }),
        }));
      if (!allowed) {
        return respond(
          problem(403, 'FORBIDDEN', `${definition.name} is not allowed for this caller`),
        );
      }
      const result = await run({ params: params.data, query: query.data, principal });
      return respond(
        result.ok
          ? { status: 200, body: z.parse(definition.response, result.value) }
          : answerOf(result),
      );
    } catch (error) {
      options.logger.error(`${definition.name} failed`, { error, path: event.path });
      return respond(problem(500, 'INTERNAL_ERROR', 'The query failed'));
    }
  };
