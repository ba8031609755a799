import { type FunctionTrigger, queriesCalledBy, type ServiceManifest } from './defineService.js';
import { ENVIRONMENT } from './names/environment.js';
import type { ServiceName } from './services.js';

/**
 * The variable holding the URL of a provider's Lattice service.
 *
 * @example
 * ```ts
 * queriesUrlVariable('inventory'); // 'INVENTORY_QUERIES_URL'
 * ```
 */
export const queriesUrlVariable = (provider: ServiceName): string =>
  `${provider.toUpperCase()}_QUERIES_URL`;

/** Where the value of one variable comes from; each platform (CDK, the local system) resolves it. */
export type EnvironmentSource =
  | {
      readonly kind: 'table' | 'policy-store' | 'idempotency-table' | 'queue' | 'dead-letter-queue';
    }
  | {
      readonly kind:
        | 'user-pool'
        | 'user-pool-client'
        | 'staff-user-pool'
        | 'staff-user-pool-client'
        | 'staff-console-client'
        | 'verified-access-instance';
    }
  | { readonly kind: 'queries'; readonly provider: ServiceName }
  | { readonly kind: 'parameter'; readonly name: string };

/** One variable of a function's environment. */
export interface EnvironmentVariable {
  readonly name: string;
  readonly source: EnvironmentSource;
}

const variable = (name: string, source: EnvironmentSource): EnvironmentVariable => ({
  name,
  source,
});

const BY_TRIGGER: Readonly<Partial<Record<FunctionTrigger, readonly EnvironmentVariable[]>>> = {
  queue: [
    variable(ENVIRONMENT.queueUrl, { kind: 'queue' }),
    variable(ENVIRONMENT.deadLetterQueueUrl, { kind: 'dead-letter-queue' }),
  ],
  authorizer: [
    variable(ENVIRONMENT.userPoolId, { kind: 'user-pool' }),
    variable(ENVIRONMENT.userPoolClientId, { kind: 'user-pool-client' }),
    variable(ENVIRONMENT.staffUserPoolId, { kind: 'staff-user-pool' }),
    variable(ENVIRONMENT.staffUserPoolClientId, { kind: 'staff-user-pool-client' }),
  ],
  staff: [
    variable(ENVIRONMENT.staffUserPoolId, { kind: 'staff-user-pool' }),
    variable(ENVIRONMENT.staffUserPoolClientId, { kind: 'staff-user-pool-client' }),
    variable(ENVIRONMENT.staffConsoleClientId, { kind: 'staff-console-client' }),
    variable(ENVIRONMENT.verifiedAccessInstanceArn, { kind: 'verified-access-instance' }),
  ],
};

/**
 * The environment one function of a service is given. Every function gets the service's own
 * configuration (its table, its policy store, the Lattice URL of each service it queries and its
 * deploy-time parameters), since they share one module of dependencies; a function that keeps
 * idempotency records also the idempotency table; a queue consumer its queue and DLQ; a function
 * that redrives dead letters the queue and DLQ; the authorizer the customer and the staff user
 * pools; the staff function the staff user pool, its API and console clients, and the Verified
 * Access instance.
 *
 * @example
 * ```ts
 * functionEnvironment(orderService, 'authorizer').map((v) => v.name);
 * // ['TABLE_NAME', 'POLICY_STORE_ID', 'INVENTORY_QUERIES_URL', 'PAYMENT_QUERIES_URL', 'USER_POOL_ID', 'USER_POOL_CLIENT_ID', 'STAFF_USER_POOL_ID', 'STAFF_USER_POOL_CLIENT_ID']
 * ```
 */
export const functionEnvironment = (
  manifest: ServiceManifest,
  handler: string,
): readonly EnvironmentVariable[] => {
  const fn = manifest.functions[handler];
  if (fn === undefined) throw new Error(`${manifest.name} has no function ${handler}`);
  const providers = [...new Set(queriesCalledBy(manifest).map((query) => query.provider))];
  const redrive =
    fn.access.deadLetters === 'redrive'
      ? [
          variable(ENVIRONMENT.queueUrl, { kind: 'queue' }),
          variable(ENVIRONMENT.deadLetterQueueUrl, { kind: 'dead-letter-queue' }),
        ]
      : [];
  return [
    variable(ENVIRONMENT.tableName, { kind: 'table' }),
    variable(ENVIRONMENT.policyStoreId, { kind: 'policy-store' }),
    ...providers.map((provider) =>
      variable(queriesUrlVariable(provider), { kind: 'queries', provider }),
    ),
    ...Object.entries(manifest.configuration ?? {})
      .filter(([, key]) => key.source === 'parameter')
      .map(([name]) => variable(name, { kind: 'parameter', name })),
    ...(fn.access.idempotency === 'records'
      ? [variable(ENVIRONMENT.idempotencyTableName, { kind: 'idempotency-table' })]
      : []),
    ...(BY_TRIGGER[fn.trigger] ?? []),
    ...redrive,
  ];
};
