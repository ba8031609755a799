import {
  type AnyEventDefinition,
  eventLabel,
  eventPattern,
  SERVICE_NAMES,
  type ServiceName,
  type Subscriptions,
  subscriptions,
} from '@shop/contracts';
import { type LatticeServiceTopology, latticeServices } from './lattice.js';

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

/**
 * One Lambda function of a service: its queue's consumer, the target of its Lattice service
 * (its queries), or a function invoked directly.
 */
export interface FunctionTopology {
  readonly service: ServiceName;
  /** `<service>-<handler in kebab case>`, e.g. `order-place-order`. */
  readonly functionName: string;
  /** The module under the service's `src/handlers` that exports `handler`. */
  readonly handler: string;
  readonly trigger: 'queue' | 'lattice' | 'api' | 'authorizer' | 'invoke';
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

export interface ShopTopology {
  readonly busName: string;
  readonly tables: readonly ServiceTables[];
  readonly functions: readonly FunctionTopology[];
  readonly archiveName: string;
  readonly archiveRetentionDays: number;
  readonly consumers: readonly ConsumerTopology[];
  readonly outboxRelays: readonly OutboxRelayTopology[];
  readonly latticeServices: readonly LatticeServiceTopology[];
  /** Per service, its REST API: a `{proxy+}` resource on its API function, behind its authorizer. */
  readonly restApis: readonly RestApiTopology[];
}

/** One service's REST API (customer and employee routes) and the functions behind it. */
export interface RestApiTopology {
  readonly service: ServiceName;
  /** e.g. `shop-order`. */
  readonly apiName: string;
  readonly functionName: string;
  readonly authorizerFunctionName: string;
}

/** The functions each service invokes directly (queries and commands), besides its queue consumer. */
export const INVOKED_HANDLERS: Readonly<Record<ServiceName, readonly string[]>> = {
  order: ['placeOrder', 'getOrder', 'cancelOrder'],
  inventory: ['putProduct', 'getProduct'],
  payment: ['getPayment'],
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

const functionsOf = (
  service: ServiceName,
  consumes: boolean,
  lattice: LatticeServiceTopology | undefined,
): FunctionTopology[] => [
  ...(consumes
    ? [{ service, functionName: `${service}-events`, handler: 'events', trigger: 'queue' as const }]
    : []),
  ...(lattice
    ? [
        {
          service,
          functionName: lattice.functionName,
          handler: 'queries',
          trigger: 'lattice' as const,
        },
      ]
    : []),
  { service, functionName: `${service}-api`, handler: 'api', trigger: 'api' as const },
  {
    service,
    functionName: `${service}-authorizer`,
    handler: 'authorizer',
    trigger: 'authorizer' as const,
  },
  ...INVOKED_HANDLERS[service].map((handler) => ({
    service,
    functionName: `${service}-${kebab(handler)}`,
    handler,
    trigger: 'invoke' as const,
  })),
];

/** The settings every consumer starts from. */
export const DEFAULT_CONSUMER_SETTINGS: ConsumerSettings = {
  visibilityTimeoutSeconds: 180,
  maxReceiveCount: 5,
  batchSize: 10,
  maximumBatchingWindowSeconds: 0,
  maximumConcurrency: 2,
  functionTimeoutSeconds: 30,
};

export interface ShopTopologyProps {
  /** @default 'shop' */
  readonly busName?: string;
  /** @default every consumer's declared subscriptions */
  readonly subscriptions?: readonly Subscriptions[];
  /** Per-service overrides, e.g. a shorter visibility timeout locally. */
  readonly settings?: Partial<ConsumerSettings>;
}

const consumerOf = (subscription: Subscriptions, settings: ConsumerSettings): ConsumerTopology => ({
  service: subscription.consumer,
  queueName: `${subscription.consumer}-events`,
  deadLetterQueueName: `${subscription.consumer}-events-dlq`,
  ruleName: `${subscription.consumer}-subscriptions`,
  eventPattern: {
    $or: subscription.events.map((event: AnyEventDefinition) => eventPattern(event)),
  },
  events: subscription.events.map(eventLabel),
  ...settings,
});

/**
 * The messaging topology of the shop, derived from the contracts: one bus with an archive; per
 * consumer a queue, its DLQ and one rule whose pattern matches exactly the versions it subscribes
 * to; per producer an outbox relay from its table's stream to the bus; per query provider a VPC
 * Lattice service with its callers. The CDK apps and the local
 * cloud both build from this, so they cannot drift.
 *
 * @example
 * ```ts
 * shopTopology().consumers.map((c) => c.queueName);
 * // ['order-events', 'inventory-events', 'payment-events']
 * ```
 */
export const shopTopology = (props: ShopTopologyProps = {}): ShopTopology => {
  const busName = props.busName ?? 'shop';
  const settings = { ...DEFAULT_CONSUMER_SETTINGS, ...props.settings };
  const lattice = latticeServices();
  const consumers = (props.subscriptions ?? subscriptions)
    .filter((subscription) => subscription.events.length > 0)
    .map((subscription) => consumerOf(subscription, settings));
  return {
    busName,
    tables: SERVICE_NAMES.map((service) => ({
      service,
      tableName: `shop-${service}`,
      idempotencyTableName: `shop-${service}-idempotency`,
    })),
    functions: SERVICE_NAMES.flatMap((service) =>
      functionsOf(
        service,
        consumers.some((consumer) => consumer.service === service),
        lattice.find((latticeService) => latticeService.service === service),
      ),
    ),
    archiveName: `${busName}-archive`,
    archiveRetentionDays: 14,
    consumers,
    outboxRelays: SERVICE_NAMES.map((service) => ({
      service,
      tableName: `shop-${service}`,
      deadLetterQueueName: `${service}-outbox-dlq`,
      filter: { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['outbox'] } } } },
    })),
    latticeServices: lattice,
    restApis: SERVICE_NAMES.map((service) => ({
      service,
      apiName: `shop-${service}`,
      functionName: `${service}-api`,
      authorizerFunctionName: `${service}-authorizer`,
    })),
  };
};
