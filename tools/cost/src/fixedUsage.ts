import type { Assumptions, Measured } from './schemas.js';
import { readRequestUnits } from './units.js';
import { lambdaUsage, ownerOf, type Usage } from './usage.js';

/**
 * What the shop costs a month whatever it sells, event-driven: each consumer's event-source
 * mapping long-polling its queue, each outbox Pipe reading its table's stream (the Pipe, not
 * Lambda, so its reads are charged), the Lattice services, the VPC's interface endpoints, and
 * Order's expiry run every minute. The queues and Pipes are those the benchmark saw.
 *
 * @example
 * ```ts
 * const monthly = eventDrivenFixedUsage(measured, assumptions);
 * ```
 */
export const eventDrivenFixedUsage = (measured: Measured, assumptions: Assumptions): Usage[] => {
  const { polling, fixed } = assumptions;
  const seconds = fixed.hoursPerMonth * 3600;
  const consumers = [
    ...new Set(
      measured.callsPerOrder
        .filter((call) => call.service === 'sqs' && call.operation === 'DeleteMessageBatch')
        .map((call) => call.caller),
    ),
  ];
  const pipes = [
    ...new Set(
      measured.callsPerOrder
        .filter((call) => call.caller.endsWith('-outbox-pipe'))
        .map((call) => call.caller),
    ),
  ];
  const expiryRuns = fixed.expiryRunsPerMonth;
  return [
    ...consumers.map(
      (fn): Usage => ({
        owner: ownerOf(fn),
        price: 'sqsRequests',
        quantity: (polling.sqsPollersPerQueue * seconds) / polling.sqsLongPollSeconds,
        what: `${fn} queue ReceiveMessage (event-source mapping)`,
      }),
    ),
    ...pipes.map(
      (pipe): Usage => ({
        owner: ownerOf(pipe),
        price: 'dynamoDbStreamsReadRequestUnits',
        quantity: polling.shardsPerStream * polling.streamReadsPerSecondPerShard * seconds,
        what: `${pipe} GetRecords`,
      }),
    ),
    ...sharedFixedUsage(assumptions),
    {
      owner: 'order',
      price: 'eventBridgeSchedulerInvocations',
      quantity: expiryRuns,
      what: 'order-expire-orders schedule',
    },
    ...lambdaUsage(
      {
        fn: 'order-expire-orders',
        perOrder: expiryRuns,
        billedMs: assumptions.billedMs.functions['order-expire-orders'] ?? 0,
      },
      assumptions,
    ),
    {
      owner: 'order',
      price: 'dynamoDbReadRequestUnits',
      quantity: expiryRuns * readRequestUnits(assumptions.readItemBytes.value, 'eventual'),
      what: 'order-expire-orders Query of due orders',
    },
  ];
};

/**
 * What the synchronous variant costs a month whatever it sells: the Lattice services and the
 * VPC's interface endpoints. It has no queues, Pipes or streams to poll, and no expiry: an
 * order is settled before its placement answers.
 *
 * @example
 * ```ts
 * const monthly = naiveFixedUsage(assumptions);
 * ```
 */
export const naiveFixedUsage = (assumptions: Assumptions): Usage[] => sharedFixedUsage(assumptions);

const sharedFixedUsage = (assumptions: Assumptions): Usage[] => {
  const { fixed } = assumptions;
  return [
    ...Object.entries(fixed.latticeServices).map(
      ([service, count]): Usage => ({
        owner: ownerOf(`${service}-queries`),
        price: 'latticeServiceHours',
        quantity: count * fixed.hoursPerMonth,
        what: `${service} Lattice service`,
      }),
    ),
    {
      owner: 'platform',
      price: 'vpcInterfaceEndpointHours',
      quantity: fixed.interfaceEndpoints * fixed.availabilityZones * fixed.hoursPerMonth,
      what: 'the VPC’s interface endpoints',
    },
  ];
};
