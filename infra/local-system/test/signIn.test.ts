import { type LocalCognito, startCognito } from '@shop/local-cloud/cognito';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignInError, signIn } from '../src/shopApi.js';
import {
  LOCAL_USER_POOLS,
  LOCAL_USERS,
  localUserPoolId,
  newStaffSecrets,
  seedPools,
} from '../src/users.js';

const secrets = newStaffSecrets();
let cognito: LocalCognito;
let pool: { region: string; endpoint: string };

beforeAll(async () => {
  cognito = await startCognito({
    port: 0,
    region: 'eu-west-1',
    pools: seedPools('eu-west-1', secrets),
  });
  pool = { region: 'eu-west-1', endpoint: cognito.endpoint };
});

afterAll(async () => {
  await cognito.close();
});

const claimsOf = (idToken: string) =>
  JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString()) as {
    'cognito:groups'?: string[];
    iss: string;
    aud: string;
  };
const groupsIn = (idToken: string) => claimsOf(idToken)['cognito:groups'];

describe('signing in to the local user pools', () => {
  it('gives each member of staff, and only staff, an authenticator app', () => {
    expect(Object.keys(secrets).sort()).toEqual([LOCAL_USERS.admin, LOCAL_USERS.operator].sort());
  });

  it('signs staff in through the TOTP challenge, with the code of their secret', async () => {
    expect(groupsIn(await signIn(pool, LOCAL_USERS.admin, secrets))).toEqual(['Admins']);
    expect(groupsIn(await signIn(pool, LOCAL_USERS.operator, secrets))).toEqual(['Operators']);
  });

  it('cannot sign a member of staff in without their secret', async () => {
    await expect(signIn(pool, LOCAL_USERS.admin)).rejects.toThrow(SignInError);
    await expect(
      signIn(pool, LOCAL_USERS.admin, {
        [LOCAL_USERS.admin]: newStaffSecrets()[LOCAL_USERS.admin] ?? '',
      }),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });
  });

  it('signs a customer in with the password alone', async () => {
    expect(groupsIn(await signIn(pool, LOCAL_USERS.customer))).toEqual(['RegularCustomers']);
  });

  it('signs staff in to the staff pool and customers to the customer pool, each its own issuer', async () => {
    const staff = claimsOf(await signIn(pool, LOCAL_USERS.operator, secrets));
    const customer = claimsOf(await signIn(pool, LOCAL_USERS.banned));

    expect(staff).toMatchObject({
      iss: cognito.issuerOf(localUserPoolId('eu-west-1', 'staff')),
      aud: LOCAL_USER_POOLS.staff.clientId,
    });
    expect(customer).toMatchObject({
      iss: cognito.issuerOf(localUserPoolId('eu-west-1', 'customers')),
      aud: LOCAL_USER_POOLS.customers.clientId,
    });
  });
});
