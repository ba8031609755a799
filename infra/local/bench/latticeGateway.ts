/**
 * Benchmark: what the local Lattice gateway adds to a query (SigV4 verification, two auth
 * policies evaluated by the IAM policy simulator, the V2 event), measured over 1,000 signed
 * requests to a target that answers at once; and the cost of each step on its own.
 */
import { GetStock } from '@shop/contracts';
import { inventoryService } from '@shop/inventory/service';
import { QueryClient } from '@shop/shared';
import { latticeServiceOf, serviceAuthPolicy, serviceNetworkAuthPolicy } from '@shop/topology';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  authorizeInvoke,
  type LatticeAccessLogEntry,
  startLatticeGateway,
  verifySigV4,
} from '../src/lattice/index.js';
import { percentile } from './percentile.js';

const REQUESTS = 1000;
const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';
const ORGANIZATION = 'o-localshop00';
const order = {
  accessKeyId: 'localorder',
  secretAccessKey: 'localorder',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/shop/order/order-local`,
  sessionName: 'order',
  account: ACCOUNT,
  organizationId: ORGANIZATION,
};
const inventory = latticeServiceOf(inventoryService);
if (inventory === undefined) throw new Error('no inventory Lattice service');

const ms = (value: number) => `${value.toFixed(2)} ms`;
const timed = async (run: () => Promise<unknown>): Promise<number[]> => {
  const took: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const began = performance.now();
    await run();
    took.push(performance.now() - began);
  }
  return took;
};

const network = serviceNetworkAuthPolicy({
  organizationId: ORGANIZATION,
  services: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/*`,
});
const log: LatticeAccessLogEntry[] = [];
const stock = JSON.stringify({ sku: 'MUG-001', available: 5, reserved: 0 });
const gateway = await startLatticeGateway({
  region: REGION,
  account: ACCOUNT,
  serviceNetwork: { name: 'shop', authPolicy: network },
  services: [
    {
      name: inventory.latticeServiceName,
      port: 0,
      // Every route allowed, so the request reaches the target.
      authPolicy: (serviceArn) =>
        serviceAuthPolicy(
          { ...inventory, callers: [{ service: 'order', routes: inventory.routes }] },
          { serviceArn, roleArnPattern: (s) => `arn:aws:iam::${ACCOUNT}:role/shop/${s}/*` },
        ),
      invoke: async () => ({
        kind: 'result',
        payload: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: stock },
      }),
    },
  ],
  principals: [order],
  onAccessLog: (entry) => log.push(entry),
});
const service = gateway.services[0];
if (service === undefined) throw new Error('no service');
const client = new QueryClient({ baseUrl: service.url, region: REGION, credentials: order });

await timed(() => client.get(GetStock, { sku: 'MUG-001' })); // warm up
log.length = 0;
const roundTrips = await timed(() => client.get(GetStock, { sku: 'MUG-001' }));
const added = log.map((entry) => entry.duration - (entry.requestToTargetDuration ?? 0));

const url = new URL('/products/MUG-001/stock', service.url);
const signed = await new SignatureV4({
  service: 'vpc-lattice-svcs',
  region: REGION,
  credentials: order,
  sha256: Hash.bind(null, 'sha256'),
  applyChecksum: false,
}).sign({
  method: 'GET',
  protocol: 'http:',
  hostname: url.hostname,
  path: url.pathname,
  headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
});
const verification = await timed(() =>
  verifySigV4(
    { method: 'GET', target: url.pathname, headers: signed.headers },
    {
      secretOf: () => order.secretAccessKey,
      service: 'vpc-lattice-svcs',
      region: REGION,
      now: new Date(),
      host: url.host,
      allowUnsignedPayload: true,
    },
  ),
);
const authorization = await timed(() =>
  authorizeInvoke(
    {
      network,
      service: serviceAuthPolicy(inventory, {
        serviceArn: service.arn,
        roleArnPattern: (s) => `arn:aws:iam::${ACCOUNT}:role/shop/${s}/*`,
      }),
    },
    {
      caller: {
        type: 'AssumedRole',
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/order-local/order`,
        roleArn: order.roleArn,
        account: ACCOUNT,
        organizationId: ORGANIZATION,
      },
      serviceArn: service.arn,
      serviceNetworkArn: gateway.serviceNetworkArn,
      method: 'GET',
      path: '/products',
      port: Number(url.port),
      query: {},
      headers: {},
    },
  ),
);
await gateway.close();

console.log(`Lattice gateway, ${REQUESTS} signed GETs one after another (target answers at once):`);
console.log(
  `  added by the gateway     p50 ${ms(percentile(added, 50))}  p99 ${ms(percentile(added, 99))}`,
);
console.log(
  `  client round trip        p50 ${ms(percentile(roundTrips, 50))}  p99 ${ms(percentile(roundTrips, 99))}`,
);
console.log(
  `  SigV4 verification       p50 ${ms(percentile(verification, 50))}  p99 ${ms(percentile(verification, 99))}`,
);
console.log(
  `  both auth policies       p50 ${ms(percentile(authorization, 50))}  p99 ${ms(percentile(authorization, 99))}`,
);
