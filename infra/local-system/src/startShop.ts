import { CONSOLE_ENVIRONMENT, CONSOLE_FUNCTION_NAME } from '@shop/console';
import { ENVIRONMENT, type ServiceName } from '@shop/contracts';
import { type LocalCloud, reservePort, startLocalCloud } from '@shop/local-cloud';
import { type ApiGateway, startApiGateway } from '@shop/local-cloud/api-gateway';
import type { CardProcessor } from '@shop/local-cloud/card-processor';
import type { LocalCognito } from '@shop/local-cloud/cognito';
import type { FrontTiming, IamDecisionLogEntry, LocalCredentials } from '@shop/local-cloud/iam';
import type { InvokeFunction } from '@shop/local-cloud/lambda';
import type { LatticeAccessLogEntry, LatticeGateway } from '@shop/local-cloud/lattice';
import type { LoadBalancer } from '@shop/local-cloud/load-balancer';
import {
  authorizerDecisionMessage,
  decisionLogWriter,
  iamDecisionMessage,
  LogGroups,
  latticeDecisionMessage,
  verifiedAccessDecisionMessage,
  verifiedPermissionsDecisionMessage,
} from '@shop/local-cloud/logs';
import {
  type DeviceTrustKey,
  deviceTrustPublicKey,
  issueDevicePosture,
  newDeviceTrustKey,
  type VerifiedAccessDecision,
  type VerifiedAccessEndpoint,
} from '@shop/local-cloud/verified-access';
import { STAFF_ENTRY_ENVIRONMENT } from '@shop/shared';
import { type ShopTopology, shopTopology, type TopologyProps } from '@shop/topology';
import { SEED_CATALOGUE, type SeedProduct } from './catalogue.js';
import { type ShopIam, shopIam } from './iamEnforcement.js';
import { type LambdaEvent, type LambdaRuntime, LocalLambda } from './LocalLambda.js';
import { type LocalAccess, localAccess } from './localAccess.js';
import { type FunctionSettings, localFunctions } from './localFunctions.js';
import { LOCAL_ACCOUNT } from './principals.js';
import type { ShopStartup } from './ShopStartup.js';
import type { ShopService } from './SupervisedService.js';
import { SHOP_SERVICES } from './services.js';
import { type ApiUrls, type ShopApiClient, type StaffEntry, signedInClient } from './shopApi.js';
import { shopCode } from './shopCode.js';
import { type ConsoleFunction, startConsoleFunction } from './startConsoleFunction.js';
import {
  startCardProcessorSandbox,
  startLambdaApi,
  startPolicyStores,
  startUserPool,
} from './startEmulators.js';
import { startServiceProcesses } from './startServiceProcesses.js';
import { startShopLattice } from './startShopLattice.js';
import { startShopLoadBalancer } from './startShopLoadBalancer.js';
import { startShopScheduler } from './startShopScheduler.js';
import { startShopVerifiedAccess } from './startShopVerifiedAccess.js';
import {
  LOCAL_USER_POOLS,
  LOCAL_USERS,
  localUserPoolId,
  newStaffSecrets,
  type TotpSecrets,
} from './users.js';

export interface ShopPorts {
  readonly dynamodb: number;
  readonly sqs: number;
  readonly eventbridge: number;
  readonly cardProcessor: number;
  /** The first Lattice service's port; the others follow (0 picks free ports). */
  readonly lattice: number;
  readonly verifiedPermissions: number;
  /** The first REST API's port; the others follow (0 picks free ports). */
  readonly api: number;
  readonly cognito: number;
  readonly lambda: number;
  /** The Verified Access endpoint's port; its public keys on the next one. */
  readonly verifiedAccess: number;
  /** CloudWatch Logs: the audit log and the decision logs. */
  readonly logs: number;
  /** The staff load balancer's, behind Verified Access. */
  readonly staffLoadBalancer: number;
}

