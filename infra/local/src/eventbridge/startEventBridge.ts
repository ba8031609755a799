import { type RunningServer, startJsonProtocolServer } from '../http/jsonProtocolServer.js';
import { EventBridgeEmulator, MAX_PUT_EVENTS_BYTES } from './EventBridgeEmulator.js';
import type { Deliver, DeliveryFailure } from './TargetDelivery.js';

export interface EventBridgeServer extends RunningServer {
  readonly emulator: EventBridgeEmulator;
}

export interface StartEventBridgeProps {
  readonly port: number;
  readonly account: string;
  readonly region: string;
  readonly deliver: Deliver;
  /**
   * Called for each event a target never took that no dead-letter queue holds.
   * @default logs it with console.error
   */
  readonly onDeliveryFailure?: (failure: DeliveryFailure) => void;
}

const OPERATIONS = [
  'CreateEventBus',
  'DescribeEventBus',
  'DeleteEventBus',
  'ListEventBuses',
  'PutRule',
  'DescribeRule',
  'ListRules',
  'DeleteRule',
  'PutTargets',
  'ListTargetsByRule',
  'RemoveTargets',
  'TestEventPattern',
  'PutEvents',
  'CreateArchive',
  'DescribeArchive',
  'StartReplay',
  'DescribeReplay',
] as const;

/**
 * Starts the local EventBridge endpoint. Point the SDK at it with
 * `AWS_ENDPOINT_URL_EVENTBRIDGE=<endpoint>`.
 *
 * @example
 * ```ts
 * const eventBridge = await startEventBridge({ port: 0, account, region, deliver: sqsDelivery(sqs) });
 * new EventBridgeClient({ endpoint: eventBridge.endpoint });
 * ```
 */
export const startEventBridge = async (
  props: StartEventBridgeProps,
): Promise<EventBridgeServer> => {
  const emulator = new EventBridgeEmulator(props);
  const operations = Object.fromEntries(
    OPERATIONS.map((name) => [
      name,
      (input: Readonly<Record<string, unknown>>) => emulator[name](input),
    ]),
  );
  const server = await startJsonProtocolServer(
    // Room for entries of 1 MiB in all however their JSON is escaped (`\u0000` is 6 bytes for 1),
    // so that PutEvents, not the body's length, decides what is too large.
    { targetPrefix: 'AWSEvents', operations, maxBodyBytes: 6 * MAX_PUT_EVENTS_BYTES + 64 * 1024 },
    props.port,
  );
  return { ...server, emulator };
};
