import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startTableWriteWatch, type TableWrites } from './dynamodb/tableWrites.js';
import { type IamEnforcement, startIamFronts } from './iam/startIamFronts.js';
import type { RelayClients } from './pipes/startOutboxRelays.js';
import { reservePort } from './ports.js';

/** Where DynamoDB, SQS and EventBridge are reached (or, as numbers, their ports). */
export interface Endpoints<T = string> {
  readonly dynamodb: T;
  readonly sqs: T;
  readonly eventbridge: T;
}

/** What the fronts need of a local cloud's start-up. */
interface FrontedStartup {
  readonly props: {
    readonly region: string;
    readonly account: string;
    readonly ports: Endpoints<number>;
    readonly iam?: IamEnforcement;
  };
  readonly progress: (line: string) => void;
  readonly stops: (() => Promise<void>)[];
}

/**
 * The IAM fronts on the public ports, before `upstreams`; the upstreams when nothing is enforced,
 * but for DynamoDB, reached through a proxy that only watches the writes. Either way, the writes
 * DynamoDB accepts are told to `writes`.
 *
 * @example
 * ```ts
 * const outside = await publicEndpoints(startup, { dynamodb, sqs, eventbridge }, writes);
 * ```
 */
export const publicEndpoints = async (
  { props, progress, stops }: FrontedStartup,
  upstreams: Endpoints,
  writes: TableWrites,
): Promise<Endpoints> => {
  if (props.iam === undefined) {
    const watch = await startTableWriteWatch(upstreams.dynamodb, writes);
    stops.push(() => watch.close());
    return { ...upstreams, dynamodb: watch.endpoint };
  }
  const [dynamodb, sqs, eventbridge] = await startIamFronts(
    props.iam,
    { region: props.region, account: props.account },
    [
      {
        kind: 'dynamodb',
        name: 'DynamoDB',
        variable: 'LOCAL_DYNAMODB_PORT',
        port: props.ports.dynamodb,
        upstream: upstreams.dynamodb,
        onAnswered: (answered) => writes.answered(answered),
      },
      {
        kind: 'sqs',
        name: 'SQS',
        variable: 'LOCAL_SQS_PORT',
        port: props.ports.sqs,
        upstream: upstreams.sqs,
      },
      {
        kind: 'events',
        name: 'EventBridge',
        variable: 'LOCAL_EVENTBRIDGE_PORT',
        port: props.ports.eventbridge,
        upstream: upstreams.eventbridge,
      },
    ],
  );
  if (dynamodb === undefined || sqs === undefined || eventbridge === undefined) {
    throw new Error('The IAM fronts did not start');
  }
  stops.push(() => Promise.all([dynamodb, sqs, eventbridge].map((front) => front.close())).then());
  progress(
    `IAM enforced: DynamoDB at ${dynamodb.endpoint}, SQS at ${sqs.endpoint}, EventBridge at ${eventbridge.endpoint}`,
  );
  return { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, eventbridge: eventbridge.endpoint };
};

/**
 * The public ports, chosen before anything starts (0 picks a free one): the SQS emulator names
 * its queues after the front's address, so it must be known first.
 *
 * @example
 * ```ts
 * const ports = await reservePublicPorts({ dynamodb: 0, sqs: 4566, eventbridge: 0 });
 * ```
 */
export const reservePublicPorts = async (ports: Endpoints<number>): Promise<Endpoints<number>> => ({
  dynamodb: await reservePort('DynamoDB', ports.dynamodb, 'LOCAL_DYNAMODB_PORT'),
  sqs: await reservePort('SQS', ports.sqs, 'LOCAL_SQS_PORT'),
  eventbridge: await reservePort('EventBridge', ports.eventbridge, 'LOCAL_EVENTBRIDGE_PORT'),
});

/**
 * One relay's clients, signed with `keys` at `endpoints`: its Pipe's role's keys through the
 * fronts, or the local cloud's own keys straight to the emulators.
 *
 * @example
 * ```ts
 * const { streams } = relayClients('eu-west-1', outside, pipeKeys);
 * ```
 */
export const relayClients = (
  region: string,
  endpoints: Endpoints,
  keys: { readonly accessKeyId: string; readonly secretAccessKey: string },
): RelayClients => {
  // A relay's commands add no middleware of their own: each client builds a command's handler
  // once (`cacheMiddleware`), not at every GetRecords and PutEvents.
  const common = { region, credentials: keys, cacheMiddleware: true };
  return {
    streams: new DynamoDBStreamsClient({ ...common, endpoint: endpoints.dynamodb }),
    eventBridge: new EventBridgeClient({ ...common, endpoint: endpoints.eventbridge }),
    sqs: new SQSClient({ ...common, endpoint: endpoints.sqs }),
  };
};
