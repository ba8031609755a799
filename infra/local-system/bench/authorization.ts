/**
 * Benchmark: how long an authorization decision takes locally, for Order's policy store: in
 * process with cedar-wasm, and as services ask it, through the Verified Permissions SDK client to
 * the local endpoint. 2,000 decisions each, one at a time, alternating allowed and denied.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VerifiedPermissionsClient } from '@aws-sdk/client-verifiedpermissions';
import { CedarPolicyEngine, loadPolicyStore } from '@shop/authorization';
import { startVerifiedPermissions } from '@shop/local-cloud/verified-permissions';
import { type AuthorizationRequest, userEntity, VerifiedPermissionsAuthorizer } from '@shop/shared';
import { percentile } from './percentile.js';

const DECISIONS = 2000;
const ms = (value: number) => `${value.toFixed(3)} ms`;

const store = loadPolicyStore(
  'order',
  dirname(fileURLToPath(import.meta.resolve('@shop/order/policies/schema.cedarschema'))),
);
const me = userEntity('me', ['RegularCustomers']);
const request = (owner: string): AuthorizationRequest => {
  const order = {
    uid: { type: 'Shop::Order', id: 'o-1' },
    attrs: { owner: { __entity: { type: 'Shop::User', id: owner } } },
    parents: [],
  };
  return { principal: me.uid, action: 'ViewOrder', resource: order.uid, entities: [me, order] };
};

const measure = async (decide: (request: AuthorizationRequest) => unknown): Promise<number[]> => {
  const took: number[] = [];
  for (let i = 0; i < DECISIONS; i++) {
    const began = performance.now();
    await decide(request(i % 2 === 0 ? 'me' : 'someone-else'));
    took.push(performance.now() - began);
  }
  return took;
};

const startedAt = performance.now();
const engine = new CedarPolicyEngine(store);
const parseMs = performance.now() - startedAt;
const inProcess = await measure((r) =>
  engine.isAuthorized({
    principal: r.principal,
    action: { type: 'Shop::Action', id: r.action },
    resource: r.resource,
    entities: r.entities ?? [],
  }),
);

const endpoint = await startVerifiedPermissions({ port: 0, stores: { order: store } });
const client = new VerifiedPermissionsClient({
  region: 'eu-west-1',
  endpoint: endpoint.endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const authorizer = new VerifiedPermissionsAuthorizer(client, 'order');
await measure((r) => authorizer.isAuthorized(r)); // warm up
const throughSdk = await measure((r) => authorizer.isAuthorized(r));
client.destroy();
await endpoint.close();

console.log(
  `Authorization decisions, Order's store (${Object.keys(store.policies).length} policies), ${DECISIONS} each:`,
);
console.log(`  validate and parse the store once     ${ms(parseMs)}`);
console.log(
  `  cedar-wasm in process                 p50 ${ms(percentile(inProcess, 50))}  p99 ${ms(percentile(inProcess, 99))}`,
);
console.log(
  `  IsAuthorized via the SDK, local VP    p50 ${ms(percentile(throughSdk, 50))}  p99 ${ms(percentile(throughSdk, 99))}`,
);
