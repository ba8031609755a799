import { type LocalUser, newTotpSecret } from '@shop/local-cloud/cognito';

/**
 * The users of the local user pool, one per kind of caller the Cedar policies tell apart. Their
 * passwords exist only on this machine's local pool (`npx shop token <username>` signs in).
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

/** The local user pool and its app client. */
export const LOCAL_USER_POOL = { clientId: 'localshopwebclient' } as const;

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

/** The groups of staff, who sign in with a TOTP code as well as their password (ADR 0019). */
export const STAFF_GROUPS: readonly string[] = ['Admins', 'Operators'];

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
  Object.fromEntries(
    SEED_USERS.filter((user) => user.groups.some((group) => STAFF_GROUPS.includes(group))).map(
      (user) => [user.username, newTotpSecret()],
    ),
  );

/**
 * The seed users, each member of staff with the authenticator app whose secret `secrets` holds.
 *
 * @example
 * ```ts
 * startCognito({ ...props, users: seedUsersWith(newStaffSecrets()) });
 * ```
 */
export const seedUsersWith = (secrets: TotpSecrets): readonly LocalUser[] =>
  SEED_USERS.map((user) => {
    const totpSecret = secrets[user.username];
    return totpSecret === undefined ? user : { ...user, totpSecret };
  });
