import type { ServiceName } from '@shop/contracts';
import type { LocalCloud } from '@shop/local-cloud';
import type { ShopTopology } from '@shop/topology';
import type { SeedProduct } from './catalogue.js';

export interface ServiceEnvironmentProps {
  readonly cloud: LocalCloud;
  readonly topology: ShopTopology;
  readonly catalogue: readonly SeedProduct[];
  readonly cardProcessorUrl: string;
  /** @default 'INFO' */
  readonly logLevel?: string;
}

/**
 * The environment of one service's process: what its CDK stack gives its functions in AWS
 * (table, queue, DLQ, idempotency table, ...) plus the local cloud's endpoint variables.
 */
export const serviceEnvironment = (
  service: ServiceName,
  props: ServiceEnvironmentProps,
): Record<string, string> => {
  const table = props.topology.tables.find((t) => t.service === service);
  const consumer = props.cloud.consumers.find((c) => c.service === service);
  return {
    ...props.cloud.environment,
    // Each service calls AWS as itself, so the local cloud can tell who calls (DynamoDB Local
    // accepts only letters and digits in an access key id).
    AWS_ACCESS_KEY_ID: `local${service}`,
    AWS_SECRET_ACCESS_KEY: `local${service}`,
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
    ...(service === 'order' && {
      PRICE_LIST: JSON.stringify(
        Object.fromEntries(props.catalogue.map((product) => [product.sku, product.unitPrice])),
      ),
    }),
    ...(service === 'payment' && { CARD_PROCESSOR_URL: props.cardProcessorUrl }),
  };
};
