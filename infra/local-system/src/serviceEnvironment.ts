import type { ServiceName } from '@shop/contracts';
import type { LocalCloud } from '@shop/local-cloud';
import type { ShopTopology } from '@shop/topology';
import { servicePrincipal } from './principals.js';

export interface ServiceEnvironmentProps {
  readonly cloud: LocalCloud;
  /** The SDK endpoint variables of the local cloud and the shop's local endpoints. */
  readonly environment: Readonly<Record<string, string>>;
  readonly policyStoreId: string;
  readonly topology: ShopTopology;
  readonly cardProcessorUrl: string;
  /** The Lattice services' URLs, by service name (e.g. `inventory`). */
  readonly queryUrls: Readonly<Partial<Record<ServiceName, string>>>;
  /** @default 'INFO' */
  readonly logLevel?: string;
}

/**
 * The environment of one service's process: what its CDK stack gives its functions in AWS
 * (table, queue, DLQ, idempotency table, the Lattice URLs of the services it queries, ...) plus
 * the local cloud's endpoint variables.
 */
export const serviceEnvironment = (
  service: ServiceName,
  props: ServiceEnvironmentProps,
): Record<string, string> => {
  const table = props.topology.tables.find((t) => t.service === service);
  const consumer = props.cloud.consumers.find((c) => c.service === service);
  const principal = servicePrincipal(service);
  return {
    ...props.environment,
    POLICY_STORE_ID: props.policyStoreId,
    // Every service, DynamoDB Local and the emulators share this machine's cores: give queries
    // more time than the 2 s a Lambda function gets in AWS.
    QUERY_TIMEOUT_MS: '5000',
    // Each service calls AWS as itself, so the local cloud can tell who calls.
    AWS_ACCESS_KEY_ID: principal.accessKeyId,
    AWS_SECRET_ACCESS_KEY: principal.secretAccessKey,
    POWERTOOLS_SERVICE_NAME: service,
    POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
    AWS_LAMBDA_FUNCTION_NAME: `${service}-events`,
    ...(table && {
      TABLE_NAME: table.tableName,
      IDEMPOTENCY_TABLE_NAME: table.idempotencyTableName,
    }),
    ...(consumer && {
      QUEUE_URL: consumer.queue.url,
      DEAD_LETTER_QUEUE_URL: consumer.deadLetterQueue.url,
    }),
    ...Object.fromEntries(
      props.topology.latticeServices
        .filter((lattice) => lattice.callers.some((caller) => caller.service === service))
        .map((lattice) => [
          `${lattice.service.toUpperCase()}_QUERIES_URL`,
          props.queryUrls[lattice.service] ?? '',
        ]),
    ),
    ...(service === 'payment' && { CARD_PROCESSOR_URL: props.cardProcessorUrl }),
  };
};