/** Every port 0: each piece listens wherever the OS finds room (tests, benchmarks). */
export const FREE_PORTS: ShopPorts = {
  dynamodb: 0,
  sqs: 0,
  eventbridge: 0,
  cardProcessor: 0,
  lattice: 0,
  verifiedPermissions: 0,
  api: 0,
  cognito: 0,
  lambda: 0,
  verifiedAccess: 0,
  logs: 0,
  staffLoadBalancer: 0,
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
  /** One entry per IAM decision of the fronts before the local endpoints. @default discarded */
  readonly onIamDecision?: (entry: IamDecisionLogEntry) => void;
  /** What the IAM fronts added to each request they forwarded. @default not measured */
  readonly onIamTiming?: (timing: FrontTiming) => void;
  /**
   * Values of the services' configuration keys that have a default, by name, given to every
   * function of the service that declares the key instead of its default, e.g.
   * `{ ORDER_EXPIRY_SECONDS: '5' }` (a deploy-time parameter's value is the local system's).
   * @default each key's default
   */
  readonly configuration?: Readonly<Record<string, string>>;
  /**
   * Runs every schedule this often, in seconds, instead of at its rate (e.g. Order's expiry,
   * every minute in AWS), for a test that cannot wait a minute. @default each schedule's rate
   */
  readonly scheduleEverySeconds?: number;
  /**
   * `'off'` is a measurement baseline, for the saga benchmark only: it shows what enforcement
   * costs. The functions still sign with their own roles' keys, but DynamoDB, SQS, EventBridge
   * and Verified Permissions take the public ports themselves, with no IAM front, and answer any
   * key; Cognito and Lambda's API keep theirs, so no way around the REST APIs opens. The REST APIs' authorizers, the Lattice auth policies and Cedar still decide. `npm start`
   * and the system tests always enforce.
   * @default 'enforced'
   */
  readonly iam?: 'enforced' | 'off';
  /**
   * Overrides of every consumer's settings (visibility timeout, batch size, the services'
   * function timeout, ...), as a service stack's `settings` are. @default DEFAULT_CONSUMER_SETTINGS
   */
  readonly settings?: TopologyProps['settings'];
  /**
   * Settings of single functions for this shop, by function name: a timeout or a concurrency
   * other than their stacks'. @default none
   */
  readonly functions?: Readonly<Record<string, FunctionSettings>>;
  /**
   * What happens to the functions and the services' processes: a crash and its restart, an
   * invocation stopped at its timeout, its execution environment discarded. @default discarded
   */
  readonly onLambdaEvent?: (event: LambdaEvent) => void;
  /**
   * Where the Verified Access endpoint sends the requests it allows, instead of the staff load
   * balancer. @default the staff load balancer
   */
  readonly verifiedAccessUpstream?: string;
  /** One entry per request through the Verified Access endpoint. @default discarded */
  readonly onVerifiedAccessDecision?: (entry: VerifiedAccessDecision) => void;
}

export interface Shop {
  /** The SDK variables for the local cloud, Verified Permissions and the user pool. */
  readonly environment: Readonly<Record<string, string>>;
  readonly cloud: LocalCloud;
  readonly cardProcessor: CardProcessor;
  readonly lattice: LatticeGateway;
  /** The services' REST APIs (customer routes), behind their authorizers. */
  readonly apis: ApiGateway;
  /** Each service's REST API URL, for the services that have one. */
  readonly apiUrls: ApiUrls;
  /**
   * The local user pools, customers' and staff's: `InitiateAuth`, `RespondToAuthChallenge` and
   * each pool's JWKS.
   */
  readonly cognito: LocalCognito;
  /**
   * The TOTP secret of each member of staff's authenticator app, made for this run: what the
   * tools that sign staff in compute their codes from (`signIn`, `as`).
   */
  readonly totpSecrets: TotpSecrets;
  /** The Verified Access endpoint before the staff applications. */
  readonly verifiedAccess: VerifiedAccessEndpoint;
  /** The staff load balancer behind it: the services' staff functions, by path. */
  readonly staffLoadBalancer: LoadBalancer;
  /**
   * The staff entry of a compliant device (its posture signed by the device trust provider, as
   * `npx shop device compliant` signs it): what `as` sends staff routes through.
   */
  readonly staffEntry: StaffEntry;
  /**
   * The local device trust provider's signing key, made for this run: what issues device
   * postures (`npx shop device compliant`), as the Jamf agent does.
   */
  readonly deviceTrustKey: DeviceTrustKey;
  /** The staff console's function (ADR 0025), as the staff load balancer invokes it. */
  readonly console: ConsoleFunction;
  /** Each service as the shop runs it: its process, restarted after a crash. */
  readonly services: readonly ShopService[];
  /** The shop's Lambda: each function's invocations, throttles, timeouts and in flight. */
  readonly lambda: LambdaRuntime;
  /** The roles and policies of the shop's stacks, resolved for the local account. */
  readonly access: LocalAccess;
  /**
   * The IAM the local cloud enforces (unless `iam: 'off'`): each role's local credentials, as its
   * function gets them (the tests' way to act as a function's role), and the local administrator's.
   */
  readonly iam: ShopIam;
  /** The credentials of the role a function runs as, e.g. `credentialsOf('payment-events')`. */
  credentialsOf(functionName: string): LocalCredentials;
  /**
   * Signs a user of the local pool in (staff with the code of their authenticator app): a client
   * of the shop's routes acting as that user, customer routes through the REST APIs, staff
   * routes through Verified Access from a compliant device (`staffEntry`), or `staff`.
   */
  as(username: string, staff?: StaffEntry): Promise<ShopApiClient>;
  stop(): Promise<void>;
}

