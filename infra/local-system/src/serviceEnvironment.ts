import {
  ENVIRONMENT,
  type EnvironmentSource,
  functionEnvironment,
  type ServiceName,
} from '@shop/contracts';
import type { LocalCloud } from '@shop/local-cloud';
import type { LocalCredentials } from '@shop/local-cloud/iam';
import { type ShopTopology, serviceTopology } from '@shop/topology';
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
  /**
   * Values of the services' configuration keys that have a default, by name, set for every
   * function of a service that declares the key. @default each key's default
   */
  readonly configuration?: Readonly<Record<string, string>>;
  /** @default 'INFO' */
  readonly logLevel?: string;
}

/** Resolves a function's variable against the local cloud. */
const resolverOf =
  (service: ServiceName, props: ServiceEnvironmentProps) =>
  (source: EnvironmentSource): string | undefined => {
    const table = props.topology.tables.find((t) => t.service === service);
    const consumer = props.cloud.consumers.find((c) => c.service === service);
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
      case 'staff-user-pool':
        return props.environment[ENVIRONMENT.staffUserPoolId];
      case 'staff-user-pool-client':
        return props.environment[ENVIRONMENT.staffUserPoolClientId];
      case 'staff-console-client':
        return props.environment[ENVIRONMENT.staffConsoleClientId];
      case 'verified-access-instance':
        return props.environment[ENVIRONMENT.verifiedAccessInstanceArn];
      case 'queries':
        return props.queryUrls[source.provider];
      case 'parameter':
        return props.parameters[source.name];
    }
  };

/** One function of a service process: its handler module and the environment it sees. */
export interface FunctionSetup {
  readonly functionName: string;
  readonly handler: string;
  readonly environment: Readonly<Record<string, string>>;
}

/** The environment of one service: its process's, and each of its functions'. */
export interface ServiceSetup {
  /** What the service process itself sees: no function's credentials. */
  readonly environment: Readonly<Record<string, string>>;
  readonly functions: readonly FunctionSetup[];
}

/**
 * The environment of one service: what its CDK stack gives each of its functions in AWS, derived
 * from the same manifest (each function's own variables, resolved against the local cloud), the
 * local cloud's endpoint variables, the values given for its configuration keys, and each
 * function's own role's credentials, as Lambda gives a function its execution role's. The
 * process itself gets no credentials.
 *
 * @example
 * ```ts
 * const { functions } = serviceEnvironment('order', { ...props, credentialsOf });
 * functions.find((fn) => fn.functionName === 'order-api')?.environment.AWS_ACCESS_KEY_ID;
 * ```
 */
export const serviceEnvironment = (
  service: ServiceName,
  props: ServiceEnvironmentProps & {
    /** The credentials of the role a function runs as. */
    readonly credentialsOf: (functionName: string) => LocalCredentials;
  },
): ServiceSetup => {
  const manifest = manifestOf(service);
  const resolve = resolverOf(service, props);
  const {
    AWS_ACCESS_KEY_ID: _key,
    AWS_SECRET_ACCESS_KEY: _secret,
    ...endpoints
  } = props.environment;
  const environment = {
    ...endpoints,
    // Every service, DynamoDB Local and the emulators share this machine's cores: give queries
    // more time than the 2 s a Lambda function gets in AWS. A query function's first call starts
    // its execution environment, whose init takes seconds on a busy machine (tenths in AWS), and
    // each attempt gets 40% of the budget.
    QUERY_TIMEOUT_MS: '10000',
    POWERTOOLS_SERVICE_NAME: service,
    POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
    // Lambda runs nodejs22.x; on a Node 20 machine `npm start` says once what the SDK would say
    // in every function's thread.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const configured = Object.entries(manifest.configuration ?? {}).flatMap(([name, key]) => {
    const value = props.configuration?.[name];
    return key.source === 'default' && value !== undefined ? [[name, value] as const] : [];
  });
  const functions = serviceTopology(manifest).functions.map((fn): FunctionSetup => {
    const credentials = props.credentialsOf(fn.functionName);
    return {
      functionName: fn.functionName,
      handler: fn.handler,
      environment: {
        ...environment,
        AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        ...Object.fromEntries(configured),
        ...Object.fromEntries(
          functionEnvironment(manifest, fn.handler).map(
            (variable) => [variable.name, resolve(variable.source) ?? ''] as const,
          ),
        ),
      },
    };
  });
  return { environment, functions };
};
