import type { Logger } from '@aws-lambda-powertools/logger';
import { type AnyQueryDefinition, type EntityRef, matchQueryPath } from '@shop/contracts';
import type { z } from 'zod';
import { type Authorizer, callingService } from '../authorization/Authorizer.js';
import type { InvocationResult } from '../invocationHandler.js';
import { type LatticeEventV2, LatticeEventV2Schema, type LatticeResponse } from './latticeEvent.js';

/** What a route sees of one request: its parsed parameters and who called. */
export interface QueryInput<D extends AnyQueryDefinition> {
  readonly params: z.output<D['params']>;
  readonly query: z.output<D['query']>;
  /** The caller's IAM principal, as Lattice authenticated it. */
  readonly principal: string | undefined;
}

/** One query a Lattice target answers, bound to the use case that answers it. */
export interface QueryRouteHandler<D extends AnyQueryDefinition = AnyQueryDefinition> {
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
): QueryRouteHandler => ({ definition, resource, run }) as unknown as QueryRouteHandler;

const STATUS_OF_FAILURE: Readonly<Record<string, number>> = {
  NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
};

const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): LatticeResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
  isBase64Encoded: false,
});

const problem = (statusCode: number, code: string, message: string, issues?: unknown) =>
  json(statusCode, { error: { code, message, ...(issues !== undefined && { issues }) } });

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
      return problem(400, 'INVALID_EVENT', 'Not a VPC Lattice V2 event', parsedEvent.error.issues);
    }
    const event = parsedEvent.data;
    const matches = routes.flatMap((handler) => {
      const params = matchQueryPath(handler.definition.path, event.path);
      return params === undefined ? [] : [{ handler, params }];
    });
    if (matches.length === 0) return problem(404, 'NOT_FOUND', `No route for ${event.path}`);
    const match = matches.find((candidate) => candidate.handler.definition.method === event.method);
    if (match === undefined) {
      return {
        ...problem(405, 'METHOD_NOT_ALLOWED', `${event.method} is not allowed on ${event.path}`),
        headers: {
          'content-type': 'application/json',
          allow: [...new Set(matches.map((candidate) => candidate.handler.definition.method))].join(
            ', ',
          ),
        },
      };
    }
    const { definition, resource, run } = match.handler;
    const params = definition.params.safeParse(match.params);
    const query = definition.query.safeParse(queryStringOf(event));
    if (!params.success || !query.success) {
      const issues = [...(params.error?.issues ?? []), ...(query.error?.issues ?? [])];
      return problem(400, 'VALIDATION_FAILED', 'Invalid request', issues);
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
        return problem(403, 'FORBIDDEN', `${definition.name} is not allowed for this caller`);
      }
      const result = await run({ params: params.data, query: query.data, principal });
      if (!result.ok) {
        return problem(
          STATUS_OF_FAILURE[result.error.code] ?? 422,
          result.error.code,
          result.error.message,
          result.error.issues,
        );
      }
      return json(200, definition.response.parse(result.value));
    } catch (error) {
      options.logger.error(`${definition.name} failed`, { error, path: event.path });
      return problem(500, 'INTERNAL_ERROR', 'The query failed');
    }
  };