const startCloud = async (
  { region, topology, progress, stops }: ShopStartup,
  props: ShopProps,
  iam: ShopIam,
  enforced: boolean,
  logGroups: LogGroups,
) => {
  const cloud = await startLocalCloud({
    ...(enforced && { iam }),
    logGroups,
    // Each outbox relay reads its stream and puts events as its Pipe's role.
    relayCredentials: (service) => iam.credentialsOf(`${service}-outbox-pipe`),
    region,
    account: LOCAL_ACCOUNT,
    busName: topology.busName,
    ports: props.ports,
    progress,
    topology,
    ...(props.deliveryCopies !== undefined && { deliveryCopies: props.deliveryCopies }),
    ...(props.countRequests !== undefined && { countRequests: props.countRequests }),
  });
  stops.push(() => cloud.stop());
  return cloud;
};

/** The SDK variables for the local cloud, Verified Permissions, the user pool and Lambda. */
const shopEnvironment = (
  region: string,
  endpoints: {
    readonly cloud: LocalCloud;
    readonly verifiedPermissions: { readonly endpoint: string };
    readonly cognito: LocalCognito;
    readonly lambda: { readonly endpoint: string };
  },
  admin: LocalCredentials,
  verifiedAccess: VerifiedAccessEndpoint,
): Record<string, string> => ({
  ...endpoints.cloud.environment,
  // Whoever runs the shop is the local account's administrator.
  AWS_ACCESS_KEY_ID: admin.accessKeyId,
  AWS_SECRET_ACCESS_KEY: admin.secretAccessKey,
  AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS: endpoints.verifiedPermissions.endpoint,
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito.endpoint,
  AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda.endpoint,
  [ENVIRONMENT.userPoolId]: localUserPoolId(region, 'customers'),
  [ENVIRONMENT.userPoolClientId]: LOCAL_USER_POOLS.customers.clientId,
  TOKEN_ISSUER: endpoints.cognito.issuerOf(localUserPoolId(region, 'customers')),
  [ENVIRONMENT.staffUserPoolId]: localUserPoolId(region, 'staff'),
  [ENVIRONMENT.staffUserPoolClientId]: LOCAL_USER_POOLS.staff.clientId,
  [ENVIRONMENT.staffConsoleClientId]: LOCAL_USER_POOLS.staff.consoleClientId,
  STAFF_TOKEN_ISSUER: endpoints.cognito.issuerOf(localUserPoolId(region, 'staff')),
  // The staff functions require the user context of the local Verified Access endpoint, whose
  // public keys are at its key endpoint, not at AWS's.
  [ENVIRONMENT.verifiedAccessInstanceArn]: verifiedAccess.instanceArn,
  VERIFIED_ACCESS_PUBLIC_KEYS_URL: verifiedAccess.publicKeysUrl,
});

const startRestApis = async (
  { region, topology, progress, stops }: ShopStartup,
  props: ShopProps,
  invokeFunction: InvokeFunction,
  decisions: DecisionLogs,
): Promise<ApiGateway> => {
  const firstPort = await reservePort('REST API', props.ports.api, 'LOCAL_API_PORT');
  const apis = await startApiGateway({
    region,
    account: LOCAL_ACCOUNT,
    onAuthorization: (entry) => decisions.write(authorizerDecisionMessage(entry, new Date())),
    apis: topology.restApis.map((api, index) => ({
      name: api.apiName,
      port: props.ports.api === 0 ? 0 : firstPort + index,
      invoke: (event) => invokeFunction(api.functionName, event),
      authorize: (event) => invokeFunction(api.authorizerFunctionName, event),
    })),
  });
  stops.push(() => apis.close());
  progress(`REST APIs: ${apis.apis.map((api) => `${api.name} at ${api.url}`).join(', ')}`);
  return apis;
};

/** The decision log groups, and the shop's props with each decision producer also writing there. */
interface DecisionLogs {
  readonly logGroups: LogGroups;
  readonly write: ReturnType<typeof decisionLogWriter>;
}

/**
 * The decision log groups of the shop (in the log groups CloudWatch Logs will serve), and the
 * props whose decision observers write each decision there too, besides their own observers.
 */
