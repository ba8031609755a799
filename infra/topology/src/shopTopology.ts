import {
  eventLabel,
  eventPattern,
  type FunctionAccess,
  type FunctionTrigger,
  functionName,
  queriesCalledBy,
  type RateExpression,
  rateSeconds,
  SERVICE_NAMES,
  type ServiceManifest,
  type ServiceName,
  SHOP_LOG_GROUPS,
} from '@shop/contracts';
import { type LatticeServiceTopology, latticeServiceOf } from './lattice.js';

/** The shop's one event bus, its archive and its audit log, which the platform stack deploys. */
export const SHOP_BUS = {
  busName: 'shop',
  archiveName: 'shop-archive',
  /** Also how long consumers remember an event id, so a replay is a no-op. */
  archiveRetentionDays: 14,
  /**
   * The rule that writes every event on the bus, as the bus delivers it, to a CloudWatch Logs
   * log group: the saga's timeline the staff console reads.
   */
  audit: {
    ruleName: 'shop-audit',
    logGroupName: SHOP_LOG_GROUPS.audit,
    retentionDays: 14,
  },
} as const;

/** How a consumer's queue feeds its function. */
export interface ConsumerSettings {
  /** Seconds a received message stays invisible; at least six times the function timeout. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before SQS moves a message to the DLQ. */
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly maximumConcurrency: number;
  readonly functionTimeoutSeconds: number;
}

/** One consumer: its queue and DLQ, and the rule on the bus that feeds the queue. */
export interface ConsumerTopology extends ConsumerSettings {
  readonly service: ServiceName;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  readonly ruleName: string;
  /** The function the queue feeds. */
  readonly functionName: string;
  /** Matches exactly the event versions the consumer subscribes to. */
  readonly eventPattern: { readonly $or: readonly ReturnType<typeof eventPattern>[] };
  readonly events: readonly string[];
}

/** A service's own tables. No other service reads or writes them. */
export interface ServiceTables {
  readonly service: ServiceName;
  /** State and outbox (keys: SERVICE_TABLE of @shop/shared), with a stream of new images for the relay. */
  readonly tableName: string;
  /** Powertools idempotency records (keys: IDEMPOTENCY_TABLE of @shop/shared). */
  readonly idempotencyTableName: string;
}

/** One Lambda function of a service, as its manifest declares it. */
export interface FunctionTopology {
  readonly service: ServiceName;
  /** `<service>-<handler in kebab case>`, e.g. `order-api`. */
  readonly functionName: string;
  /** The module under the service's `src/handlers` that exports `handler`. */
  readonly handler: string;
  readonly trigger: FunctionTrigger;
  readonly description: string;
  readonly access: FunctionAccess;
  /** Seconds an invocation may run before Lambda stops it. */
  readonly timeoutSeconds: number;
  /** Its reserved concurrency, if its manifest declares one. */
  readonly concurrency: number | undefined;
}

/** One producer's transactional outbox: its table's stream, relayed to the bus. */
export interface OutboxRelayTopology {
  readonly service: ServiceName;
  readonly tableName: string;
  /** Where the Pipe sends what it could not publish. */
  readonly deadLetterQueueName: string;
  /** Pipe filter on the stream record: only inserted outbox items. */
  readonly filter: {
    readonly eventName: readonly ['INSERT'];
    readonly dynamodb: {
      readonly NewImage: { readonly kind: { readonly S: readonly ['outbox'] } };
    };
  };
}

/**
 * One schedule of a service: EventBridge Scheduler invokes one of its functions at a fixed rate,
 * as a role of its own that may invoke that function and nothing else.
 */
export interface ScheduleTopology {
  readonly service: ServiceName;
  /** The schedule's name, its function's, e.g. `order-expire-orders`. */
  readonly scheduleName: string;
  readonly functionName: string;
  /** e.g. `rate(1 minute)`. */
  readonly expression: RateExpression;
  /** The period of the expression, in seconds. */
  readonly rateSeconds: number;
  /**
   * What its role is called where it acts, e.g. `order-expire-orders-schedule` (in AWS the role
   * is `<this>-<region>`, under `/shop/<service>/`).
   */
  readonly roleName: string;
}

/** One service's REST API (its customer routes) and the functions behind it. */
export interface RestApiTopology {
  readonly service: ServiceName;
  /** e.g. `shop-order`. */
  readonly apiName: string;
  readonly functionName: string;
  readonly authorizerFunctionName: string;
}

/**
 * One service's staff function behind the staff load balancer (ADR 0021): the listener rule
 * that sends `/<service>/*` to it.
 */
