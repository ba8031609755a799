import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type IdentityTokenConfig,
  identityTokenVerifier,
  type SignedInUser,
  staffEntryChecks,
  UntrustedTokenError,
} from '../src/index.js';

/** A user pool's signing key: it signs tokens and publishes its public half as a JWKS. */
const signingKey = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    sign: (claims: Readonly<Record<string, unknown>>) => {
      const unsigned = `${part({ kid, alg: 'RS256' })}.${part(claims)}`;
      return `${unsigned}.${sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
    },
  };
};

const customerKey = signingKey();
const staffKey = signingKey();
const POOLS = {
  customers: { userPoolId: 'eu-west-1_customers', clientId: 'customer-client', key: customerKey },
  staff: { userPoolId: 'eu-west-1_staff', clientId: 'staff-client', key: staffKey },
};

/** Both pools' JWKS, served on 127.0.0.1 at `<issuer>/.well-known/jwks.json`, as the local pool does. */
let server: Server;
let endpoint = '';
const issuerOf = (pool: keyof typeof POOLS) => `${endpoint}/${POOLS[pool].userPoolId}`;

beforeAll(async () => {
  server = createServer((request, response) => {
    const pool = Object.values(POOLS).find(
      (candidate) => request.url === `/${candidate.userPoolId}/.well-known/jwks.json`,
    );
    response.writeHead(pool ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(pool ? { keys: [pool.key.jwk] } : {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const config = (): IdentityTokenConfig => ({
  customers: { ...POOLS.customers, issuer: issuerOf('customers') },
  staff: { ...POOLS.staff, issuer: issuerOf('staff') },
});

/** An ID token's claims as `pool` issues them to `username`, with `overrides`. */
const idClaims = (
  pool: keyof typeof POOLS,
  username: string,
  groups: readonly string[],
  overrides: Readonly<Record<string, unknown>> = {},
) => {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: `sub-of-${username}`,
    'cognito:username': username,
    'cognito:groups': [...groups],
    iss: issuerOf(pool),
    aud: POOLS[pool].clientId,
    token_use: 'id',
    iat: now,
    auth_time: now,
    exp: now + 3600,
    ...overrides,
  };
};

describe('identityTokenVerifier', () => {
  it("accepts a customer's token from the customer pool, with the customer groups", async () => {
    const verify = identityTokenVerifier(config());
    const token = customerKey.sign(idClaims('customers', 'alice', ['RegularCustomers']));

    expect(await verify(token)).toEqual<SignedInUser>({
      sub: 'sub-of-alice',
      username: 'alice',
      groups: ['RegularCustomers'],
    });
  });

  it("accepts a member of staff's token from the staff pool, with the staff groups", async () => {
    const verify = identityTokenVerifier(config());
    const token = staffKey.sign(idClaims('staff', 'ada', ['Admins']));

    expect(await verify(token)).toEqual<SignedInUser>({
      sub: 'sub-of-ada',
      username: 'ada',
      groups: ['Admins'],
    });
  });

  it('refuses a customer-pool token that claims a staff group: only the staff pool vouches for staff', async () => {
    const verify = identityTokenVerifier(config());

    for (const groups of [['Admins'], ['Operators'], ['RegularCustomers', 'Admins']]) {
      const token = customerKey.sign(idClaims('customers', 'mallory', groups));
      await expect(verify(token)).rejects.toThrow(UntrustedTokenError);
    }
  });

  it('refuses a staff-pool token that claims a customer group', async () => {
    const verify = identityTokenVerifier(config());
    const token = staffKey.sign(idClaims('staff', 'oscar', ['Operators', 'BannedCustomers']));

    await expect(verify(token)).rejects.toThrow(UntrustedTokenError);
  });

  it("refuses a token naming the staff pool as issuer but signed with the customer pool's key", async () => {
    const verify = identityTokenVerifier(config());
    const token = customerKey.sign(idClaims('staff', 'mallory', ['Admins']));

    await expect(verify(token)).rejects.toThrow();
  });

  it("refuses a pool's token for the other pool's app client, an access token and an expired one", async () => {
    const verify = identityTokenVerifier(config());
    const now = Math.floor(Date.now() / 1000);
    const refused = [
      staffKey.sign(idClaims('staff', 'ada', ['Admins'], { aud: POOLS.customers.clientId })),
      customerKey.sign(idClaims('customers', 'alice', [], { aud: POOLS.staff.clientId })),
      staffKey.sign(idClaims('staff', 'ada', ['Admins'], { token_use: 'access' })),
      customerKey.sign(idClaims('customers', 'alice', [], { exp: now - 60, iat: now - 3600 })),
    ];

    for (const token of refused) await expect(verify(token)).rejects.toThrow();
  });

  it('refuses a token of a pool it does not trust, and one that is no JWT', async () => {
    const verify = identityTokenVerifier(config());
    const elsewhere = staffKey.sign(
      idClaims('staff', 'ada', ['Admins'], { iss: `${endpoint}/eu-west-1_other` }),
    );

    await expect(verify(elsewhere)).rejects.toThrow(UntrustedTokenError);
    await expect(verify('not-a-token')).rejects.toThrow();
  });

  it('will not take one pool for both: the staff groups need a pool of their own', () => {
    expect(() =>
      identityTokenVerifier({ customers: config().customers, staff: config().customers }),
    ).toThrow(/two pools/);
  });
});

describe('staffEntryChecks', () => {
  /** The staff entry's environment, as the local shop gives it: no Verified Access before it. */
  const environment = () => ({
    STAFF_USER_POOL_ID: POOLS.staff.userPoolId,
    STAFF_USER_POOL_CLIENT_ID: POOLS.staff.clientId,
    STAFF_CONSOLE_CLIENT_ID: 'staff-console-client',
    STAFF_TOKEN_ISSUER: issuerOf('staff'),
    VERIFIED_ACCESS_CONTEXT: 'unchecked',
  });

  it("accepts the staff pool's tokens of the API client and of the console's client", async () => {
    const { verifyStaffToken } = staffEntryChecks(environment());
    const api = staffKey.sign(idClaims('staff', 'ada', ['Admins']));
    const console = staffKey.sign(
      idClaims('staff', 'oscar', ['Operators'], { aud: 'staff-console-client' }),
    );

    await expect(verifyStaffToken(api)).resolves.toEqual({
      sub: 'sub-of-ada',
      username: 'ada',
      groups: ['Admins'],
    });
    await expect(verifyStaffToken(console)).resolves.toEqual({
      sub: 'sub-of-oscar',
      username: 'oscar',
      groups: ['Operators'],
    });
  });

  it("refuses a staff-pool token of any other app client, and the customer pool's", async () => {
    const { verifyStaffToken } = staffEntryChecks(environment());
    const unrelated = staffKey.sign(
      idClaims('staff', 'ada', ['Admins'], { aud: 'shop-staff-verified-access' }),
    );
    const customer = customerKey.sign(idClaims('customers', 'alice', []));

    await expect(verifyStaffToken(unrelated)).rejects.toThrow();
    await expect(verifyStaffToken(customer)).rejects.toThrow(UntrustedTokenError);
  });

  it("requires the console's client", () => {
    const { STAFF_CONSOLE_CLIENT_ID: _, ...withoutConsole } = environment();

    expect(() => staffEntryChecks(withoutConsole)).toThrow(/STAFF_CONSOLE_CLIENT_ID/);
  });
});