const withDecisionLogs = (region: string, props: ShopProps) => {
  const logGroups = new LogGroups({ region, account: LOCAL_ACCOUNT });
  const write = decisionLogWriter(logGroups);
  const observed: ShopProps = {
    ...props,
    onIamDecision: (entry) => {
      write(iamDecisionMessage(entry, new Date()));
      props.onIamDecision?.(entry);
    },
    onAccessLog: (entry) => {
      write(latticeDecisionMessage(entry));
      props.onAccessLog?.(entry);
    },
    onVerifiedAccessDecision: (entry) => {
      write(verifiedAccessDecisionMessage(entry, new Date()));
      props.onVerifiedAccessDecision?.(entry);
    },
  };
  return { decisions: { logGroups, write } satisfies DecisionLogs, props: observed };
};

/** Where each service's callers reach its queries: its Lattice service's URL. */
const queryUrlsOf = (topology: ShopTopology, lattice: LatticeGateway) =>
  Object.fromEntries(
    topology.latticeServices.map((latticeService, index) => [
      latticeService.service,
      lattice.services[index]?.url ?? '',
    ]),
  );

/** Each service's REST API URL, by service. */
const apiUrlsOf = (topology: ShopTopology, apis: ApiGateway): ApiUrls =>
  Object.fromEntries(
    topology.restApis.map((api, index) => [api.service, apis.apis[index]?.url ?? '']),
  );

/**
 * What the console's stack gives its function in AWS, resolved locally: the SDK endpoints (no
 * keys: its role's are added), the staff pool, the Verified Access instance whose user context
 * it requires and where that instance's public keys are, where the shop's queues are, and the
 * staff pool's managed login, where its pages sign in.
 */
const consoleEnvironment = (
  environment: Readonly<Record<string, string>>,
  cloud: LocalCloud,
  verifiedAccess: VerifiedAccessEndpoint,
): Record<string, string> => {
  const { AWS_ACCESS_KEY_ID: _key, AWS_SECRET_ACCESS_KEY: _secret, ...endpoints } = environment;
  const queueUrl = cloud.consumers[0]?.queue.url ?? '';
  return {
    ...endpoints,
    [STAFF_ENTRY_ENVIRONMENT.verifiedAccessInstanceArn]: verifiedAccess.instanceArn,
    [STAFF_ENTRY_ENVIRONMENT.verifiedAccessPublicKeysUrl]: verifiedAccess.publicKeysUrl,
    [CONSOLE_ENVIRONMENT.queueUrlBase]: queueUrl.slice(0, queueUrl.lastIndexOf('/')),
    // The staff pool's managed login answers at the Cognito address (ADR 0026).
    [CONSOLE_ENVIRONMENT.managedLoginUrl]:
      environment['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER'] ?? '',
  };
};

/** The device the shop's own staff calls come from: compliant, its posture signed as Jamf's agent would. */
const compliantDevice =
  (key: DeviceTrustKey): StaffEntry['devicePosture'] =>
  () =>
    issueDevicePosture(key, {
      deviceId: 'local-shop',
      jamf: { risk: 'SECURE', osv: '15.1.0', groups: [] },
    });

/**
 * Puts the catalogue through Inventory's staff routes, signed in as an Admin, through Verified
 * Access from a compliant device: no back door.
 */
const seedCatalogue = async (
  { progress }: ShopStartup,
  props: ShopProps,
  as: Shop['as'],
): Promise<void> => {
  const catalogue = props.catalogue ?? SEED_CATALOGUE;
  const admin = await as(LOCAL_USERS.admin);
  for (const { sku, ...product } of catalogue) {
    const put = await admin.request('inventory', 'PUT', `/admin/products/${sku}`, product);
    if (put.status !== 200) {
      throw new Error(`Seeding ${sku} failed: ${put.status} ${JSON.stringify(put.body)}`);
    }
  }
  progress(`catalogue seeded by ${LOCAL_USERS.admin} (an Admin): ${catalogue.length} products`);
};

/**
 * Starts the whole shop: the local cloud with its topology, the card processor sandbox, the
 * user pool, the REST APIs behind their authorizers, the staff load balancer behind the Verified
 * Access endpoint (with the services' staff functions and the staff console), the Lattice gateway
 * with the services' auth policies, each service in its own process, the services' schedules,
 * and the catalogue, seeded by an Admin through Verified Access and Inventory's staff function.
 * The REST APIs, Verified Access, the Lattice services, the queues and the schedules (through
 * Lambda's API, as their own roles) are the only ways into the functions. Every access decision
 * (IAM, Lattice, Verified Access, the authorizers, Verified Permissions) is written to its log
 * group in CloudWatch Logs (`SHOP_LOG_GROUPS.decisions`), besides the props' observers. If any
 * step fails, what already runs is stopped.
 *
 * @example
 * ```ts
 * const shop = await startShop({ ports: FREE_PORTS });
 * const alice = await shop.as('alice');
 * await alice.request('order', 'GET', '/orders');
 * ```
 */
