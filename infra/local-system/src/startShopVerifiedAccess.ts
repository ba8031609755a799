import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { reservePort } from '@shop/local-cloud';
import type { LocalCognito } from '@shop/local-cloud/cognito';
import {
  type DeviceTrustPublicKey,
  startVerifiedAccess,
  type VerifiedAccessDecision,
  type VerifiedAccessEndpoint,
} from '@shop/local-cloud/verified-access';
import { LOCAL_ACCOUNT } from './principals.js';
import type { ShopStartup } from './ShopStartup.js';
import { staffPoolSignIn } from './shopApi.js';
import { LOCAL_USER_POOLS, localUserPoolId } from './users.js';

/** The staff group's Verified Access policy: the document the CDK app deploys. */
const STAFF_ACCESS_POLICY = createRequire(import.meta.url).resolve(
  '@shop/platform/verified-access/staff-access.cedar',
);

/**
 * The Verified Access endpoint before the staff applications, on `ports.verifiedAccess` (its
 * user context's public keys on the next port): the staff group's policy, the user pool as its
 * OIDC trust provider and the local device trust provider (jamf). Allowed requests go to
 * `upstream`, the staff load balancer, unless `verifiedAccessUpstream` names another.
 *
 * @example
 * ```ts
 * const endpoint = await startShopVerifiedAccess(startup, props, cognito, deviceTrustPublicKey(key), alb.url);
 * ```
 */
export const startShopVerifiedAccess = async (
  { region, progress, stops }: ShopStartup,
  props: {
    readonly ports: { readonly verifiedAccess: number };
    readonly verifiedAccessUpstream?: string;
    readonly onVerifiedAccessDecision?: (entry: VerifiedAccessDecision) => void;
  },
  cognito: LocalCognito,
  deviceTrustProvider: DeviceTrustPublicKey,
  staffLoadBalancer: string,
): Promise<VerifiedAccessEndpoint> => {
  const variable = 'LOCAL_VERIFIED_ACCESS_PORT';
  const wanted = props.ports.verifiedAccess;
  const port = await reservePort('Verified Access', wanted, variable);
  const publicKeysPort =
    wanted === 0 ? 0 : await reservePort('Verified Access keys', port + 1, variable);
  const upstream = props.verifiedAccessUpstream ?? staffLoadBalancer;
  const endpoint = await startVerifiedAccess({
    region,
    account: LOCAL_ACCOUNT,
    name: 'shop-staff',
    port,
    publicKeysPort,
    policy: { name: 'staff-access', document: readFileSync(STAFF_ACCESS_POLICY, 'utf8') },
    // The OIDC trust provider of the staff pool (ADR 0019), as in AWS.
    userTrustProvider: {
      issuer: cognito.issuerOf(localUserPoolId(region, 'staff')),
      userPoolId: localUserPoolId(region, 'staff'),
      clientId: LOCAL_USER_POOLS.staff.clientId,
    },
    deviceTrustProvider,
    upstream,
    // The sign-in page a browser without a token is sent to (ADR 0025).
    signIn: (form) => staffPoolSignIn({ region, endpoint: cognito.endpoint }, form),
    ...(props.onVerifiedAccessDecision !== undefined && {
      onDecision: props.onVerifiedAccessDecision,
    }),
  });
  stops.push(() => endpoint.close());
  progress(`Verified Access at ${endpoint.url} (staff policy, device trust) before ${upstream}`);
  return endpoint;
};
