import { SERVICE_NAMES } from '@shop/contracts';
import { reservePort } from '@shop/local-cloud';
import { startCardProcessor } from '@shop/local-cloud/card-processor';
import { type LocalCognito, startCognito } from '@shop/local-cloud/cognito';
import { type FrontedEndpoint, startIamFronts } from '@shop/local-cloud/iam';
import { type InvokeFunction, startLambdaEndpoint } from '@shop/local-cloud/lambda';
import {
  type IsAuthorizedLogEntry,
  startVerifiedPermissions,
} from '@shop/local-cloud/verified-permissions';
import type { ShopIam } from './iamEnforcement.js';
import { policyStoreId, policyStoreOf } from './policyStores.js';
import { LOCAL_ACCOUNT } from './principals.js';
import type { ShopStartup } from './ShopStartup.js';
import { seedPools, type TotpSecrets } from './users.js';

/**
 * The card processor sandbox, on `ports.cardProcessor`.
 *
 * @example
 * ```ts
 * const cardProcessor = await startCardProcessorSandbox(startup, { ports: FREE_PORTS });
 * ```
 */
export const startCardProcessorSandbox = async (
  { progress, stops }: ShopStartup,
  props: {
    readonly ports: Readonly<Record<'cardProcessor' | 'verifiedPermissions' | 'cognito', number>>;
  },
) => {
  const cardProcessor = await startCardProcessor({
    port: await reservePort(
      'card processor',
      props.ports.cardProcessor,
      'LOCAL_CARD_PROCESSOR_PORT',
    ),
  });
  stops.push(() => cardProcessor.close());
  progress(`card processor sandbox at ${cardProcessor.url}`);
  return cardProcessor;
};

/** An IAM front before one emulator, on the endpoint's public port. */
const frontOf = async (iam: ShopIam, region: string, endpoint: FrontedEndpoint) => {
  const [front] = await startIamFronts(iam, { region, account: LOCAL_ACCOUNT }, [endpoint]);
  if (front === undefined) throw new Error(`The ${endpoint.name} front did not start`);
  return front;
};

/**
 * The services' policy stores (Verified Permissions), on a private port behind an IAM front on
 * `ports.verifiedPermissions`; without `iam` (the saga benchmark's baseline), on that port itself.
 * Each IsAuthorized decision is told to `onDecision`.
 *
 * @example
 * ```ts
 * const verifiedPermissions = await startPolicyStores(startup, { ports: FREE_PORTS }, iam);
 * ```
 */
export const startPolicyStores = async (
  { region, progress, stops }: ShopStartup,
  props: {
    readonly ports: Readonly<Record<'cardProcessor' | 'verifiedPermissions' | 'cognito', number>>;
  },
  iam: ShopIam | undefined,
  onDecision?: (entry: IsAuthorizedLogEntry) => void,
): Promise<{ readonly endpoint: string }> => {
  const port = props.ports.verifiedPermissions;
  const variable = 'LOCAL_VERIFIED_PERMISSIONS_PORT';
  const verifiedPermissions = await startVerifiedPermissions({
    port: iam === undefined ? await reservePort('Verified Permissions', port, variable) : 0,
    stores: Object.fromEntries(
      SERVICE_NAMES.map((service) => [policyStoreId(service), policyStoreOf(service)]),
    ),
    ...(onDecision !== undefined && { onDecision }),
  });
  stops.push(() => verifiedPermissions.close());
  if (iam === undefined) {
    progress(
      `Verified Permissions at ${verifiedPermissions.endpoint} (IAM not enforced): one policy store per service`,
    );
    return verifiedPermissions;
  }
  const front = await frontOf(iam, region, {
    kind: 'verifiedpermissions',
    name: 'Verified Permissions',
    variable,
    port,
    upstream: verifiedPermissions.endpoint,
  });
  stops.push(() => front.close());
  progress(
    `Verified Permissions at ${front.endpoint} (IAM enforced): one policy store per service`,
  );
  return front;
};

/**
 * The local Cognito user pools with the seed users, the customer pool and the staff pool (each
 * its own issuer and key), on a private port behind an IAM front on `ports.cognito`: sign-in and
 * the JWKS are public, as in AWS; the admin actions need IAM. Each member of staff is in the staff
 * pool with the authenticator app whose secret `totpSecrets` holds, and signs in with its code.
 *
 * @example
 * ```ts
 * const cognito = await startUserPool(startup, { ports: FREE_PORTS }, iam, newStaffSecrets());
 * ```
 */
export const startUserPool = async (
  { region, progress, stops }: ShopStartup,
  props: {
    readonly ports: Readonly<Record<'cardProcessor' | 'verifiedPermissions' | 'cognito', number>>;
  },
  iam: ShopIam,
  totpSecrets: TotpSecrets,
): Promise<LocalCognito> => {
  const pools = seedPools(region, totpSecrets);
  const port = await reservePort('Cognito', props.ports.cognito, 'LOCAL_COGNITO_PORT');
  const cognito = await startCognito({
    port: 0,
    publicEndpoint: `http://127.0.0.1:${port}`,
    region,
    pools,
  });
  stops.push(() => cognito.close());
  const front = await frontOf(iam, region, {
    kind: 'cognito-idp',
    name: 'Cognito',
    variable: 'LOCAL_COGNITO_PORT',
    port,
    upstream: cognito.endpoint,
  });
  stops.push(() => front.close());
  progress(
    `Cognito user pools at ${front.endpoint} (IAM enforced): ${pools.map((pool) => `${pool.userPoolId} with ${pool.users.length} users`).join(', ')}; staff sign in with TOTP MFA`,
  );
  return { ...cognito, endpoint: front.endpoint, port: front.port, close: () => front.close() };
};

/**
 * Lambda's API, on a private port behind an IAM front on `ports.lambda`: as in AWS it exists,
 * and IAM refuses every `Invoke` but a schedule's of its own function, since no other role of
 * the shop (nor the local administrator) may invoke a function. The functions' callers are the
 * REST APIs, Lattice, the queues and the schedules.
 *
 * @example
 * ```ts
 * const lambda = await startLambdaApi(startup, { ports: FREE_PORTS }, iam, invoke);
 * ```
 */
export const startLambdaApi = async (
  { region, progress, stops }: ShopStartup,
  props: { readonly ports: { readonly lambda: number } },
  iam: ShopIam,
  invoke: InvokeFunction,
) => {
  const lambda = await startLambdaEndpoint({ port: 0, region, account: LOCAL_ACCOUNT, invoke });
  stops.push(() => lambda.close());
  const front = await frontOf(iam, region, {
    kind: 'lambda',
    name: 'Lambda',
    variable: 'LOCAL_LAMBDA_PORT',
    port: props.ports.lambda,
    upstream: lambda.endpoint,
  });
  stops.push(() => front.close());
  progress(
    `Lambda API at ${front.endpoint} (IAM enforced): only a schedule's role may invoke a function, its own`,
  );
  return front;
};
