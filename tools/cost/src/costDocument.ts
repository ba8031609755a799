import { byOwner, type Cost, priced, total, totalsBy } from './cost.js';
import { ASSUMPTIONS_PATH, type CostInputs, MEASURED_PATH, PRICES_PATH } from './files.js';
import { eventDrivenFixedUsage, naiveFixedUsage } from './fixedUsage.js';
import { naiveUsage } from './naiveUsage.js';
import { eventDrivenUsage, modelledCalls } from './usage.js';

const ORDERS = 1_000_000;

const usd = (value: number): string =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const perOrder = (perMillion: number): string => `$${(perMillion / ORDERS).toFixed(6)}`;
const amount = (value: number): string =>
  value >= 100
    ? Math.round(value).toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumSignificantDigits: 3 });

/** A Markdown table whose columns from `numbersFrom` up to `numbersTo` are right-aligned. */
const table = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numbersFrom = 1,
  numbersTo = header.length,
): string[] => [
  `| ${header.join(' | ')} |`,
  `| ${header.map((_, index) => (index < numbersFrom || index >= numbersTo ? '---' : '---:')).join(' | ')} |`,
  ...rows.map((row) => `| ${row.join(' | ')} |`),
];

/** The two variants' costs side by side, by a key. */
const sideBySide = (
  title: string,
  left: ReadonlyMap<string, number>,
  right: ReadonlyMap<string, number>,
): string[] => {
  const keys = [...new Set([...left.keys(), ...right.keys()])];
  return table(
    [title, 'event-driven', 'synchronous'],
    [
      ...keys.map((key) => [key, usd(left.get(key) ?? 0), usd(right.get(key) ?? 0)]),
      [
        '**total**',
        `**${usd([...left.values()].reduce((a, b) => a + b, 0))}**`,
        `**${usd([...right.values()].reduce((a, b) => a + b, 0))}**`,
      ],
    ],
  );
};

/** Both variants priced: per million orders, and a month standing still. */
const pricedVariants = ({ prices, measured, assumptions }: CostInputs) => ({
  product: (cost: Cost) => prices.prices[cost.price]?.product ?? cost.price,
  eventDriven: priced(eventDrivenUsage(measured, assumptions), prices, ORDERS),
  naive: priced(naiveUsage(assumptions), prices, ORDERS),
  eventDrivenFixed: priced(eventDrivenFixedUsage(measured, assumptions), prices),
  naiveFixed: priced(naiveFixedUsage(assumptions), prices),
});

/**
 * The head of docs/cost.md, in Markdown lines: the cost of a million orders and of a month in
 * each variant, their ratio, and the cost per million orders by service and by AWS product.
 *
 * @example
 * ```ts
 * console.log(costSummary(readInputs()).join('\n'));
 * ```
 */
export const costSummary = (inputs: CostInputs): string[] => {
  const { prices } = inputs;
  const { product, eventDriven, naive, eventDrivenFixed, naiveFixed } = pricedVariants(inputs);
  const ratio = total(eventDriven) / total(naive);
  return [
    `What one million orders, each placed once and its status read once, cost in ${prices.region} at the on-demand list prices read on ${prices.read} (USD, no free tier, no Savings Plan), for the event-driven design as built and for a synchronous variant in which Order calls Inventory and then Payment through Lattice. What the shop costs a month before it sells anything is counted apart.`,
    '',
    ...table(
      ['', 'event-driven', 'synchronous'],
      [
        ['per million orders', usd(total(eventDriven)), usd(total(naive))],
        ['per order', perOrder(total(eventDriven)), perOrder(total(naive))],
        ['a month, whatever it sells', usd(total(eventDrivenFixed)), usd(total(naiveFixed))],
      ],
    ),
    '',
    `A million orders cost ${ratio.toFixed(2)} times as much event-driven as synchronous. The difference is the bus, the queues, the Pipes and the outbox items, and the idempotent consumers' own reads and writes; the synchronous variant pays instead for Order's API waiting, billed, while Inventory and Payment work, and for the coupling the decomposition removed (an order fails when Inventory or Payment is down or slow), which no price table shows.`,
    '',
    '## Per million orders, by service',
    '',
    ...sideBySide('service', byOwner(eventDriven), byOwner(naive)),
    '',
    '## Per million orders, by AWS product',
    '',
    ...sideBySide('product', totalsBy(eventDriven, product), totalsBy(naive, product)),
  ];
};

