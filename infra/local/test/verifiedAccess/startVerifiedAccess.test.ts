import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { USER_CONTEXT_HEADER, userContextVerifier } from '@shop/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type LocalCognito,
  newTotpSecret,
  startCognito,
  totpCode,
} from '../../src/cognito/index.js';
import {
  DEVICE_POSTURE,
  deviceTrustPublicKey,
  issueDevicePosture,
  type JamfRisk,
  newDeviceTrustKey,
  startVerifiedAccess,
  type VerifiedAccessDecision,
  type VerifiedAccessEndpoint,
} from '../../src/verifiedAccess/index.js';

const POOL = 'eu-west-1_staff';
const CLIENT = 'staff-client';
const CUSTOMER_POOL = 'eu-west-1_customers';
const CUSTOMER_CLIENT = 'customer-client';
const secrets = { olga: newTotpSecret(), ada: newTotpSecret() };
const STAFF_POLICY = readFileSync(
  createRequire(import.meta.url).resolve('@shop/platform/verified-access/staff-access.cedar'),
  'utf8',
);

/** The staff application behind the endpoint: it records what reaches it. */
interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let cognito: LocalCognito;
let upstream: Server;
let endpoint: VerifiedAccessEndpoint;
let sdk: CognitoIdentityProviderClient;
const received: Received[] = [];
const decisions: VerifiedAccessDecision[] = [];
const deviceKey = newDeviceTrustKey();
const tokens: Record<'olga' | 'ada' | 'carol', string> = { olga: '', ada: '', carol: '' };

/** Signs a user in as the staff's tools do: password, then the authenticator app's code. */
const signIn = async (
  username: string,
  password: string,
  secret?: string,
  clientId: string = CLIENT,
) => {
  const started = await sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  if (secret === undefined) return String(started.AuthenticationResult?.IdToken);
  expect(started.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  const answered = await sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: started.Session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totpCode(secret) },
    }),
  );
  return String(answered.AuthenticationResult?.IdToken);
};

const device = (risk: JamfRisk, options: Parameters<typeof issueDevicePosture>[2] = {}) =>
  issueDevicePosture(
    deviceKey,
    { deviceId: `laptop-${risk}`, jamf: { risk, osv: '15.1.0', groups: [] } },
    options,
  );

