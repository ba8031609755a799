import { randomBytes } from 'node:crypto';
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
import { LOCAL_USER_POOLS, localUserPoolId } from './users.js';

/** The staff group's Verified Access policy: the document the CDK app deploys. */
const STAFF_ACCESS_POLICY = createRequire(import.meta.url).resolve(
  '@shop/platform/verified-access/staff-access.cedar',
);

/** Where the console's pages take the managed login's code back (ADR 0026). */
export const CONSOLE_CALLBACK_PATH = '/console/callback';

/**
 * The Verified Access endpoint before the staff applications, on `ports.verifiedAccess` (its
 * user context's public keys on the next port): the staff group's policy, the user pool as its
 * OIDC trust provider and the local device trust provider (jamf). Allowed requests go to
 * `upstream`, the staff load balancer, unless `verifiedAccessUpstream` names another. Browsers
 * sign in as in AWS (ADR 0026): the endpoint is a relying party of the staff pool's managed
 * login with its own confidential client (a new secret at each start), and the console's pages
 * sign in with their public client; once the endpoint listens, the pool takes both clients with
 * their callback URLs on it.
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
  const staffPool = localUserPoolId(region, 'staff');
  const clientId = LOCAL_USER_POOLS.staff.verifiedAccessClientId;
  const clientSecret = randomBytes(32).toString('base64url');
  const endpoint = await startVerifiedAccess({
    region,
    account: LOCAL_ACCOUNT,
    name: 'shop-staff',
    port,
    publicKeysPort,
    policy: { name: 'staff-access', document: readFileSync(STAFF_ACCESS_POLICY, 'utf8') },
    // The OIDC trust provider of the staff pool (ADR 0019), as in AWS.
    userTrustProvider: {
      issuer: cognito.issuerOf(staffPool),
      userPoolId: staffPool,
      clientId: LOCAL_USER_POOLS.staff.clientId,
    },
    deviceTrustProvider,
    upstream,
    // Verified Access's own client of the staff pool's managed login (ADR 0026).
    oidc: {
      authorizationEndpoint: `${cognito.endpoint}/oauth2/authorize`,
      tokenEndpoint: `${cognito.endpoint}/oauth2/token`,
      clientId,
      clientSecret,
    },
    ...(props.onVerifiedAccessDecision !== undefined && {
      onDecision: props.onVerifiedAccessDecision,
    }),
  });
  stops.push(() => endpoint.close());
  cognito.setOAuthClients(staffPool, [
    { clientId, clientSecret, callbackUrls: [`${endpoint.url}/oauth2/idpresponse`] },
    {
      clientId: LOCAL_USER_POOLS.staff.consoleClientId,
      callbackUrls: [`${endpoint.url}${CONSOLE_CALLBACK_PATH}`],
      logoutUrls: [`${endpoint.url}/console/`],
    },
  ]);
  progress(`Verified Access at ${endpoint.url} (staff policy, device trust) before ${upstream}`);
  return endpoint;
};
