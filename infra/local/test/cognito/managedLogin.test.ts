import { createHash } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalCognito,
  MANAGED_LOGIN_COOKIE,
  newTotpSecret,
  startCognito,
  totpCode,
} from '../../src/cognito/index.js';

const POOL = 'eu-west-1_localstaff';
const CONSOLE = 'console-client';
const PORTAL = 'portal-client';
const CONFIDENTIAL = 'va-client';
const SECRET = 'va-secret';
const CALLBACK = 'http://127.0.0.1:9/console/callback';
const PORTAL_CALLBACK = 'http://127.0.0.1:9/portal/callback';
const VA_CALLBACK = 'http://127.0.0.1:9/oauth2/idpresponse';
const SIGNED_OUT = 'http://127.0.0.1:9/signed-out';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
/** RFC 7636, appendix B: the S256 challenge of the verifier above. */
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const secret = newTotpSecret();
let clock = new Date('2026-11-29T10:00:00Z');
let cognito: LocalCognito;

beforeAll(async () => {
  cognito = await startCognito({
    port: 0,
    region: 'eu-west-1',
    now: () => clock,
    pools: [
      {
        userPoolId: POOL,
        clientId: 'api-client',
        claimsAfterMfa: { second_factor: 'totp' },
        oauthClients: [
          { clientId: CONSOLE, callbackUrls: [CALLBACK], logoutUrls: [SIGNED_OUT] },
          { clientId: PORTAL, callbackUrls: [PORTAL_CALLBACK], allowedScopes: ['openid'] },
          { clientId: CONFIDENTIAL, clientSecret: SECRET, callbackUrls: [VA_CALLBACK] },
        ],
        users: [
          {
            username: 'ada',
            password: 'Local-ada-1!',
            email: 'ada@example.com',
            groups: ['Admins'],
            totpSecret: secret,
          },
          {
            username: 'oscar',
            password: 'Local-oscar-1!',
            email: 'oscar@example.com',
            groups: ['Operators'],
          },
        ],
      },
    ],
  });
});

afterAll(async () => {
  await cognito.close();
});

const authorizeQuery = (overrides: Record<string, string | undefined> = {}) => {
  const parameters: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: CONSOLE,
    redirect_uri: CALLBACK,
    state: 'abcdef',
    scope: 'openid email',
    nonce: 'n-0S6_WzA2Mj',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return new URLSearchParams(
    Object.entries(parameters).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
};

const get = (path: string, cookie?: string) =>
  fetch(`${cognito.endpoint}${path}`, {
    redirect: 'manual',
    headers: cookie === undefined ? {} : { cookie },
  });

const postForm = (path: string, form: Record<string, string>, headers = {}) =>
  fetch(`${cognito.endpoint}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });

const locationOf = (response: Response) => new URL(String(response.headers.get('location')));

const sessionCookieOf = (response: Response) =>
  String(response.headers.get('set-cookie')).split(';')[0] ?? '';

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;

/** Signs oscar (no authenticator app) in through the sign-in page: the redirect to the client. */
const signInOscar = (query = authorizeQuery()) =>
  postForm(`/login?${query}`, { username: 'oscar', password: 'Local-oscar-1!' });

const redeem = (code: string, extra: Record<string, string> = {}, headers = {}) =>
  postForm(
    '/oauth2/token',
    {
      grant_type: 'authorization_code',
      client_id: CONSOLE,
      code,
      redirect_uri: CALLBACK,
      code_verifier: VERIFIER,
      ...extra,
    },
    headers,
  );

describe('the authorize endpoint', () => {
  it('sends a browser without a session to the sign-in page, with the same request', async () => {
    const query = authorizeQuery();
    const response = await get(`/oauth2/authorize?${query}`);

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/login?${query}`);
  });

  it('shows a callback URL the client does not have on its own page, and redirects nowhere', async () => {
    const response = await get(
      `/oauth2/authorize?${authorizeQuery({ redirect_uri: 'http://127.0.0.1:9/elsewhere' })}`,
    );

    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect_mismatch');
  });

  it('shows an unknown client on its own page', async () => {
    const response = await get(`/oauth2/authorize?${authorizeQuery({ client_id: 'nobody' })}`);

    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it.each([
    [
      'a public client without a PKCE challenge',
      { code_challenge: undefined, code_challenge_method: undefined },
      'invalid_request',
    ],
    ['the plain PKCE method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no response type', { response_type: undefined }, 'invalid_request'],
    [
      'the implicit grant, which the client is not allowed',
      { response_type: 'token' },
      'unauthorized_client',
    ],
    [
      'a scope the client is not allowed',
      { scope: 'openid aws.cognito.signin.user.admin' },
      'invalid_scope',
    ],
  ])('answers %s back to the client with error= and the state', async (_, overrides, error) => {
    const response = await get(`/oauth2/authorize?${authorizeQuery(overrides)}`);

    expect(response.status).toBe(302);
    const location = locationOf(response);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(Object.fromEntries(location.searchParams)).toEqual({ error, state: 'abcdef' });
  });
});

