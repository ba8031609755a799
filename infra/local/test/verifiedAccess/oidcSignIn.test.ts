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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  newDeviceTrustKey,
  startVerifiedAccess,
  type VerifiedAccessEndpoint,
} from '../../src/verifiedAccess/index.js';

const POOL = 'eu-west-1_staff';
const API_CLIENT = 'staff-client';
const VA_CLIENT = 'va-client';
const VA_SECRET = 'va-secret';
const secret = newTotpSecret();
const deviceKey = newDeviceTrustKey();
const STAFF_POLICY = readFileSync(
  createRequire(import.meta.url).resolve('@shop/platform/verified-access/staff-access.cedar'),
  'utf8',
);

let cognito: LocalCognito;
let upstream: Server;
let endpoint: VerifiedAccessEndpoint;
const received: IncomingHttpHeaders[] = [];

/** Where Verified Access's callback is: known once the endpoint listens, so it is registered late. */
let callbackUrls: string[] = [];

beforeAll(async () => {
  cognito = await startCognito({
    port: 0,
    region: 'eu-west-1',
    pools: [
      {
        userPoolId: POOL,
        clientId: API_CLIENT,
        claimsAfterMfa: { second_factor: 'totp' },
        oauthClients: [
          {
            clientId: VA_CLIENT,
            clientSecret: VA_SECRET,
            get callbackUrls() {
              return callbackUrls;
            },
          },
        ],
        users: [
          {
            username: 'olga',
            password: 'Local-olga-1!',
            email: 'olga@example.com',
            groups: ['Operators'],
            totpSecret: secret,
          },
        ],
      },
    ],
  });
  upstream = createServer((request, response) => {
    received.push(request.headers);
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"orders":[]}');
  });
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  endpoint = await startVerifiedAccess({
    region: 'eu-west-1',
    account: '000000000000',
    name: 'shop-staff',
    port: 0,
    publicKeysPort: 0,
    policy: { name: 'staff-access', document: STAFF_POLICY },
    userTrustProvider: { issuer: cognito.issuerOf(POOL), userPoolId: POOL, clientId: API_CLIENT },
    deviceTrustProvider: deviceTrustPublicKey(deviceKey),
    upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    oidc: {
      authorizationEndpoint: `${cognito.endpoint}/oauth2/authorize`,
      tokenEndpoint: `${cognito.endpoint}/oauth2/token`,
      clientId: VA_CLIENT,
      clientSecret: VA_SECRET,
    },
  });
  callbackUrls = [`${endpoint.url}/oauth2/idpresponse`];
});

afterAll(async () => {
  await endpoint.close();
  await new Promise((done) => upstream.close(done));
  await cognito.close();
});

const navigate = (url: string, cookie = '') =>
  fetch(url, {
    redirect: 'manual',
    headers: { accept: 'text/html', ...(cookie !== '' && { cookie }) },
  });

const postForm = (url: string, form: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

const cookieOf = (response: Response) => String(response.headers.get('set-cookie')).split(';')[0];

const posture = () =>
  issueDevicePosture(deviceKey, {
    deviceId: 'laptop',
    jamf: { risk: 'LOW', osv: '15.1.0', groups: [] },
  });

/** Olga's browser, from the first navigation to the endpoint's session cookie. */
const signInThroughTheManagedLogin = async () => {
  const first = await navigate(`${endpoint.url}/order/admin/orders`);
  const authorize = String(first.headers.get('location'));
  const toLogin = await navigate(authorize);
  const loginUrl = `${cognito.endpoint}${toLogin.headers.get('location')}`;
  const password = await postForm(loginUrl, { username: 'olga', password: 'Local-olga-1!' });
  const session = /name="session" value="([^"]+)"/.exec(await password.text())?.[1] ?? '';
  const code = await postForm(loginUrl, { session, code: totpCode(secret) });
  const back = await navigate(String(code.headers.get('location')));
  return { first, authorize: new URL(authorize), code, back };
};

