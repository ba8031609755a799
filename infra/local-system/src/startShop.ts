import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyStore } from '@shop/authorization';
import { ENVIRONMENT, SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { type LocalCloud, reservePort, startLocalCloud } from '@shop/local-cloud';
import { type ApiGateway, startApiGateway } from '@shop/local-cloud/api-gateway';
import { type CardProcessor, startCardProcessor } from '@shop/local-cloud/card-processor';
import { type LocalCognito, startCognito } from '@shop/local-cloud/cognito';
import type { InvokeOutcome } from '@shop/local-cloud/lambda';
import { startLambdaEndpoint } from '@shop/local-cloud/lambda';
import {
  type LatticeAccessLogEntry,
  type LatticeGateway,
  startLatticeGateway,
} from '@shop/local-cloud/lattice';
import { startVerifiedPermissions } from '@shop/local-cloud/verified-permissions';
import {
  serviceAuthPolicy,
  serviceNetworkAuthPolicy,
  serviceRolePath,
  shopTopology,
} from '@shop/topology';
import { SEED_CATALOGUE, type SeedProduct } from './catalogue.js';
import { LOCAL_ACCOUNT, LOCAL_ORGANIZATION, localPrincipals } from './principals.js';
import { ServiceProcess } from './ServiceProcess.js';
import { serviceEnvironment } from './serviceEnvironment.js';
import { functionOf, inventoryService, SHOP_SERVICES } from './services.js';
import { LOCAL_USER_POOL, SEED_USERS } from './users.js';

export interface ShopPorts {
  readonly dynamodb: number;
  readonly sqs: number;
  readonly eventbridge: number;
  readonly lambda: number;
  readonly cardProcessor: number;
  /** The first Lattice service's port; the others follow (0 picks free ports). */
  readonly lattice: number;
  readonly verifiedPermissions: number;
  /** The first REST API's port; the others follow (0 picks free ports). */
  readonly api: number;
  readonly cognito: number;
}

/** Every port 0: each piece listens wherever the OS finds room (tests, benchmarks). */
export const FREE_PORTS: ShopPorts = {
  dynamodb: 0,
  sqs: 0,
  eventbridge: 0,
  lambda: 0,
  cardProcessor: 0,
  lattice: 0,
  verifiedPermissions: 0,
  api: 0,
  cognito: 0,
};

export interface ShopProps {
  /** 0 picks a free port. */
  readonly ports: ShopPorts;
  /** @default 'eu-west-1' */
  readonly region?: string;
  /** The products seeded into Inventory, and priced for Order. @default SEED_CATALOGUE */
  readonly catalogue?: readonly SeedProduct[];
  /** One line per start-up step. */
  readonly progress?: (line: string) => void;
  /** Every log line of every service. @default discarded */
  readonly onLog?: (service: ServiceName, line: string) => void;
  /** @default 'INFO' */
  readonly logLevel?: string;
  /** Count every AWS call by caller and operation (see `LocalCloud.requestCounts`). @default false */
  readonly countRequests?: boolean;
  /** How many times the bus delivers each event to each target (at-least-once, on purpose). @default 1 */
  readonly deliveryCopies?: number;
  /** One entry per request through the Lattice gateway. @default discarded */
  readonly onAccessLog?: (entry: LatticeAccessLogEntry) => void;
}

export interface Shop {
  /** The SDK variables for the local cloud, including `AWS_ENDPOINT_URL_LAMBDA`. */
  readonly environment: Readonly<Record<string, string>>;
  readonly cloud: LocalCloud;
  readonly cardProcessor: CardProcessor;
  readonly lattice: LatticeGateway;
  /** The services' REST APIs (customer and employee routes), behind their authorizers. */
  readonly apis: ApiGateway;
  /** The local user pool: `InitiateAuth` and the JWKS. */
  readonly cognito: LocalCognito;
  readonly services: readonly ServiceProcess[];
  stop(): Promise<void>;
}

/**
 * Starts the whole shop: the local cloud with its topology, the card processor sandbox, the
 * Lattice gateway with the services' auth policies, each service in its own process (behind a
 * Lambda Invoke endpoint and its Lattice service), and the seeded catalogue. If any step fails,
 * what already runs is stopped.
 *
 * @example
 * ```ts
 * const shop = await startShop({ ports: FREE_PORTS });
 * const lambda = new LambdaClient({ endpoint: shop.environment.AWS_ENDPOINT_URL_LAMBDA });
 * ```
 */
/** The local id of a service's policy store. */
const policyStoreId = (service: ServiceName) => `local-${service}`;

/** A service's Cedar policy store, from its package's `policies/`. */
const policyStoreOf = (service: ServiceName) =>
  loadPolicyStore(
    service,
    dirname(fileURLToPath(import.meta.resolve(`@shop/${service}/policies/schema.cedarschema`))),
  );

export const startShop = async (props: ShopProps): Promise<Shop> => {
  const region = props.region ?? 'eu-west-1';
  const account = LOCAL_ACCOUNT;
  const progress = props.progress ?? (() => undefined);
  const catalogue = props.catalogue ?? SEED_CATALOGUE;
  const topology = shopTopology(SHOP_SERVICES);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne();
  };
  try {
    const cloud = await startLocalCloud({
      region,
      account,
      busName: topology.busName,
      ports: props.ports,
      progress,
      topology,
      ...(props.deliveryCopies !== undefined && { deliveryCopies: props.deliveryCopies }),
      ...(props.countRequests !== undefined && { countRequests: props.countRequests }),
    });
    stops.push(() => cloud.stop());

    const cardProcessor = await startCardProcessor({
      port: await reservePort(
        'card processor',
        props.ports.cardProcessor,
        'LOCAL_CARD_PROCESSOR_PORT',
      ),
    });
    stops.push(() => cardProcessor.close());
    progress(`card processor sandbox at ${cardProcessor.url}`);

    const verifiedPermissions = await startVerifiedPermissions({
      port: await reservePort(
        'Verified Permissions',
        props.ports.verifiedPermissions,
        'LOCAL_VERIFIED_PERMISSIONS_PORT',
      ),
      stores: Object.fromEntries(
        SERVICE_NAMES.map((service) => [policyStoreId(service), policyStoreOf(service)]),
      ),
    });
    stops.push(() => verifiedPermissions.close());
    progress(
      `Verified Permissions at ${verifiedPermissions.endpoint}: one policy store per service`,
    );
    const cognito = await startCognito({
      port: await reservePort('Cognito', props.ports.cognito, 'LOCAL_COGNITO_PORT'),
      region,
      userPoolId: `${region}_local`,
      clientId: LOCAL_USER_POOL.clientId,
      users: SEED_USERS,
    });
    stops.push(() => cognito.close());
    progress(`Cognito user pool at ${cognito.endpoint}: ${SEED_USERS.length} users`);
    const environment = {
      ...cloud.environment,
      AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS: verifiedPermissions.endpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
      [ENVIRONMENT.userPoolId]: `${region}_local`,
      [ENVIRONMENT.userPoolClientId]: LOCAL_USER_POOL.clientId,
      TOKEN_ISSUER: cognito.issuer,
    };

    // The gateway's targets are the service processes, started next.
    const owner = new Map<string, ServiceProcess>();
    const firstLatticePort = await reservePort(
      'Lattice',
      props.ports.lattice,
      'LOCAL_LATTICE_PORT',
    );
    const lattice = await startLatticeGateway({
      region,
      account,
      serviceNetwork: {
        name: 'shop',
        authPolicy: serviceNetworkAuthPolicy({
          organizationId: LOCAL_ORGANIZATION,
          services: `arn:aws:vpc-lattice:${region}:${account}:service/*`,
        }),
      },
      services: topology.latticeServices.map((latticeService, index) => ({
        name: latticeService.latticeServiceName,
        port: props.ports.lattice === 0 ? 0 : firstLatticePort + index,
        authPolicy: (serviceArn) =>
          serviceAuthPolicy(latticeService, {
            serviceArn,
            roleArnPattern: (service) => `arn:aws:iam::${account}:role${serviceRolePath(service)}*`,
          }),
        invoke: async (event) => {
          const outcome = (await owner
            .get(latticeService.functionName)
            ?.invoke(latticeService.functionName, event)) ?? { kind: 'unknown-function' };
          // A stopped process is a target Lattice cannot connect to, not a failed function.
          if (outcome.kind === 'error' && outcome.errorType === 'ServiceExited') {
            throw new Error(outcome.errorMessage);
          }
          return outcome;
        },
      })),
      principals: localPrincipals(),
      ...(props.onAccessLog !== undefined && { onAccessLog: props.onAccessLog }),
    });
    stops.push(() => lattice.close());
    const invokeFunction = async (functionName: string, event: unknown): Promise<InvokeOutcome> =>
      (await owner.get(functionName)?.invoke(functionName, event)) ?? { kind: 'unknown-function' };
    const firstApiPort = await reservePort('REST API', props.ports.api, 'LOCAL_API_PORT');
    const apis = await startApiGateway({
      region,
      account,
      apis: topology.restApis.map((api, index) => ({
        name: api.apiName,
        port: props.ports.api === 0 ? 0 : firstApiPort + index,
        invoke: (event) => invokeFunction(api.functionName, event),
        authorize: (event) => invokeFunction(api.authorizerFunctionName, event),
      })),
    });
    stops.push(() => apis.close());
    progress(`REST APIs: ${apis.apis.map((api) => `${api.name} at ${api.url}`).join(', ')}`);
    const queryUrls = Object.fromEntries(
      topology.latticeServices.map((latticeService, index) => [
        latticeService.service,
        lattice.services[index]?.url ?? '',
      ]),
    );
    progress(
      `Lattice gateway: ${lattice.services.map((service) => `${service.name} at ${service.url}`).join(', ')}`,
    );

    const began = performance.now();
    progress('starting the services, each in its own process ...');
    const started = await Promise.allSettled(
      SERVICE_NAMES.map((service) =>
        ServiceProcess.start({
          service,
          environment: serviceEnvironment(service, {
            cloud,
            environment,
            policyStoreId: policyStoreId(service),
            topology,
            // The deploy-time parameters of the services' stacks, as the local system sets them.
            parameters: { CARD_PROCESSOR_URL: cardProcessor.url },
            queryUrls,
            ...(props.logLevel !== undefined && { logLevel: props.logLevel }),
          }),
          onLog: props.onLog ?? (() => undefined),
        }),
      ),
    );
    const services = started.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    stops.push(async () => {
      await Promise.all(services.map((service) => service.stop()));
    });
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    progress(`services ready in ${Math.round(performance.now() - began)} ms`);

    for (const service of services) {
      for (const name of service.functions) owner.set(name, service);
    }
    const lambda = await startLambdaEndpoint({
      port: await reservePort('Lambda', props.ports.lambda, 'LOCAL_LAMBDA_PORT'),
      region,
      account,
      functionExists: (functionName) => owner.has(functionName),
      invoke: async (functionName, payload) =>
        owner.get(functionName)?.invoke(functionName, payload) ?? { kind: 'unknown-function' },
    });
    stops.push(() => lambda.close());

    const putProduct = functionOf(inventoryService, 'putProduct');
    for (const product of catalogue) {
      const outcome = await owner.get(putProduct)?.invoke(putProduct, product);
      if (outcome?.kind !== 'result') {
        throw new Error(`Seeding ${product.sku} failed: ${JSON.stringify(outcome)}`);
      }
    }
    progress(`catalogue seeded: ${catalogue.length} products`);

    return {
      environment: { ...environment, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint },
      cloud,
      cardProcessor,
      lattice,
      apis,
      cognito,
      services,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