describe('the sign-in pages', () => {
  it('show a form for the username and password', async () => {
    const response = await get(`/login?${authorizeQuery()}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain(
      "form-action 'self' http://127.0.0.1:9",
    );
    const page = await response.text();
    expect(page).toContain('name="username"');
    expect(page).toContain('name="password"');
  });

  it('redirect a user without an authenticator app to the callback with a code and the state, and set an HttpOnly session', async () => {
    const response = await signInOscar();

    expect(response.status).toBe(302);
    const location = locationOf(response);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('state')).toBe('abcdef');
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
    const cookie = String(response.headers.get('set-cookie'));
    expect(cookie).toMatch(new RegExp(`^${MANAGED_LOGIN_COOKIE}=[\\w-]+;`));
    expect(cookie).toContain('HttpOnly');
  });

  it('refuse a wrong password on the page, without a code', async () => {
    const response = await postForm(`/login?${authorizeQuery()}`, {
      username: 'oscar',
      password: 'wrong',
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Incorrect username or password.');
  });

  it('ask a user with an authenticator app for its code, then redirect with a code whose tokens carry the trigger’s claims', async () => {
    const query = authorizeQuery();
    const first = await postForm(`/login?${query}`, {
      username: 'ada',
      password: 'Local-ada-1!',
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('set-cookie')).toBeNull();
    const session = /name="session" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';

    const wrong = await postForm(`/login?${query}`, { session, code: '000000' });
    expect(wrong.status).toBe(400);
    const retry = /name="session" value="([^"]+)"/.exec(await wrong.text())?.[1] ?? '';
    const second = await postForm(`/login?${query}`, {
      session: retry,
      code: totpCode(secret, clock),
    });

    expect(second.status).toBe(302);
    const tokens = (await (
      await redeem(locationOf(second).searchParams.get('code') ?? '')
    ).json()) as {
      id_token: string;
    };
    expect(claimsOf(tokens.id_token)).toMatchObject({
      'cognito:username': 'ada',
      'cognito:groups': ['Admins'],
      second_factor: 'totp',
    });
  });

  it('take an answered code session only once', async () => {
    const query = authorizeQuery();
    const first = await postForm(`/login?${query}`, { username: 'ada', password: 'Local-ada-1!' });
    const session = /name="session" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
    await postForm(`/login?${query}`, { session, code: totpCode(secret, clock) });

    const again = await postForm(`/login?${query}`, { session, code: totpCode(secret, clock) });

    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
  });
});

describe('the managed-login session', () => {
  it('signs the same browser in to a second client at once, without the sign-in page', async () => {
    const cookie = sessionCookieOf(await signInOscar());

    const response = await get(
      `/oauth2/authorize?${authorizeQuery({ client_id: PORTAL, redirect_uri: PORTAL_CALLBACK, scope: 'openid' })}`,
      cookie,
    );

    expect(response.status).toBe(302);
    const location = locationOf(response);
    expect(`${location.origin}${location.pathname}`).toBe(PORTAL_CALLBACK);
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
  });

  it('ends at /logout, which goes back to a sign-out URL of the client', async () => {
    const cookie = sessionCookieOf(await signInOscar());

    const out = await get(
      `/logout?client_id=${CONSOLE}&logout_uri=${encodeURIComponent(SIGNED_OUT)}`,
      cookie,
    );
    const after = await get(`/oauth2/authorize?${authorizeQuery()}`, cookie);

    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe(SIGNED_OUT);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(after.headers.get('location')).toMatch(/^\/login\?/);
  });

  it('refuses a logout_uri the client does not have', async () => {
    const response = await get(
      `/logout?client_id=${CONSOLE}&logout_uri=${encodeURIComponent('http://127.0.0.1:9/x')}`,
    );

    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('the token endpoint', () => {
  const codeOf = async (query = authorizeQuery()) =>
    locationOf(await signInOscar(query)).searchParams.get('code') ?? '';

  it('exchanges a code and its PKCE verifier for the ID and access tokens of the client', async () => {
    const response = await redeem(await codeOf());

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const tokens = (await response.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(claimsOf(String(tokens['id_token']))).toMatchObject({
      aud: CONSOLE,
      iss: cognito.issuerOf(POOL),
      token_use: 'id',
      nonce: 'n-0S6_WzA2Mj',
      'cognito:username': 'oscar',
      'cognito:groups': ['Operators'],
    });
    expect(claimsOf(String(tokens['id_token']))).not.toHaveProperty('second_factor');
    expect(claimsOf(String(tokens['access_token']))).toMatchObject({
      client_id: CONSOLE,
      token_use: 'access',
      scope: 'openid email',
    });
  });

  it('lets a page of another origin read its answers, tokens and errors alike, as Cognito does', async () => {
    const fromPage = { origin: 'http://127.0.0.1:9' };
    const tokens = await redeem(await codeOf(), {}, fromPage);
    const refused = await redeem('no-such-code', {}, fromPage);

    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.status).toBe(400);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(await refused.json()).toEqual({ error: 'invalid_grant' });
  });

  it('answers invalid_grant to a wrong verifier, a second use of a code, and an expired code', async () => {
    const wrongVerifier = await redeem(await codeOf(), { code_verifier: 'x'.repeat(43) });
    const code = await codeOf();
    await redeem(code);
    const reused = await redeem(code);
    const late = await codeOf();
    clock = new Date(clock.getTime() + 301_000);
    const expired = await redeem(late);

    for (const response of [wrongVerifier, reused, expired]) {
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_grant' });
    }
  });

  it('answers invalid_grant to a code redeemed by another client or for another callback URL', async () => {
    const otherClient = await redeem(await codeOf(), { client_id: PORTAL });
    const otherCallback = await redeem(await codeOf(), { redirect_uri: PORTAL_CALLBACK });

    expect(await otherClient.json()).toEqual({ error: 'invalid_grant' });
    expect(await otherCallback.json()).toEqual({ error: 'invalid_grant' });
  });

  it('requires the secret of a confidential client, by Authorization: Basic', async () => {
    const query = authorizeQuery({
      client_id: CONFIDENTIAL,
      redirect_uri: VA_CALLBACK,
      code_challenge: undefined,
      code_challenge_method: undefined,
      scope: 'openid',
    });
    const form = { client_id: CONFIDENTIAL, redirect_uri: VA_CALLBACK };
    const basic = (password: string) => ({
      authorization: `Basic ${Buffer.from(`${CONFIDENTIAL}:${password}`).toString('base64')}`,
    });

    const withoutSecret = await redeem(await codeOf(query), form);
    const wrongSecret = await redeem(await codeOf(query), form, basic('wrong'));
    const right = await redeem(await codeOf(query), form, basic(SECRET));

    expect(await withoutSecret.json()).toEqual({ error: 'invalid_client' });
    expect(await wrongSecret.json()).toEqual({ error: 'invalid_client' });
    expect(right.status).toBe(200);
  });

  it('answers unsupported_grant_type, invalid_request and invalid_client as documented', async () => {
    const refresh = await redeem('', { grant_type: 'refresh_token' });
    const noCode = await postForm('/oauth2/token', {
      grant_type: 'authorization_code',
      client_id: CONSOLE,
      redirect_uri: CALLBACK,
    });
    const unknownClient = await redeem(await codeOf(), { client_id: 'nobody' });
    const json = await fetch(`${cognito.endpoint}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

    expect(await refresh.json()).toEqual({ error: 'unsupported_grant_type' });
    expect(await noCode.json()).toEqual({ error: 'invalid_request' });
    expect(await unknownClient.json()).toEqual({ error: 'invalid_client' });
    expect(await json.json()).toEqual({ error: 'invalid_request' });
  });
});

describe('the userInfo endpoint', () => {
  it('answers the attributes of the user of an access token from the token endpoint', async () => {
    const code = locationOf(await signInOscar()).searchParams.get('code') ?? '';
    const { access_token } = (await (await redeem(code)).json()) as { access_token: string };

    const response = await fetch(`${cognito.endpoint}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${access_token}` },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      sub: cognito.subOf('oscar'),
      email: 'oscar@example.com',
      email_verified: 'true',
      username: 'oscar',
    });
  });

  it('refuses an access token of the API, which has no openid scope, and no token at all', async () => {
    const api = new CognitoIdentityProviderClient({
      region: 'eu-west-1',
      endpoint: cognito.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { AuthenticationResult } = await api.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: 'api-client',
        AuthParameters: { USERNAME: 'oscar', PASSWORD: 'Local-oscar-1!' },
      }),
    );
    api.destroy();

    const withApiToken = await fetch(`${cognito.endpoint}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${AuthenticationResult?.AccessToken}` },
    });
    const without = await fetch(`${cognito.endpoint}/oauth2/userInfo`);

    expect(withApiToken.status).toBe(401);
    expect(await withApiToken.json()).toMatchObject({ error: 'invalid_token' });
    expect(without.status).toBe(401);
  });
});

