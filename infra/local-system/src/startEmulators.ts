import { SERVICE_NAMES } from '@shop/contracts';
import { reservePort } from '@shop/local-cloud';
import { startCardProcessor } from '@shop/local-cloud/card-processor';
import { startCognito } from '@shop/local-cloud/cognito';
import { startIamFronts } from '@shop/local-cloud/iam';
import { startVerifiedPermissions } from '@shop/local-cloud/verified-permissions';
import type { ShopIam } from './iamEnforcement.js';
import { policyStoreId, policyStoreOf } from './policyStores.js';
import { LOCAL_ACCOUNT } from './principals.js';
import type { ShopStartup } from './ShopStartup.js';
import { LOCAL_USER_POOL, SEED_USERS } from './users.js';

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

/**
 * The services' policy stores (Verified Permissions), on a private port behind an IAM front on
 * `ports.verifiedPermissions`; without `iam` (the saga benchmark's baseline), on that port itself.
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
): Promise<{ readonly endpoint: string }> => {
  const port = props.ports.verifiedPermissions;
  const variable = 'LOCAL_VERIFIED_PERMISSIONS_PORT';
  const verifiedPermissions = await startVerifiedPermissions({
    port: iam === undefined ? await reservePort('Verified Permissions', port, variable) : 0,
    stores: Object.fromEntries(
      SERVICE_NAMES.map((service) => [policyStoreId(service), policyStoreOf(service)]),
    ),
  });
  stops.push(() => verifiedPermissions.close());
  if (iam === undefined) {
    progress(
      `Verified Permissions at ${verifiedPermissions.endpoint} (IAM not enforced): one policy store per service`,
    );
    return verifiedPermissions;
  }
  const [front] = await startIamFronts(iam, { region, account: LOCAL_ACCOUNT }, [
    {
      kind: 'verifiedpermissions',
      name: 'Verified Permissions',
      variable,
      port,
      upstream: verifiedPermissions.endpoint,
    },
  ]);
  if (front === undefined) throw new Error('The Verified Permissions front did not start');
  stops.push(() => front.close());
  progress(
    `Verified Permissions at ${front.endpoint} (IAM enforced): one policy store per service`,
  );
  return front;
};

/**
 * The local Cognito user pool with the seed users, on `ports.cognito`.
 *
 * @example
 * ```ts
 * const cognito = await startUserPool(startup, { ports: FREE_PORTS });
 * ```
 */
export const startUserPool = async (
  { region, progress, stops }: ShopStartup,
  props: {
    readonly ports: Readonly<Record<'cardProcessor' | 'verifiedPermissions' | 'cognito', number>>;
  },
) => {
  const cognito = await startCognito({
    port: await reservePort('Cognito', props.ports.cognito, 'LOCAL_COGNITO_PORT'),
    region,
    userPoolId: `${region}_local`,
    clientId: LOCAL_USER_POOL.clientId,
    users: SEED_USERS,
  });
  stops.push(() => cognito.close());
  progress(`Cognito user pool at ${cognito.endpoint}: ${SEED_USERS.length} users`);
  return cognito;
};
