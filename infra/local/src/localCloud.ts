import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ShopTopology } from '@shop/topology';
import { type CreatedServiceTables, createServiceTables } from './dynamodb/createServiceTables.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb/startDynamoDbLocal.js';
import { TableWrites } from './dynamodb/tableWrites.js';
import {
  type Deliver,
  deliveryByService,
  type EventBridgeServer,
  logsDelivery,
  sqsDelivery,
  startEventBridge,
} from './eventbridge/index.js';
import { startCountingProxy } from './http/countingProxy.js';
import { type IamEnforcement, startIamFronts } from './iam/startIamFronts.js';
import type { LogGroups } from './logs/LogGroups.js';
import { type CloudWatchLogsServer, startCloudWatchLogs } from './logs/startCloudWatchLogs.js';
import { type OutboxRelays, startOutboxRelays } from './pipes/startOutboxRelays.js';
import { reservePort } from './ports.js';
import { type ProvisionedConsumer, provisionTopology } from './provisionTopology.js';
import {
  type Endpoints,
  publicEndpoints,
  relayClients,
  reservePublicPorts,
} from './publicEndpoints.js';
import { type LocalSqs, startLocalSqs } from './sqs/startLocalSqs.js';

export interface LocalCloudProps {
  readonly region: string;
  readonly account: string;
  readonly busName: string;
  readonly ports: {
    readonly dynamodb: number;
    readonly sqs: number;
    readonly eventbridge: number;
    /** CloudWatch Logs. @default 0: a free port */
    readonly logs?: number;
  };
  /** Reports progress, one line per step. */
  readonly progress?: (line: string) => void;
  /**
   * How many times EventBridge delivers each event to each target. More than 1 exaggerates its
   * at-least-once delivery, to prove the consumers idempotent. @default 1
   */
  readonly deliveryCopies?: number;
  /**
   * Put a counting proxy in front of DynamoDB, SQS and EventBridge, and point the endpoint
   * variables at it, to count every call by caller and operation. @default false
   */
  readonly countRequests?: boolean;
  /** The topology to create (tables, queues, DLQs, rules, archive, outbox relays). @default none */
  readonly topology?: ShopTopology;
  /**
   * Put an IAM front before DynamoDB, SQS and EventBridge on their public ports: every call is
   * verified and judged by the given roles' policies. The emulators then listen on private ports
   * the local cloud's own plumbing (provisioning, delivery, the outbox relays) talks to.
   * @default no enforcement: the emulators listen on the public ports
   */
  readonly iam?: IamEnforcement;
  /**
   * The keys each service's outbox relay signs with (its Pipe's role's): the relays then read the
   * streams and put events through the IAM fronts, judged as the Pipe would be.
   * @default the local cloud's own keys, straight to the emulators
   */
  /**
   * The log groups CloudWatch Logs serves, made beforehand so that writers that start before the
   * local cloud (the IAM fronts' decision log) can write to them. @default new ones
   */
  readonly logGroups?: LogGroups;
  readonly relayCredentials?: (
    service: string,
  ) => { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
}

export interface LocalCloud {
  /** The standard SDK variables that point every client at the local cloud. */
  readonly environment: Readonly<Record<string, string>>;
  readonly eventBridge: EventBridgeServer;
  /**
   * CloudWatch Logs: where clients reach it (behind its IAM front when IAM is enforced), and its
   * log groups, which the local cloud's own writers (the decision logs) put events in directly,
   * as AWS services deliver their logs.
   */
  readonly logs: { readonly endpoint: string; readonly logGroups: LogGroups };
  /**
   * DynamoDB Local: its Java process's `pid`, for a test or a chaos run that stalls it
   * (SIGSTOP, then SIGCONT), and how often it was started again after exiting.
   */
  readonly dynamodb: Pick<DynamoDbLocal, 'endpoint' | 'pid' | 'restarts'>;
  /** The consumers' queues, when a topology was given. */
  readonly consumers: readonly ProvisionedConsumer[];
  /**
   * API calls counted on the wire, keyed `<service> <caller access key> <operation>`, e.g.
   * `dynamodb ASIA… GetItem`; empty unless `countRequests` was set.
   */
  requestCounts(): ReadonlyMap<string, number>;
  resetRequestCounts(): void;
  /** The services' tables, when a topology was given. */
  readonly tables: readonly CreatedServiceTables[];
  /** The outbox relays (Pipes) from the service tables to the bus, when a topology was given. */
  readonly relays?: OutboxRelays;
  stop(): Promise<void>;
}

const repeatedDelivery =
  (deliver: Deliver, copies: number): Deliver =>
  async (...args) => {
    for (let copy = 0; copy < copies; copy++) await deliver(...args);
  };

/**
 * The dummy credentials of the local cloud's own plumbing (provisioning, delivery, the outbox
 * relays), which reaches the emulators directly; the IAM fronts know no such key.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

type Progress = (line: string) => void;
type Stops = (() => Promise<void>)[];

/** A start-up in progress: its settings, where it reports, and how to stop what already runs. */
interface Startup {
  readonly props: LocalCloudProps;
  readonly progress: Progress;
  readonly stops: Stops;
}

const timed = async <T>(progress: Progress, name: string, start: () => Promise<T>): Promise<T> => {
  const began = performance.now();
  progress(`starting ${name} ...`);
  const started = await start();
  progress(`${name} ready in ${Math.round(performance.now() - began)} ms`);
  return started;
};

interface Servers {
  readonly dynamodb: DynamoDbLocal;
  readonly sqsServer: LocalSqs;
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeServer;
  readonly logs: CloudWatchLogsServer;
}

/** DynamoDB Local, SQS, CloudWatch Logs and EventBridge (delivering to SQS and Logs), in that order. */
const startServers = async ({ props, progress, stops }: Startup): Promise<Servers> => {
  // Behind IAM fronts, the emulators listen on private ports and the fronts on the public ones.
  const ports = props.iam ? { dynamodb: 0, sqs: 0, eventbridge: 0 } : props.ports;
  const dynamodb = await timed(progress, 'DynamoDB Local', () =>
    startDynamoDbLocal({ port: ports.dynamodb }),
  );
  stops.push(() => dynamodb.stop());

  const sqsServer = await timed(progress, 'SQS (fauxqs)', async () =>
    startLocalSqs({
      port: await reservePort('SQS', ports.sqs, 'LOCAL_SQS_PORT'),
      region: props.region,
      // Behind a front, queue URLs name the front: the functions send there.
      ...(props.iam && { queueHost: `127.0.0.1:${props.ports.sqs}` }),
    }),
  );
  stops.push(() => sqsServer.stop());
  // EventBridge's deliveries: one SendMessage per event and target, its handler built once.
  const sqs = new SQSClient({
    region: props.region,
    credentials: LOCAL_CREDENTIALS,
    endpoint: sqsServer.address,
    cacheMiddleware: true,
  });

  const logs = await timed(progress, 'CloudWatch Logs', async () =>
    startCloudWatchLogs({
      port: props.iam
        ? 0
        : await reservePort('CloudWatch Logs', props.ports.logs ?? 0, 'LOCAL_LOGS_PORT'),
      region: props.region,
      account: props.account,
      ...(props.logGroups !== undefined && { logGroups: props.logGroups }),
    }),
  );
  stops.push(() => logs.close());

  const deliver = deliveryByService({ sqs: sqsDelivery(sqs), logs: logsDelivery(logs.logGroups) });
  const eventBridge = await timed(progress, 'EventBridge', async () =>
    startEventBridge({
      port: await reservePort('EventBridge', ports.eventbridge, 'LOCAL_EVENTBRIDGE_PORT'),
      account: props.account,
      region: props.region,
      deliver: repeatedDelivery(deliver, props.deliveryCopies ?? 1),
    }),
  );
  stops.push(() => eventBridge.close());
  return { dynamodb, sqsServer, sqs, eventBridge, logs };
};

/** A counting proxy in front of each endpoint, keyed by the endpoint's service. */
const startCountingProxies = (direct: Endpoints, stops: Stops) =>
  Promise.all(
    Object.entries(direct).map(async ([service, endpoint]) => {
      const proxy = await startCountingProxy(endpoint);
      stops.push(() => proxy.close());
      return [service, proxy] as const;
    }),
  );

type CountingProxies = Awaited<ReturnType<typeof startCountingProxies>>;

interface Provisioned {
  readonly consumers: readonly ProvisionedConsumer[];
  readonly tables: readonly CreatedServiceTables[];
  readonly relays?: OutboxRelays;
}

/** The topology's queues, rules and archive, the service tables, and their outbox relays. */
const provision = async (
  { props, progress, stops }: Startup,
  topology: ShopTopology,
  clients: {
    readonly servers: Servers;
    readonly endpoints: Endpoints;
    /** Where the functions (and the relays, when they sign as their Pipe's role) call. */
    readonly outside: Endpoints;
    readonly eventBridge: EventBridgeClient;
    readonly busArn: string;
    /** Where the writes to the tables are told, for their relays. */
    readonly writes: TableWrites;
  },
): Promise<Provisioned> => {
  const { servers, eventBridge } = clients;
  const logs = new CloudWatchLogsClient({
    region: props.region,
    credentials: LOCAL_CREDENTIALS,
    endpoint: servers.logs.endpoint,
  });
  const consumers = await timed(
    progress,
    'topology (queues, DLQs, rules, archive, audit log)',
    () =>
      provisionTopology(topology, { sqs: servers.sqs, eventBridge, logs, busArn: clients.busArn }),
  );
  logs.destroy();
  const dynamodbClient = new DynamoDBClient({
    region: props.region,
    credentials: LOCAL_CREDENTIALS,
    endpoint: servers.dynamodb.endpoint,
  });
  const tables = await timed(progress, 'service tables', () =>
    createServiceTables(dynamodbClient, topology.tables),
  );
  const relays = await timed(progress, 'outbox relays (stream -> bus)', () =>
    startOutboxRelays(topology.outboxRelays, {
      busName: props.busName,
      streamArns: new Map(tables.map((table) => [table.tableName, table.streamArn])),
      sqs: servers.sqs,
      writes: clients.writes,
      clientsOf: (service) => {
        const keys = props.relayCredentials?.(service);
        return keys === undefined
          ? relayClients(props.region, clients.endpoints, LOCAL_CREDENTIALS)
          : relayClients(props.region, clients.outside, keys);
      },
    }),
  );
  stops.push(() => relays.stop());
  return { consumers, tables, relays };
};

/** CloudWatch Logs behind an IAM front on its public port when IAM is enforced, else itself. */
const publicLogsEndpoint = async (
  { props, progress, stops }: Startup,
  logs: CloudWatchLogsServer,
): Promise<string> => {
  if (props.iam === undefined) return logs.endpoint;
  const [front] = await startIamFronts(
    props.iam,
    { region: props.region, account: props.account },
    [
      {
        kind: 'logs',
        name: 'CloudWatch Logs',
        variable: 'LOCAL_LOGS_PORT',
        port: props.ports.logs ?? 0,
        upstream: logs.endpoint,
      },
    ],
  );
  if (front === undefined) throw new Error('The CloudWatch Logs front did not start');
  stops.push(() => front.close());
  progress(`IAM enforced: CloudWatch Logs at ${front.endpoint}`);
  return front.endpoint;
};

const environmentOf = (
  props: LocalCloudProps,
  endpoints: Endpoints & { readonly logs: string },
): Record<string, string> => ({
  AWS_REGION: props.region,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.dynamodb,
  AWS_ENDPOINT_URL_SQS: endpoints.sqs,
  AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge,
  AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: endpoints.logs,
  EVENT_BUS_NAME: props.busName,
});

const requestCounts = (proxies: CountingProxies): ReadonlyMap<string, number> =>
  new Map(
    proxies.flatMap(([service, proxy]) =>
      [...proxy.counts()].map(([key, count]) => [`${service} ${key}`, count] as const),
    ),
  );

/**
 * Starts DynamoDB Local, SQS (fauxqs), CloudWatch Logs and EventBridge with the shop bus, and returns the
 * `AWS_ENDPOINT_URL_<SERVICE>` variables that point the real SDK clients at them. If one piece
 * fails to start, the ones already running are stopped.
 *
 * @example
 * ```ts
 * const cloud = await startLocalCloud({ region, account, busName: 'shop', ports });
 * Object.assign(process.env, cloud.environment);
 * ```
 */
export const startLocalCloud = async (given: LocalCloudProps): Promise<LocalCloud> => {
  const props = given.iam
    ? { ...given, ports: { ...given.ports, ...(await reservePublicPorts(given.ports)) } }
    : given;
  const progress = props.progress ?? (() => undefined);
  const stops: Stops = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne();
  };
  const startup: Startup = { props, progress, stops };
  try {
    const servers = await startServers(startup);
    const direct = {
      dynamodb: servers.dynamodb.endpoint,
      sqs: servers.sqsServer.address,
      eventbridge: servers.eventBridge.endpoint,
    };
    const proxies = props.countRequests ? await startCountingProxies(direct, stops) : [];
    const endpoints = {
      ...direct,
      ...Object.fromEntries(proxies.map(([service, proxy]) => [service, proxy.endpoint])),
    };

    const eventBridge = new EventBridgeClient({
      region: props.region,
      credentials: LOCAL_CREDENTIALS,
      endpoint: endpoints.eventbridge,
    });
    const { EventBusArn } = await eventBridge.send(
      new CreateEventBusCommand({ Name: props.busName }),
    );
    const writes = new TableWrites();
    const outside = await publicEndpoints(startup, endpoints, writes);
    const logsEndpoint = await publicLogsEndpoint(startup, servers.logs);
    const clients = {
      servers,
      endpoints,
      outside,
      eventBridge,
      busArn: String(EventBusArn),
      writes,
    };
    const { consumers, tables, relays }: Provisioned = props.topology
      ? await provision(startup, props.topology, clients)
      : { consumers: [], tables: [] };

    return {
      environment: environmentOf(props, { ...outside, logs: logsEndpoint }),
      eventBridge: servers.eventBridge,
      logs: { endpoint: logsEndpoint, logGroups: servers.logs.logGroups },
      dynamodb: servers.dynamodb,
      consumers,
      tables,
      ...(relays && { relays }),
      requestCounts: () => requestCounts(proxies),
      resetRequestCounts: () => {
        for (const [, proxy] of proxies) proxy.reset();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
