import { STAFF_GROUPS } from '@shop/contracts';
import { type LocalUser, type LocalUserPool, newTotpSecret } from '@shop/local-cloud/cognito';

/**
 * The users of the local user pools, one per kind of caller the Cedar policies tell apart: the
 * customers in the customer pool, the members of staff in the staff pool. Their passwords exist
 * only on this machine's local pools (`npx shop token <username>` signs in).
 */
export const SEED_USERS: readonly LocalUser[] = [
  { username: 'alice', email: 'alice@example.com', groups: ['RegularCustomers'] },
  { username: 'bob', email: 'bob@example.com', groups: ['RegularCustomers'] },
  { username: 'mallory', email: 'mallory@example.com', groups: ['BannedCustomers'] },
  { username: 'oscar', email: 'oscar@example.com', groups: ['Operators'] },
  { username: 'ada', email: 'ada@example.com', groups: ['Admins'] },
].map((user) => ({ ...user, password: localPassword(user.username) }));

/** The local pool's password of a seeded user. */
export function localPassword(username: string): string {
  return `Local-${username}-2026!`;
}

/**
 * The local user pools and their app clients, as in AWS: the customer pool, and the staff pool
 * whose members sign in with a TOTP code and whose tokens alone carry the staff groups (ADR 0019).
 * A pool's id is `<region>_<idSuffix>`; the staff pool's `consoleClientId` is the console's
 * public app client (ADR 0026), whose tokens the staff functions accept beside the API client's,
 * and `verifiedAccessClientId` Verified Access's confidential client: both sign staff in through
 * the pool's managed login.
 */
export const LOCAL_USER_POOLS = {
  customers: { idSuffix: 'local', clientId: 'localshopwebclient' },
  staff: {
    idSuffix: 'localstaff',
    clientId: 'localshopstaffclient',
    consoleClientId: 'localshopstaffconsole',
    verifiedAccessClientId: 'localshopstaffverifiedaccess',
  },
} as const;

/** `customers` or `staff`. */
export type LocalPoolName = keyof typeof LOCAL_USER_POOLS;

/**
 * The id of a local user pool in a region.
 *
 * @example
 * ```ts
 * localUserPoolId('eu-west-1', 'staff'); // 'eu-west-1_localstaff'
 * ```
 */
export const localUserPoolId = (region: string, pool: LocalPoolName): string =>
  `${region}_${LOCAL_USER_POOLS[pool].idSuffix}`;

const isStaff = (user: Pick<LocalUser, 'groups'>) =>
  user.groups.some((group) => (STAFF_GROUPS as readonly string[]).includes(group));

/**
 * The pool a user signs in to: the staff pool for a member of staff among the seed users, the
 * customer pool for anyone else.
 *
 * @example
 * ```ts
 * poolOf('ada'); // 'staff'
 * poolOf('alice'); // 'customers'
 * ```
 */
export const poolOf = (username: string): LocalPoolName => {
  const user = SEED_USERS.find((seed) => seed.username === username);
  return user !== undefined && isStaff(user) ? 'staff' : 'customers';
};

/**
 * Who the local tools sign in as: a customer places, views and cancels orders; an Operator sees
 * stock counters; an Admin puts the catalogue and sees payments.
 */
export const LOCAL_USERS = {
  customer: 'alice',
  otherCustomer: 'bob',
  banned: 'mallory',
  operator: 'oscar',
  admin: 'ada',
} as const;

/** The base32 TOTP secret of each member of staff's authenticator app, by username. */
export type TotpSecrets = Readonly<Record<string, string>>;

/**
 * A new TOTP secret for each member of staff among the seed users: the shop makes them at each
 * start, so no secret is in the code.
 *
 * @example
 * ```ts
 * const secrets = newStaffSecrets(); // { oscar: 'KZ...', ada: 'MN...' }
 * ```
 */
export const newStaffSecrets = (): TotpSecrets =>
  Object.fromEntries(SEED_USERS.filter(isStaff).map((user) => [user.username, newTotpSecret()]));

/**
 * The local user pools of a region with the seed users: the customers in the customer pool, the
 * members of staff in the staff pool, each with the authenticator app whose secret `secrets`
 * holds. The staff pool, which requires the second factor, adds `second_factor: "totp"` to the ID tokens
 * it issues after it, as its pre-token-generation trigger does in AWS (ADR 0021).
 *
 * @example
 * ```ts
 * startCognito({ ...props, pools: seedPools(region, newStaffSecrets()) });
 * ```
 */
export const seedPools = (region: string, secrets: TotpSecrets): readonly LocalUserPool[] =>
  (Object.keys(LOCAL_USER_POOLS) as LocalPoolName[]).map((pool) => ({
    userPoolId: localUserPoolId(region, pool),
    clientId: LOCAL_USER_POOLS[pool].clientId,
    ...(pool === 'staff' && { claimsAfterMfa: { second_factor: 'totp' } }),
    users: SEED_USERS.filter((user) => poolOf(user.username) === pool).map((user) => {
      const totpSecret = secrets[user.username];
      return totpSecret === undefined ? user : { ...user, totpSecret };
    }),
  }));