it('checks the PKCE example of RFC 7636 the way the token endpoint does', () => {
  expect(createHash('sha256').update(VERIFIER).digest('base64url')).toBe(CHALLENGE);
});

describe('the OAuth clients a pool takes after it starts', () => {
  it('serve the managed login from then on, with the callback URLs given then', async () => {
    const late = await startCognito({
      port: 0,
      region: 'eu-west-1',
      pools: [{ userPoolId: 'eu-west-1_late', clientId: 'late-api', users: [] }],
    });
    try {
      const callback = `${late.endpoint}/console/callback`;
      const query = authorizeQuery({ redirect_uri: callback });
      const before = await fetch(`${late.endpoint}/oauth2/authorize?${query}`, {
        redirect: 'manual',
      });
      late.setOAuthClients('eu-west-1_late', [{ clientId: CONSOLE, callbackUrls: [callback] }]);
      const after = await fetch(`${late.endpoint}/oauth2/authorize?${query}`, {
        redirect: 'manual',
      });

      expect(before.status).toBe(400);
      expect(after.status).toBe(302);
      expect(after.headers.get('location')).toBe(`/login?${query}`);
      expect(() => late.setOAuthClients('eu-west-1_none', [])).toThrow(/eu-west-1_none/);
    } finally {
      await late.close();
    }
  });
});