export interface StaffRouteTopology {
  readonly service: ServiceName;
  readonly functionName: string;
  /** The path prefix the function serves and removes, e.g. `/order`. */
  readonly prefix: `/${string}`;
  /** The listener rule's condition, e.g. `/order/*`. */
  readonly pathPattern: string;
  /** The listener rule's priority, fixed per service, so that services deploy alone. */
  readonly priority: number;
}

/** Everything one service deploys, derived from its manifest alone. */
export interface ServiceTopology {
  readonly service: ServiceName;
  readonly tables: ServiceTables;
  readonly functions: readonly FunctionTopology[];
  /** Its queue, DLQ and rule, if it subscribes to events. */
  readonly consumer: ConsumerTopology | undefined;
  readonly outboxRelay: OutboxRelayTopology;
  /** Its Lattice service, if it offers queries. */
  readonly latticeService: LatticeServiceTopology | undefined;
  /** Its REST API, if it has customer routes. */
  readonly restApi: RestApiTopology | undefined;
  /** Its staff function's listener rule, if it has staff routes. */
  readonly staffRoute: StaffRouteTopology | undefined;
  /** One per function a schedule triggers. */
  readonly schedules: readonly ScheduleTopology[];
}

/** The whole shop: the bus, and every service's topology. */
export interface ShopTopology {
  readonly busName: string;
  readonly archiveName: string;
  readonly archiveRetentionDays: number;
  readonly audit: {
    readonly ruleName: string;
    readonly logGroupName: string;
    readonly retentionDays: number;
  };
  readonly services: readonly ServiceTopology[];
  readonly tables: readonly ServiceTables[];
  readonly functions: readonly FunctionTopology[];
  readonly consumers: readonly ConsumerTopology[];
  readonly outboxRelays: readonly OutboxRelayTopology[];
  readonly latticeServices: readonly LatticeServiceTopology[];
  readonly restApis: readonly RestApiTopology[];
  readonly staffRoutes: readonly StaffRouteTopology[];
  readonly schedules: readonly ScheduleTopology[];
}

/** The settings every consumer starts from. */
export const DEFAULT_CONSUMER_SETTINGS: ConsumerSettings = {
  visibilityTimeoutSeconds: 180,
  maxReceiveCount: 5,
  batchSize: 10,
  maximumBatchingWindowSeconds: 0,
  maximumConcurrency: 2,
  functionTimeoutSeconds: 30,
};

export interface TopologyProps {
  /** Overrides of every consumer's settings, e.g. a shorter visibility timeout locally. */
  readonly settings?: Partial<ConsumerSettings>;
}

/** The name of the function a manifest gives a trigger, if any. */
const functionWith = (manifest: ServiceManifest, trigger: FunctionTrigger): string | undefined => {
  const handler = Object.entries(manifest.functions).find(([, fn]) => fn.trigger === trigger)?.[0];
  return handler === undefined ? undefined : functionName(manifest.name, handler);
};

const consumerOf = (
  manifest: ServiceManifest,
  settings: ConsumerSettings,
): ConsumerTopology | undefined => {
  const consumer = functionWith(manifest, 'queue');
  const events = manifest.subscribes;
  if (consumer === undefined || events.length === 0) return undefined;
  return {
    service: manifest.name,
    queueName: `${manifest.name}-events`,
    deadLetterQueueName: `${manifest.name}-events-dlq`,
    ruleName: `${manifest.name}-subscriptions`,
    functionName: consumer,
    eventPattern: { $or: events.map((event) => eventPattern(event)) },
    events: events.map(eventLabel),
    ...settings,
  };
};

/** A schedule for each function of the manifest a schedule triggers. */
const schedulesOf = (manifest: ServiceManifest): ScheduleTopology[] =>
  Object.entries(manifest.functions).flatMap(([handler, fn]) => {
    if (fn.trigger !== 'schedule' || fn.schedule === undefined) return [];
    const name = functionName(manifest.name, handler);
    return [
      {
        service: manifest.name,
        scheduleName: name,
        functionName: name,
        expression: fn.schedule,
        rateSeconds: rateSeconds(fn.schedule) ?? 0,
        roleName: `${name}-schedule`,
      },
    ];
  });

/** The REST API, if the manifest has a REST function (and so its authorizer). */
const restApiOf = (manifest: ServiceManifest): RestApiTopology | undefined => {
  const functionName = functionWith(manifest, 'rest');
  const authorizerFunctionName = functionWith(manifest, 'authorizer');
  if (functionName === undefined || authorizerFunctionName === undefined) return undefined;
  return {
    service: manifest.name,
    apiName: `shop-${manifest.name}`,
    functionName,
    authorizerFunctionName,
  };
};