describe('the endpoint as an OIDC relying party', () => {
  it('sends a navigation without a session to the user pool’s authorize endpoint with its own client', async () => {
    const { authorize } = await signInThroughTheManagedLogin();

    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${cognito.endpoint}/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: 'code',
      client_id: VA_CLIENT,
      redirect_uri: `${endpoint.url}/oauth2/idpresponse`,
      scope: 'openid email profile',
      state: expect.stringMatching(/^[\w-]{40,}$/),
      nonce: expect.stringMatching(/^[\w-]{40,}$/),
    });
  });

  it('takes the code back, keeps the claims in an HttpOnly session of its own and gives the browser no token', async () => {
    const { code, back } = await signInThroughTheManagedLogin();

    expect(new URL(String(code.headers.get('location'))).pathname).toBe('/oauth2/idpresponse');
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/order/admin/orders');
    const cookie = String(back.headers.get('set-cookie'));
    expect(cookie).toMatch(/^va_session=[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).not.toMatch(/id_token|eyJ/);
  });

  it('forwards the session’s verified claims, with the device posture, as the signed user context', async () => {
    const { back } = await signInThroughTheManagedLogin();

    const response = await fetch(`${endpoint.url}/order/admin/orders`, {
      headers: { cookie: `${cookieOf(back)}; ${DEVICE_POSTURE.cookie}=${posture()}` },
    });

    expect(response.status).toBe(200);
    const context = String(received.at(-1)?.[USER_CONTEXT_HEADER]);
    const claims = await userContextVerifier({
      signer: endpoint.instanceArn,
      publicKeysUrl: endpoint.publicKeysUrl,
    })(context);
    expect(claims).toMatchObject({ sub: cognito.subOf('olga') });
  });

  it('decides on the session and passes the application’s own Authorization on, unread', async () => {
    const { back } = await signInThroughTheManagedLogin();
    // A token of another client (the console's pages send theirs): not Verified Access's to judge.
    const authorization = `Bearer ${cognito.sign(POOL, { sub: 'someone', aud: 'console' })}`;

    const response = await fetch(`${endpoint.url}/order/admin/orders`, {
      headers: {
        authorization,
        cookie: `${cookieOf(back)}; ${DEVICE_POSTURE.cookie}=${posture()}`,
      },
    });

    expect(response.status).toBe(200);
    expect(received.at(-1)?.authorization).toBe(authorization);
    const claims = await userContextVerifier({
      signer: endpoint.instanceArn,
      publicKeysUrl: endpoint.publicKeysUrl,
    })(String(received.at(-1)?.[USER_CONTEXT_HEADER]));
    expect(claims).toMatchObject({ sub: cognito.subOf('olga') });
  });

  it('refuses a code that comes back with a state it did not send', async () => {
    const response = await navigate(`${endpoint.url}/oauth2/idpresponse?code=x&state=forged`);

    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('reads no id_token cookie, and still lets tools in with a bearer token', async () => {
    const api = new CognitoIdentityProviderClient({
      region: 'eu-west-1',
      endpoint: cognito.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const started = await api.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: API_CLIENT,
        AuthParameters: { USERNAME: 'olga', PASSWORD: 'Local-olga-1!' },
      }),
    );
    const answered = await api.send(
      new RespondToAuthChallengeCommand({
        ClientId: API_CLIENT,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: started.Session,
        ChallengeResponses: { USERNAME: 'olga', SOFTWARE_TOKEN_MFA_CODE: totpCode(secret) },
      }),
    );
    api.destroy();
    const token = String(answered.AuthenticationResult?.IdToken);

    const byCookie = await navigate(`${endpoint.url}/order/admin/orders`, `id_token=${token}`);
    const byBearer = await fetch(`${endpoint.url}/order/admin/orders`, {
      headers: { authorization: `Bearer ${token}`, [DEVICE_POSTURE.header]: posture() },
    });

    expect(byCookie.status).toBe(302);
    expect(byCookie.headers.get('location')).toMatch(/\/oauth2\/authorize\?/);
    expect(byBearer.status).toBe(200);
  });
});

describe('the device page, the stand-in for the browser extension', () => {
  it('keeps a signed posture in an HttpOnly cookie and goes back', async () => {
    const response = await postForm(`${endpoint.url}/_va/device`, {
      posture: posture(),
      next: '/console/',
    });

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/console/');
    const cookie = String(response.headers.get('set-cookie'));
    expect(cookie).toMatch(new RegExp(`^${DEVICE_POSTURE.cookie}=[\\w-]+\\.[\\w-]+\\.[\\w-]+;`));
    expect(cookie).toContain('HttpOnly');
  });

  it('lets its form go on to the provider’s sign-in, which a browser without a session is sent to', async () => {
    const response = await navigate(`${endpoint.url}/_va/device?next=/console/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain(
      `form-action 'self' ${new URL(cognito.endpoint).origin};`,
    );
  });

  it('refuses what is not a signed posture', async () => {
    const response = await postForm(`${endpoint.url}/_va/device`, { posture: 'compliant' });

    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});