const send = (
  headers: Record<string, string>,
  init: { readonly method?: string; readonly path?: string; readonly body?: string } = {},
) =>
  fetch(`${endpoint.url}${init.path ?? '/admin/orders?status=PLACED'}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined && { body: init.body }),
  });

const as = (token: string, posture: string | undefined) => ({
  authorization: `Bearer ${token}`,
  ...(posture !== undefined && { [DEVICE_POSTURE.header]: posture }),
});

beforeAll(async () => {
  cognito = await startCognito({
    port: 0,
    region: 'eu-west-1',
    pools: [
      {
        userPoolId: POOL,
        clientId: CLIENT,
        users: [
          {
            username: 'olga',
            password: 'Local-olga-1!',
            email: 'olga@example.com',
            groups: ['Operators'],
            totpSecret: secrets.olga,
          },
          {
            username: 'ada',
            password: 'Local-ada-1!',
            email: 'ada@example.com',
            groups: ['Admins'],
            totpSecret: secrets.ada,
          },
        ],
      },
      {
        userPoolId: CUSTOMER_POOL,
        clientId: CUSTOMER_CLIENT,
        users: [
          { username: 'carol', password: 'Local-carol-1!', email: 'carol@example.com', groups: [] },
        ],
      },
    ],
  });
  sdk = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: cognito.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  upstream = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"orders":[]}');
    });
  });
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  endpoint = await startVerifiedAccess({
    region: 'eu-west-1',
    account: '000000000000',
    name: 'shop-staff',
    port: 0,
    publicKeysPort: 0,
    policy: { name: 'staff-access', document: STAFF_POLICY },
    userTrustProvider: { issuer: cognito.issuerOf(POOL), userPoolId: POOL, clientId: CLIENT },
    deviceTrustProvider: deviceTrustPublicKey(deviceKey),
    upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    onDecision: (entry) => decisions.push(entry),
  });
  tokens.olga = await signIn('olga', 'Local-olga-1!', secrets.olga);
  tokens.ada = await signIn('ada', 'Local-ada-1!', secrets.ada);
  tokens.carol = await signIn('carol', 'Local-carol-1!', undefined, CUSTOMER_CLIENT);
});

afterAll(async () => {
  sdk.destroy();
  await endpoint.close();
  await new Promise<void>((done) => upstream.close(() => done()));
  await cognito.close();
});

beforeEach(() => {
  received.length = 0;
  decisions.length = 0;
});

/** A 403 with the denial page, which says nothing of who asked; the upstream never saw it. */
const expectDenied = async (response: Response) => {
  expect(response.status).toBe(403);
  const page = await response.text();
  expect(page).toContain('Access denied');
  for (const leak of ['olga', 'ada', 'carol', 'example.com', 'Operators', 'Admins', 'risk']) {
    expect(page).not.toContain(leak);
  }
  expect(received).toEqual([]);
};

describe('the local Verified Access endpoint', () => {
  it('forwards an Operator on a compliant device, unchanged but for a verifiable user context', async () => {
    const response = await send(as(tokens.olga, device('LOW')), {
      method: 'POST',
      path: '/admin/stock/MUG-001?dry=1',
      body: '{"quantity":3}',
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ orders: [] });
    const [request] = received;
    expect(request).toMatchObject({
      method: 'POST',
      url: '/admin/stock/MUG-001?dry=1',
      body: '{"quantity":3}',
    });
    expect(request?.headers['authorization']).toBe(`Bearer ${tokens.olga}`);
    const verify = userContextVerifier({
      publicKeysUrl: endpoint.publicKeysUrl,
      signer: endpoint.instanceArn,
    });
    const user = await verify(String(request?.headers[USER_CONTEXT_HEADER]));
    expect(user).toMatchObject({
      sub: cognito.subOf('olga'),
      email: 'olga@example.com',
      groups: ['Operators'],
    });
    expect(decisions).toEqual([
      expect.objectContaining({
        kind: 'verified-access',
        method: 'POST',
        path: '/admin/stock/MUG-001',
        user: cognito.subOf('olga'),
        device: 'laptop-LOW',
        decision: 'Allow',
        reason: 'PolicyAllowed',
        policies: ['policy0'],
      }),
    ]);
  });

  it('takes the device posture from its cookie, and no ID token from a cookie', async () => {
    const posture = `theme=dark; ${DEVICE_POSTURE.cookie}=${device('SECURE')}`;
    const response = await send({ authorization: `Bearer ${tokens.olga}`, cookie: posture });
    expect(response.status).toBe(200);
    expect(received).toHaveLength(1);

    received.length = 0;
    await expectDenied(await send({ cookie: `id_token=${tokens.olga}; ${posture}` }));
    expect(decisions.map((entry) => entry.reason)).toEqual(['PolicyAllowed', 'NoIdentityToken']);
  });

  it('replaces a user context the client sent with its own', async () => {
    const forged = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.';
    await send({ ...as(tokens.olga, device('LOW')), [USER_CONTEXT_HEADER]: forged });
    expect(received[0]?.headers[USER_CONTEXT_HEADER]).not.toBe(forged);
    expect(String(received[0]?.headers[USER_CONTEXT_HEADER]).split('.')).toHaveLength(3);
  });

  it('refuses the same Operator on a non-compliant device before the upstream', async () => {
    await expectDenied(await send(as(tokens.olga, device('HIGH'))));
    expect(decisions).toEqual([
      expect.objectContaining({
        user: cognito.subOf('olga'),
        device: 'laptop-HIGH',
        decision: 'Deny',
        reason: 'PolicyDenied',
        policies: [],
      }),
    ]);
  });

  it('refuses an Operator with no device posture at all', async () => {
    await expectDenied(await send(as(tokens.olga, undefined)));
    expect(decisions[0]).toMatchObject({
      decision: 'Deny',
      reason: 'PolicyDenied',
      device: undefined,
    });
    expect(decisions[0]?.errors.join()).toContain('jamf');
  });

  it('refuses an Admin whose token carries no proof of a second factor, as the policy asks', async () => {
    await expectDenied(await send(as(tokens.ada, device('SECURE'))));
    expect(decisions[0]).toMatchObject({
      user: cognito.subOf('ada'),
      decision: 'Deny',
      reason: 'PolicyDenied',
    });
  });

  it('forwards an Admin whose token says the sign-in used MFA', async () => {
    const now = Math.floor(Date.now() / 1000);
    const withMfa = cognito.sign(POOL, {
      sub: cognito.subOf('ada'),
      aud: CLIENT,
      iss: cognito.issuerOf(POOL),
      token_use: 'id',
      'cognito:groups': ['Admins'],
      second_factor: 'totp',
      iat: now,
      exp: now + 300,
    });
    const response = await send(as(withMfa, device('LOW')));
    expect(response.status).toBe(200);
    expect(decisions[0]).toMatchObject({ decision: 'Allow', policies: ['policy1'] });
  });

  it('refuses a customer token, which the staff pool did not issue', async () => {
    await expectDenied(await send(as(tokens.carol, device('LOW'))));
    expect(decisions[0]).toMatchObject({ decision: 'Deny', reason: 'InvalidIdentityToken' });
  });

  it.each([
    [
      'forged by another key',
      () =>
        issueDevicePosture(newDeviceTrustKey(), {
          deviceId: 'laptop-LOW',
          jamf: { risk: 'LOW', osv: '15.1.0', groups: [] },
        }),
    ],
    [
      'expired',
      () => device('LOW', { now: new Date(Date.now() - 3_600_000), validitySeconds: 60 }),
    ],
    [
      'altered after signing',
      () => {
        const [head, , signature] = device('HIGH').split('.');
        const payload = JSON.parse(
          Buffer.from(device('LOW').split('.')[1] ?? '', 'base64url').toString(),
        );
        return `${head}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
      },
    ],
    ['not a JWT', () => 'compliant'],
  ])('refuses a device posture %s', async (_why, posture) => {
    await expectDenied(await send(as(tokens.olga, posture())));
    expect(decisions).toEqual([
      expect.objectContaining({
        user: cognito.subOf('olga'),
        decision: 'Deny',
        reason: 'InvalidDevicePosture',
      }),
    ]);
  });

  it('refuses a tampered ID token', async () => {
    const [head, body, signature] = tokens.carol.split('.');
    const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString());
    const promoted = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['Operators'] }));
    await expectDenied(
      await send(as(`${head}.${promoted.toString('base64url')}.${signature}`, device('LOW'))),
    );
    expect(decisions).toEqual([
      expect.objectContaining({
        user: undefined,
        decision: 'Deny',
        reason: 'InvalidIdentityToken',
      }),
    ]);
  });

  it('refuses an expired ID token and one for another client', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = {
      sub: cognito.subOf('olga'),
      iss: cognito.issuerOf(POOL),
      token_use: 'id',
      'cognito:groups': ['Operators'],
    };
    const expired = cognito.sign(POOL, { ...base, aud: CLIENT, iat: now - 7200, exp: now - 3600 });
    const otherClient = cognito.sign(POOL, {
      ...base,
      aud: 'customer-client',
      iat: now,
      exp: now + 300,
    });
    await expectDenied(await send(as(expired, device('LOW'))));
    await expectDenied(await send(as(otherClient, device('LOW'))));
    expect(decisions.map((entry) => entry.reason)).toEqual([
      'InvalidIdentityToken',
      'InvalidIdentityToken',
    ]);
  });

  it('refuses a request with no ID token', async () => {
    await expectDenied(await send({ [DEVICE_POSTURE.header]: device('LOW') }));
    expect(decisions).toEqual([
      expect.objectContaining({ decision: 'Deny', reason: 'NoIdentityToken', user: undefined }),
    ]);
  });

  it('serves the user context public key by its kid, and nothing else', async () => {
    const [head] = (await send(as(tokens.olga, device('LOW')))).ok
      ? String(received[0]?.headers[USER_CONTEXT_HEADER]).split('.')
      : [];
    const { kid } = JSON.parse(Buffer.from(head ?? '', 'base64url').toString()) as { kid: string };
    const key = await fetch(`${endpoint.publicKeysUrl}/${kid}`);
    expect(key.status).toBe(200);
    expect(await key.text()).toContain('BEGIN PUBLIC KEY');
    expect((await fetch(`${endpoint.publicKeysUrl}/other`)).status).toBe(404);
  });

  it('denies a browser navigation without a token like any request, signing no one in without OIDC', async () => {
    const browser = { accept: 'text/html,application/xhtml+xml' };
    await expectDenied(await send(browser, { path: '/console/?tab=map' }));
    await expectDenied(await send(browser, { path: '/_va/sign-in?next=/console/' }));
    expect(decisions.map((entry) => [entry.path, entry.reason])).toEqual([
      ['/console/', 'NoIdentityToken'],
      ['/_va/sign-in', 'NoIdentityToken'],
    ]);
  });
});
