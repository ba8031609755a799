import type { LocalUser } from '@shop/local-cloud/cognito';

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