/**
 * docs/cost.md: what a million orders cost on AWS, event-driven as built and as the synchronous
 * variant, by service and by product ({@link costSummary}), the monthly cost of standing still,
 * and every input it was computed from. Deterministic: it reads only its inputs.
 *
 * @example
 * ```ts
 * writeFileSync('docs/cost.md', costDocument(readInputs()));
 * ```
 */
export const costDocument = (inputs: CostInputs): string => {
  const { prices, measured, assumptions } = inputs;
  const { product, eventDriven, naive, eventDrivenFixed, naiveFixed } = pricedVariants(inputs);
  const lines = (costs: readonly Cost[]) =>
    table(
      ['service', 'what', 'product', 'quantity', 'USD'],
      costs
        .filter((cost) => cost.usd > 0)
        .map((cost) => [
          cost.owner,
          cost.what,
          `${product(cost)} (${prices.prices[cost.price]?.unit ?? ''})`,
          amount(cost.quantity),
          usd(cost.usd),
        ]),
      3,
    );
  const calls = modelledCalls(measured, assumptions);
  const figure = (name: string, value: { value: number; source: string }) =>
    `- ${name}: ${value.value} (${value.source})`;

  return [
    '# What a million orders cost',
    '',
    `<!-- Generated by \`npm run cost:generate -w @shop/cost\` from ${PRICES_PATH}, ${MEASURED_PATH} and ${ASSUMPTIONS_PATH}; do not edit. -->`,
    '',
    ...costSummary(inputs),
    '',
    '## A month, whatever it sells',
    '',
    'Event-driven:',
    '',
    ...lines(eventDrivenFixed),
    '',
    'Synchronous:',
    '',
    ...lines(naiveFixed),
    '',
    '## Per million orders, line by line',
    '',
    'Event-driven, as built:',
    '',
    ...lines(eventDriven),
    '',
    'Synchronous, as modelled:',
    '',
    ...lines(naive),
    '',
    '## The synchronous variant',
    '',
    "Nothing runs it: it is the event-driven design with its asynchronous half taken out, priced from the same assumptions. The customer places an order through the same REST API, authorizer and Cedar policy. Order's API asks Inventory, through Lattice, to reserve the stock (Inventory's query function does what its event consumer does today), then asks Payment to charge the card (likewise), and answers CONFIRMED or CANCELLED. Each callee keeps an idempotency record, so that a retried call does not reserve or charge twice; Order keeps the payment's outcome on the order, so a status read asks Payment nothing. There is no bus, no queue, no Pipe, no stream and no outbox item, and no expiry schedule: an order is settled before its placement answers. Order's API is billed while it waits, so its placement costs its own time plus Inventory's and Payment's. Only the success path is priced, in both variants.",
    '',
    '## How it is computed',
    '',
    `- The AWS calls are those the saga benchmark counted on the wire, in ${MEASURED_PATH}. ${measured.source} It places ${measured.orders} orders one after another and reads each one's status ${amount(measured.statusReadsPerOrder)} times while it waits; a customer reads it once, so the calls of ${amount(measured.statusReadsPerOrder - 1)} extra status reads are taken off (${assumptions.statusRead.source}).`,
    `- The calls the benchmark cannot count on the wire (Lambda invocations, REST API and Lattice requests, Cedar decisions) follow the code: the REST API twice (placement, status read), the authorizer, Inventory's query at placement, Payment's query at the status read, each queue consumer once per message batch it deleted, and one IsAuthorized call at each REST route and Lattice query.`,
    '- DynamoDB bills a strongly consistent read of up to 4 KB as one read request unit, a write of up to 1 KB as one write request unit, each item of a transaction twice; larger items cost a unit per started 4 KB or 1 KB. Reads are taken as strongly consistent (the dearer case).',
    "- SQS, EventBridge and Pipes bill each started 64 KB of a payload as one request or event. EventBridge delivers each consumed event to its queue with one SQS request; the consumers' long polls are a monthly cost, not an order's.",
    "- The outbox Pipes read the tables' streams; GetRecords calls are free only to Lambda triggers, so the Pipes' reads are charged, as a monthly cost.",
    `- Lambda is billed per request and per GB-second at the functions' memory on arm64; the benchmark measures no billed duration (the local cloud runs functions in worker threads), so each function's is an estimate, listed below.`,
    '',
    'Counted calls per order, after taking off the extra status reads:',
    '',
    ...table(
      ['endpoint', 'caller', 'operation', 'per order'],
      calls.map((call) => [call.service, call.caller, call.operation, amount(call.perOrder)]),
      3,
    ),
    '',
    `The benchmark's polling calls in ${measured.polling.seconds} s, for comparison (the local cloud polls faster than AWS; the monthly cost uses AWS's pollers: ${assumptions.polling.source}):`,
    '',
    ...table(
      ['endpoint', 'caller', 'operation', 'calls'],
      measured.polling.calls.map((call) => [
        call.service,
        call.caller,
        call.operation,
        String(call.count),
      ]),
      3,
    ),
    '',
    `Assumptions (${ASSUMPTIONS_PATH}):`,
    '',
    figure('Lambda memory, MB', assumptions.lambdaMemoryMb),
    figure('bytes of an item read', assumptions.readItemBytes),
    figure('bytes of an item written', assumptions.writeItemBytes),
    figure('items in a BatchGetItem', assumptions.itemsPerBatchGet),
    figure('items in a TransactWriteItems', assumptions.itemsPerTransaction),
    figure('bytes of an event', assumptions.eventBytes),
    figure('bytes of a Lattice request and its answer', assumptions.latticeBytesPerRequest),
    figure('log bytes per invocation', assumptions.logBytesPerInvocation),
    figure('log bytes per REST API request', assumptions.logBytesPerApiRequest),
    figure('log bytes per Lattice request', assumptions.logBytesPerLatticeRequest),
    figure('authorizer invocations per order', assumptions.authorizerInvocationsPerOrder),
    `- billed ms per invocation (${assumptions.billedMs.source}): ${Object.entries(
      assumptions.billedMs.functions,
    )
      .map(([fn, ms]) => `${fn} ${ms}`)
      .join(', ')}`,
    `- fixed: ${assumptions.fixed.source}`,
    '',
    `## Prices (${prices.region}, read ${prices.read})`,
    '',
    prices.note,
    '',
    ...table(
      ['price', 'USD', 'per', 'confirmed for the Region', 'page'],
      Object.entries(prices.prices).map(([key, price]) => [
        `${key}: ${price.product}, ${price.unit}`,
        String(price.usd),
        price.per === 1 ? '1' : price.per.toLocaleString('en-US'),
        price.confirmed ? `yes: ${price.instead}` : `no: ${price.instead}`,
        price.url,
      ]),
      1,
      3,
    ),
    '',
    '## After a benchmark run',
    '',
    `\`npm run bench -w @shop/local-system\` rewrites ${MEASURED_PATH} from the calls it counts; then \`npm run cost:generate\` rewrites this page. The cost tool's tests fail while this page differs from what its inputs give. New prices go in ${PRICES_PATH}, with the date they were read.`,
    '',
  ].join('\n');
};
