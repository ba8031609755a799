import type * as z from 'zod/mini';
import { type AnyEventDefinition, eventLabel } from './defineEvent.js';
import type { AnyQueryDefinition } from './defineQuery.js';
import { type RateExpression, rateSeconds } from './rateExpression.js';
import type { AnyEventView } from './reads.js';
import type { ServiceName } from './services.js';

/** What a function may do on its service's table: read items, write them, or both. */
export type TableAccess = 'read' | 'write' | 'read-write';

/**
 * What one function may do in AWS, in terms of its service's own resources. Its role is granted
 * exactly this, and its environment names exactly what it needs for it.
 */
export interface FunctionAccess {
  /** The service's table (state and outbox). @default none */
  readonly table?: TableAccess;
  /**
   * Peeks at the service's DLQ and moves its messages back to its queue (the staff routes on
   * dead letters). @default none
   */
  readonly deadLetters?: 'redrive';
  /**
   * Other services' queries it calls over VPC Lattice: it runs in the platform's VPC and may
   * invoke exactly these methods and paths. @default none
   */
  readonly queries?: readonly AnyQueryDefinition[];
  /** Asks the service's Cedar policy store (Verified Permissions `IsAuthorized`). @default false */
  readonly authorize?: boolean;
  /**
   * Keeps Powertools idempotency records in the service's idempotency table: a queue consumer
   * one per event id, an API one per client's `Idempotency-Key`. @default none
   */
  readonly idempotency?: 'records';
  /**
   * Pages through the items of the service's table that have a deadline, soonest first (`Query`
   * on its by-deadline index; the keys only). @default none
   */
  readonly deadlines?: 'read';
}

/** What starts a function. */
export type FunctionTrigger =
  /** The service's REST API (API Gateway), behind its `authorizer`: the customer routes. */
  | 'rest'
  /**
   * The service's listener rule `/<service>/*` on the staff load balancer, behind Verified
   * Access (ADR 0021): the staff routes, all under `/admin/`.
   */
  | 'staff'
  /** The Lambda authorizer of the service's REST API. */
  | 'authorizer'
  /** The service's event queue: the versions it subscribes to. */
  | 'queue'
  /** The service's VPC Lattice service: the queries it offers. */
  | 'lattice'
  /** An EventBridge Scheduler schedule, through a role of its own; the function ignores its input. */
  | 'schedule';

/** One route of a service's REST API, and the Cedar action its requests are decided by. */
export interface RestRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A path template with `{name}` segments, e.g. `/orders/{orderId}`. */
  readonly path: `/${string}`;
  /** The action its requests ask the service's policy store about, e.g. `PlaceOrder`. */
  readonly action: string;
}

/**
 * The staff route that moves a service's dead letters back to its queue, the same in every
 * service (the handler is `deadLetterRoutes` of `@shop/shared`).
 */
export const DEAD_LETTER_REDRIVE_ROUTE: RestRoute = Object.freeze({
  method: 'POST',
  path: '/admin/dead-letters/redrive',
  action: 'RedriveDeadLetters',
});

/**
 * The staff route that peeks at up to ten of a service's dead letters without consuming them,
 * the same in every service (the handler is `deadLetterRoutes` of `@shop/shared`).
 */
export const DEAD_LETTERS_ROUTE: RestRoute = Object.freeze({
  method: 'GET',
  path: '/admin/dead-letters',
  action: 'ViewDeadLetters',
});

/** Where every staff route's path begins, after the service's prefix on the staff load balancer. */
export const STAFF_PATH = '/admin/';

/** One Lambda function of a service: the module `src/handlers/<key>.ts` exporting `handler`. */
export interface ServiceFunction {
  readonly trigger: FunctionTrigger;
  readonly description: string;
  readonly access: FunctionAccess;
  /** The routes, by name, of the `rest` function (customers) and the `staff` function (staff). */
  readonly routes?: Readonly<Record<string, RestRoute>>;
  /** How often its schedule invokes it, e.g. `rate(1 minute)`, for a `schedule` function only. */
  readonly schedule?: RateExpression;
  /**
   * How many invocations may run at once; beyond it, Lambda throttles. In AWS it is the
   * function's reserved concurrency, taken from the account's pool. @default none reserved: the
   * account's unreserved pool in AWS, and the local default (ADR 0017) on this machine
   */
  readonly concurrency?: number;
}

/**
 * The authorizer of a service's REST API: it verifies the caller's Cognito ID token and needs
 * nothing in AWS (its handler is `identityAuthorizer()` of `@shop/shared`).
 *
 * @example
 * ```ts
 * defineService({ ..., functions: { api, authorizer: TOKEN_AUTHORIZER } });
 * ```
 */
export const TOKEN_AUTHORIZER: ServiceFunction = Object.freeze({
  trigger: 'authorizer',
  description: 'Lets a request through with a valid Cognito ID token, or answers 401.',
  access: Object.freeze({}),
});