/** The staff function's listener rule, if the manifest has a staff function. */
const staffRouteOf = (manifest: ServiceManifest): StaffRouteTopology | undefined => {
  const staff = functionWith(manifest, 'staff');
  if (staff === undefined) return undefined;
  return {
    service: manifest.name,
    functionName: staff,
    prefix: `/${manifest.name}`,
    pathPattern: `/${manifest.name}/*`,
    priority: (SERVICE_NAMES.indexOf(manifest.name) + 1) * 10,
  };
};

/**
 * What one service deploys, from its manifest alone: its tables, one function per handler, its
 * queue, DLQ and the rule whose pattern matches exactly the versions it subscribes to, its outbox
 * relay, its Lattice service and the auth policy's callers, its REST API, its staff function's
 * listener rule and its schedules. Its
 * CDK stack and the local system both build from this.
 *
 * @example
 * ```ts
 * serviceTopology(orderService).consumer?.queueName; // 'order-events'
 * ```
 */
export const serviceTopology = (
  manifest: ServiceManifest,
  props: TopologyProps = {},
): ServiceTopology => {
  const service = manifest.name;
  const tableName = `shop-${service}`;
  const consumer = consumerOf(manifest, { ...DEFAULT_CONSUMER_SETTINGS, ...props.settings });
  return {
    service,
    tables: { service, tableName, idempotencyTableName: `${tableName}-idempotency` },
    functions: Object.entries(manifest.functions).map(([handler, fn]) => ({
      service,
      functionName: functionName(service, handler),
      handler,
      trigger: fn.trigger,
      description: fn.description,
      access: fn.access,
      // Every function of a service gets its consumer's timeout, which the queue's visibility
      // timeout is sized for.
      timeoutSeconds:
        consumer?.functionTimeoutSeconds ?? DEFAULT_CONSUMER_SETTINGS.functionTimeoutSeconds,
      concurrency: fn.concurrency,
    })),
    consumer,
    outboxRelay: {
      service,
      tableName,
      deadLetterQueueName: `${service}-outbox-dlq`,
      filter: { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['outbox'] } } } },
    },
    latticeService: latticeServiceOf(manifest),
    restApi: restApiOf(manifest),
    staffRoute: staffRouteOf(manifest),
    schedules: schedulesOf(manifest),
  };
};

/** Services whose query calls and providers' consent do not match. */
export class QueryConsentError extends Error {
  constructor(problems: readonly string[]) {
    super(`Query calls and consent disagree: ${problems.join('; ')}`);
    this.name = 'QueryConsentError';
  }
}

/**
 * Every query call a service makes must be one its provider lets it make, and every consent a
 * provider gives must be used: a call without consent would be denied at run time, a consent
 * without a call is access nobody needs.
 */
const consentProblems = (manifests: readonly ServiceManifest[]): string[] =>
  manifests.flatMap((caller) => {
    const calls = queriesCalledBy(caller);
    const denied = calls
      .filter((query) => {
        const provider = manifests.find((manifest) => manifest.name === query.provider);
        return !provider?.queries?.callers[caller.name]?.includes(query);
      })
      .map(
        (query) =>
          `${caller.name} calls ${query.name}, which ${query.provider} does not let it call`,
      );
    const unused = manifests.flatMap((provider) =>
      (provider.queries?.callers[caller.name] ?? [])
        .filter((query) => !calls.includes(query))
        .map(
          (query) =>
            `${provider.name} lets ${caller.name} call ${query.name}, which it never calls`,
        ),
    );
    return [...denied, ...unused];
  });

/**
 * The whole shop, derived from every service's manifest: the bus, its archive and audit log, and each
 * service's topology. The query calls of each service are checked against their providers'
 * consent.
 *
 * @throws {QueryConsentError} when a call has no consent or a consent no call.
 *
 * @example
 * ```ts
 * shopTopology([orderService, inventoryService, paymentService]).consumers.map((c) => c.queueName);
 * // ['order-events', 'inventory-events', 'payment-events']
 * ```
 */
export const shopTopology = (
  manifests: readonly ServiceManifest[],
  props: TopologyProps = {},
): ShopTopology => {
  const problems = consentProblems(manifests);
  if (problems.length > 0) throw new QueryConsentError(problems);
  const services = manifests.map((manifest) => serviceTopology(manifest, props));
  const present = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);
  return {
    ...SHOP_BUS,
    services,
    tables: services.map((s) => s.tables),
    functions: services.flatMap((s) => s.functions),
    consumers: services.flatMap((s) => present(s.consumer)),
    outboxRelays: services.map((s) => s.outboxRelay),
    latticeServices: services.flatMap((s) => present(s.latticeService)),
    restApis: services.flatMap((s) => present(s.restApi)),
    staffRoutes: services.flatMap((s) => present(s.staffRoute)),
    schedules: services.flatMap((s) => s.schedules),
  };
};
