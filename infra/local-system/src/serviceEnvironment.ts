import {
  ENVIRONMENT,
  type EnvironmentSource,
  functionEnvironment,
  type ServiceName,
} from '@shop/contracts';
import type { LocalCloud } from '@shop/local-cloud';
import type { ShopTopology } from '@shop/topology';
import { servicePrincipal } from './principals.js';
import { manifestOf } from './services.js';

export interface ServiceEnvironmentProps {
  readonly cloud: LocalCloud;
  /** The SDK endpoint variables of the local cloud and the shop's local endpoints. */
  readonly environment: Readonly<Record<string, string>>;
  readonly policyStoreId: string;
  readonly topology: ShopTopology;
  /** The Lattice services' URLs, by service name (e.g. `inventory`). */
  readonly queryUrls: Readonly<Partial<Record<ServiceName, string>>>;
  /** The values of the services' deploy-time parameters, by name. */
  readonly parameters: Readonly<Record<string, string>>;
  /** @default 'INFO' */
  readonly logLevel?: string;
}

/**
 * The environment of one service's process: what its CDK stack gives its functions in AWS,
 * derived from the same manifest (every function's variables, resolved against the local cloud),
 * plus the local cloud's endpoint variables and the service's local credentials.
 */
export const serviceEnvironment = (
  service: ServiceName,
  props: ServiceEnvironmentProps,
): Record<string, string> => {
  const manifest = manifestOf(service);
  const table = props.topology.tables.find((t) => t.service === service);
  const consumer = props.cloud.consumers.find((c) => c.service === service);
  const queueFunction = props.topology.consumers.find((c) => c.service === service)?.functionName;
  const resolve = (source: EnvironmentSource): string | undefined => {
    switch (source.kind) {
      case 'table':
        return table?.tableName;
      case 'policy-store':
        return props.policyStoreId;
      case 'idempotency-table':
        return table?.idempotencyTableName;
      case 'queue':
        return consumer?.queue.url;
      case 'dead-letter-queue':
        return consumer?.deadLetterQueue.url;
      case 'user-pool':
        return props.environment[ENVIRONMENT.userPoolId];
      case 'user-pool-client':
        return props.environment[ENVIRONMENT.userPoolClientId];
      case 'queries':
        return props.queryUrls[source.provider];
      case 'parameter':
        return props.parameters[source.name];
    }
  };
  const principal = servicePrincipal(service);
  return {
    ...props.environment,
    // Every service, DynamoDB Local and the emulators share this machine's cores: give queries
    // more time than the 2 s a Lambda function gets in AWS.
    QUERY_TIMEOUT_MS: '5000',
    // Each service calls AWS as itself, so the local cloud can tell who calls.
    AWS_ACCESS_KEY_ID: principal.accessKeyId,
    AWS_SECRET_ACCESS_KEY: principal.secretAccessKey,
    POWERTOOLS_SERVICE_NAME: service,
    POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
    ...(queueFunction && { AWS_LAMBDA_FUNCTION_NAME: queueFunction }),
    ...Object.fromEntries(
      Object.keys(manifest.functions)
        .flatMap((handler) => functionEnvironment(manifest, handler))
        .map((variable) => [variable.name, resolve(variable.source) ?? ''] as const),
    ),
  };
};