/** One setting a service reads from its environment, beyond what its resources give it. */
export interface ConfigurationKey {
  readonly description: string;
  /**
   * Parses the variable's value (e.g. `z.url()`, `z._default(z.coerce.number(), 1000)`), with
   * `zod/mini`: a function's bundle then holds only the parts of zod its schemas use.
   */
  readonly schema: z.core.$ZodType;
  /**
   * `parameter`: given at deploy time (a CloudFormation parameter of the service's stack, the
   * local system's value locally); `default`: the schema's default unless the variable is set.
   */
  readonly source: 'parameter' | 'default';
}

/** The queries a service answers over VPC Lattice, and which caller may ask which. */
export interface OfferedQueries {
  readonly offers: readonly AnyQueryDefinition[];
  /**
   * The provider's consent: per calling service, the queries its roles may invoke. Its
   * Lattice auth policy allows exactly these; a caller that calls anything else is refused.
   */
  readonly callers: Readonly<Partial<Record<ServiceName, readonly AnyQueryDefinition[]>>>;
}

/**
 * The whole boundary of one service, as data: its functions and what triggers them, the events
 * it publishes and subscribes to, the queries it offers (and to whom) and calls, what each
 * function may do in AWS, where its Cedar policies are, and its configuration. The topology,
 * its CDK stack, the local system and its documentation are all derived from it.
 */
export interface ServiceManifest<
  N extends ServiceName = ServiceName,
  F extends Readonly<Record<string, ServiceFunction>> = Readonly<Record<string, ServiceFunction>>,
  C extends Readonly<Record<string, ConfigurationKey>> = Readonly<Record<string, ConfigurationKey>>,
  S extends readonly AnyEventView[] = readonly AnyEventView[],
> {
  readonly name: N;
  readonly description: string;
  /** The event versions it writes to its outbox, relayed to the bus. */
  readonly publishes: readonly AnyEventDefinition[];
  /**
   * The event versions it consumes, each with the fields of `data` it reads
   * (`reads(OrderPlacedV2, ['orderId', 'total'])`). Its queue, the rule that feeds it, its event
   * parser and its pacts are derived from this list.
   */
  readonly subscribes: S;
  /** @default none */
  readonly queries?: OfferedQueries;
  /** By handler module name (`src/handlers/<key>.ts`). */
  readonly functions: F;
  /** The folder of its Cedar schema and policies, relative to the package. */
  readonly policies: string;
  /** @default none */
  readonly configuration?: C;
}

/** A manifest whose declarations contradict each other. */
export class ServiceManifestError extends Error {
  constructor(service: string, problems: readonly string[]) {
    super(`The manifest of ${service} is inconsistent: ${problems.join('; ')}`);
    this.name = 'ServiceManifestError';
  }
}

const triggered = (manifest: ServiceManifest, trigger: FunctionTrigger): number =>
  Object.values(manifest.functions).filter((fn) => fn.trigger === trigger).length;

