import * as z from 'zod';

/** One price of the pinned table: `usd` for each `per` units of `unit`. */
export const PriceSchema = z.object({
  product: z.string(),
  usd: z.number().nonnegative(),
  per: z.number().positive(),
  unit: z.string(),
  url: z.url(),
  confirmed: z.boolean(),
  instead: z.string(),
});
export type Price = z.infer<typeof PriceSchema>;

export const PRICE_KEYS = [
  'lambdaRequests',
  'lambdaArmGbSecond',
  'dynamoDbWriteRequestUnits',
  'dynamoDbReadRequestUnits',
  'dynamoDbStreamsReadRequestUnits',
  'sqsRequests',
  'eventBridgeCustomEvents',
  'eventBridgePipesRequests',
  'eventBridgeSchedulerInvocations',
  'latticeServiceHours',
  'latticeDataProcessedGb',
  'latticeRequests',
  'verifiedPermissionsSingleAuthorization',
  'apiGatewayRestRequests',
  'cloudWatchLogsIngestionGb',
  'vpcInterfaceEndpointHours',
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];

/** The pinned, dated price table of one Region (docs/cost/prices.<region>.json). */
export const PriceTableSchema = z.object({
  region: z.string(),
  currency: z.literal('USD'),
  read: z.iso.date(),
  note: z.string(),
  prices: z.record(z.enum(PRICE_KEYS), PriceSchema),
});
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** An AWS call as the benchmark counts it on the wire: endpoint, caller's role session, operation. */
const CallSchema = z.object({ service: z.string(), caller: z.string(), operation: z.string() });

/** What the saga benchmark counted (docs/cost/measured.json), which it rewrites on each run. */
export const MeasuredSchema = z.object({
  source: z.string(),
  orders: z.number().int().positive(),
  statusReadsPerOrder: z.number().nonnegative(),
  callsPerOrder: z.array(CallSchema.extend({ perOrder: z.number().nonnegative() })),
  polling: z.object({
    seconds: z.number().positive(),
    calls: z.array(CallSchema.extend({ count: z.number().int().nonnegative() })),
  }),
});
export type Measured = z.infer<typeof MeasuredSchema>;
export type MeasuredCall = Measured['callsPerOrder'][number];

const figure = z.object({ value: z.number().nonnegative(), source: z.string() });

/** What the model takes that the benchmark does not count (docs/cost/assumptions.json). */
export const AssumptionsSchema = z.object({
  note: z.string(),
  lambdaMemoryMb: figure,
  readItemBytes: figure,
  writeItemBytes: figure,
  itemsPerBatchGet: figure,
  itemsPerTransaction: figure,
  eventBytes: figure,
  latticeBytesPerRequest: figure,
  logBytesPerInvocation: figure,
  logBytesPerApiRequest: figure,
  logBytesPerLatticeRequest: figure,
  authorizerInvocationsPerOrder: figure,
  billedMs: z.object({
    source: z.string(),
    functions: z.record(z.string(), z.number().nonnegative()),
  }),
  statusRead: z.object({
    source: z.string(),
    calls: z.array(CallSchema.extend({ perRead: z.number().nonnegative() })),
  }),
  polling: z.object({
    source: z.string(),
    sqsPollersPerQueue: z.number().nonnegative(),
    sqsLongPollSeconds: z.number().positive(),
    streamReadsPerSecondPerShard: z.number().nonnegative(),
    shardsPerStream: z.number().nonnegative(),
  }),
  fixed: z.object({
    source: z.string(),
    availabilityZones: z.number().int().positive(),
    interfaceEndpoints: z.number().int().nonnegative(),
    latticeServices: z.record(z.string(), z.number().int().nonnegative()),
    expiryRunsPerMonth: z.number().nonnegative(),
    hoursPerMonth: z.number().positive(),
  }),
});
export type Assumptions = z.infer<typeof AssumptionsSchema>;