export const startShop = async (given: ShopProps): Promise<Shop> => {
  const region = given.region ?? 'eu-west-1';
  const { decisions, props } = withDecisionLogs(region, given);
  const topology = shopTopology(SHOP_SERVICES, {
    ...(props.settings !== undefined && { settings: props.settings }),
  });
  const progress = props.progress ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne();
  };
  const startup: ShopStartup = { region, topology, progress, stops };
  // Bundled (or found bundled) while the local cloud starts: the console and the services need it last.
  const code = shopCode(topology);
  code.catch(() => undefined);
  const access = localAccess({ region, busName: topology.busName });
  const iam = shopIam(access, {
    ...(props.onIamDecision !== undefined && { onDecision: props.onIamDecision }),
    ...(props.onIamTiming !== undefined && { onTiming: props.onIamTiming }),
  });
  const enforced = props.iam !== 'off';
  try {
    const cloud = await startCloud(startup, props, iam, enforced, decisions.logGroups);
    const cardProcessor = await startCardProcessorSandbox(startup, props);
    const verifiedPermissions = await startPolicyStores(
      startup,
      props,
      enforced ? iam : undefined,
      (entry) => decisions.write(verifiedPermissionsDecisionMessage(entry, new Date())),
    );
    // Sign-in and Lambda's API stay behind their fronts even in the baseline: no way around them.
    const totpSecrets = newStaffSecrets();
    const cognito = await startUserPool(startup, props, iam, totpSecrets);

    // The gateways invoke through the shop's Lambda; the services it runs them in start next.
    const lambda = new LocalLambda({
      functions: localFunctions(topology, props.functions),
      ...(props.onLambdaEvent !== undefined && { onEvent: props.onLambdaEvent }),
    });
    const invokeFunction: InvokeFunction = lambda.invoke;
    const lambdaApi = await startLambdaApi(startup, props, iam, invokeFunction);
    const lattice = await startShopLattice(startup, props, invokeFunction, iam.credentials);
    const apis = await startRestApis(startup, props, invokeFunction, decisions);
    // The console's environment names Verified Access and the shop's endpoints, which start next.
    let consoleEnvironmentOf = (): Record<string, string> => ({});
    const consoleFunction = startConsoleFunction(
      startup,
      () => consoleEnvironmentOf(),
      iam.credentialsOf(CONSOLE_FUNCTION_NAME),
      code,
    );
    // Staff reach their functions through Verified Access, then the staff load balancer.
    const staffLoadBalancer = await startShopLoadBalancer(startup, props, (name, event) =>
      name === consoleFunction.functionName
        ? consoleFunction.invoke(event)
        : invokeFunction(name, event),
    );
    const deviceTrustKey = newDeviceTrustKey();
    const verifiedAccess = await startShopVerifiedAccess(
      startup,
      props,
      cognito,
      deviceTrustPublicKey(deviceTrustKey),
      staffLoadBalancer.url,
    );
    const environment = shopEnvironment(
      region,
      { cloud, verifiedPermissions, cognito, lambda: lambdaApi },
      iam.admin,
      verifiedAccess,
    );
    consoleEnvironmentOf = () => consoleEnvironment(environment, cloud, verifiedAccess);

    const services = await startServiceProcesses(startup, props, {
      cloud,
      environment,
      cardProcessor,
      queryUrls: queryUrlsOf(topology, lattice),
      credentialsOf: iam.credentialsOf,
      lambda,
      code,
    });
    startShopScheduler(startup, props, lambdaApi, iam);
    const apiUrls = apiUrlsOf(topology, apis);
    const staffEntry: StaffEntry = {
      url: verifiedAccess.url,
      devicePosture: compliantDevice(deviceTrustKey),
    };
    const as = (username: string, staff: StaffEntry = staffEntry) =>
      signedInClient({ region, endpoint: cognito.endpoint }, apiUrls, username, totpSecrets, staff);
    await seedCatalogue(startup, props, as);

    return {
      environment,
      cloud,
      cardProcessor,
      lattice,
      apis,
      apiUrls,
      cognito,
      totpSecrets,
      verifiedAccess,
      staffLoadBalancer,
      staffEntry,
      deviceTrustKey,
      console: consoleFunction,
      services,
      lambda,
      access,
      iam,
      credentialsOf: iam.credentialsOf,
      as,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