const problemsOf = (manifest: ServiceManifest): string[] => {
  const offers = manifest.queries?.offers ?? [];
  const callers = Object.entries(manifest.queries?.callers ?? {});
  const expectations: [boolean, string][] = [
    [
      manifest.subscribes.every((event) => event.producer !== manifest.name),
      'it subscribes to its own event',
    ],
    [
      new Set(manifest.subscribes.map(eventLabel)).size === manifest.subscribes.length,
      'it subscribes to an event version twice',
    ],
    [
      manifest.publishes.every((event) => event.producer === manifest.name),
      'it publishes an event another service produces',
    ],
    [
      offers.every((query) => query.provider === manifest.name),
      'it offers a query another service provides',
    ],
    [
      callers.every(([, queries]) => (queries ?? []).every((query) => offers.includes(query))),
      'it lets a caller invoke a query it does not offer',
    ],
    [
      callers.every(([caller]) => caller !== manifest.name),
      'it lists itself among its query callers',
    ],
    [
      triggered(manifest, 'queue') === (manifest.subscribes.length > 0 ? 1 : 0),
      'it needs exactly one queue function if, and only if, it subscribes to events',
    ],
    [
      Object.values(manifest.functions).every(
        (fn) => fn.trigger !== 'queue' || fn.access.idempotency === 'records',
      ),
      'its queue function keeps no idempotency records, and so would handle a repeated event again',
    ],
    [
      triggered(manifest, 'lattice') === (offers.length > 0 ? 1 : 0),
      'it needs exactly one Lattice function if, and only if, it offers queries',
    ],
    [
      triggered(manifest, 'rest') <= 1 &&
        triggered(manifest, 'authorizer') === triggered(manifest, 'rest'),
      'it needs at most one REST API function, and an authorizer exactly when it has one',
    ],
    [triggered(manifest, 'staff') <= 1, 'it needs at most one staff function'],
    [
      Object.values(manifest.functions).every(
        (fn) =>
          (fn.trigger === 'rest' || fn.trigger === 'staff') ===
          Object.keys(fn.routes ?? {}).length > 0,
      ),
      'the REST API and staff functions, and only they, declare their routes',
    ],
    [
      Object.values(manifest.functions).every((fn) =>
        Object.values(fn.routes ?? {}).every(
          (route) => (fn.trigger === 'staff') === route.path.startsWith(STAFF_PATH),
        ),
      ),
      `the staff function's routes, and only they, are under ${STAFF_PATH}`,
    ],
    [
      Object.values(manifest.functions).every((fn) => {
        const routes = Object.values(fn.routes ?? {});
        return (
          (fn.access.deadLetters === 'redrive') === routes.includes(DEAD_LETTER_REDRIVE_ROUTE) &&
          routes.includes(DEAD_LETTER_REDRIVE_ROUTE) === routes.includes(DEAD_LETTERS_ROUTE)
        );
      }),
      'a function has the dead-letter access exactly when it has the routes to view and redrive them',
    ],
    [
      manifest.subscribes.length > 0 ||
        Object.values(manifest.functions).every((fn) => fn.access.deadLetters === undefined),
      'a function redrives dead letters, but it subscribes to nothing and so has no queue',
    ],
    [
      Object.values(manifest.functions).every(
        (fn) => (fn.trigger === 'schedule') === (fn.schedule !== undefined),
      ),
      'a function declares a schedule exactly when a schedule triggers it',
    ],
    [
      Object.values(manifest.functions).every(
        (fn) => fn.schedule === undefined || rateSeconds(fn.schedule) !== undefined,
      ),
      'a schedule is not a rate expression such as rate(1 minute) or rate(5 minutes)',
    ],
    [
      Object.keys(manifest.functions).every((key) => /^[a-z][A-Za-z]*$/.test(key)),
      'function keys are handler module names in camel case',
    ],
    [
      Object.values(manifest.functions).every((fn) =>
        (fn.access.queries ?? []).every((query) => query.provider !== manifest.name),
      ),
      'a function calls its own service’s query over Lattice',
    ],
    [
      Object.values(manifest.functions).every(
        (fn) =>
          fn.concurrency === undefined || (Number.isInteger(fn.concurrency) && fn.concurrency > 0),
      ),
      'a function’s concurrency is not a positive whole number',
    ],
  ];
  return expectations.flatMap(([holds, problem]) => (holds ? [] : [problem]));
};

/**
 * Declares a service's manifest, checked for consistency (one queue function exactly when it
 * subscribes, one Lattice function exactly when it offers queries, at most one REST API with
 * its authorizer and at most one staff function, staff routes only under `/admin/` and only on
 * the staff function, callers only of what it offers, events and queries of its own, a valid
 * schedule for each scheduled function).
 *
 * @throws {ServiceManifestError} naming every inconsistency.
 *
 * @example
 * ```ts
 * export const paymentService = defineService({
 *   name: 'payment',
 *   description: 'Charges orders once stock is reserved, refunds them when cancelled.',
 *   publishes: [PaymentSucceededV1, PaymentFailedV1, PaymentRefundedV1],
 *   subscribes: [
 *     reads(OrderPlacedV2, ['orderId', 'customerId', 'total', 'paymentToken']),
 *     reads(InventoryReservedV1, ['orderId']),
 *     reads(OrderCancelledV1, ['orderId']),
 *   ],
 *   queries: { offers: [GetPayment], callers: { order: [GetPayment] } },
 *   functions: {
 *     events: {
 *       trigger: 'queue',
 *       description: 'Charges and refunds',
 *       access: { table: 'read-write', idempotency: 'records' },
 *     },
 *     // ...
 *   },
 *   policies: 'policies',
 * });
 * ```
 */
export const defineService = <
  const N extends ServiceName,
  const F extends Readonly<Record<string, ServiceFunction>>,
  const S extends readonly AnyEventView[],
  const C extends Readonly<Record<string, ConfigurationKey>> = Readonly<Record<never, never>>,
>(
  manifest: ServiceManifest<N, F, C, S>,
): ServiceManifest<N, F, C, S> => {
  const problems = problemsOf(manifest);
  if (problems.length > 0) throw new ServiceManifestError(manifest.name, problems);
  return Object.freeze(manifest);
};

/**
 * The queries a service calls, over all its functions: what its callers' consent must cover.
 *
 * @example
 * ```ts
 * queriesCalledBy(orderService).map((query) => query.name); // ['ListProducts', 'GetPayment']
 * ```
 */
export const queriesCalledBy = (manifest: ServiceManifest): readonly AnyQueryDefinition[] => [
  ...new Set(Object.values(manifest.functions).flatMap((fn) => fn.access.queries ?? [])),
];

/**
 * The name a service's function is deployed under: `<service>-<handler in kebab case>`.
 *
 * @example
 * ```ts
 * functionName('inventory', 'queries'); // 'inventory-queries'
 * ```
 */
export const functionName = (service: ServiceName, handler: string): string =>
  `${service}-${handler.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
