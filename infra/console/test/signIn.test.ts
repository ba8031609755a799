import { describe, expect, it } from 'vitest';
import {
  beginSignIn,
  completeSignIn,
  pkceChallenge,
  type SignInConfig,
  type SignInStorage,
} from '../web/signIn.js';

const config: SignInConfig = {
  managedLoginUrl: 'https://shop-staff-111122223333.auth.eu-west-1.amazoncognito.com',
  clientId: 'console-client',
  redirectUri: 'https://staff.example.com/console/callback',
};

/** A tab's storage. */
const tabStorage = (): SignInStorage & { readonly items: Map<string, string> } => {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
};

/** The token endpoint as Cognito documents it: the code once, with the verifier of its challenge. */
const tokenEndpoint = (challenge: () => string, code: string) => {
  const requests: URLSearchParams[] = [];
  const post = (async (_url: unknown, init?: RequestInit) => {
    const form = new URLSearchParams(String(init?.body));
    requests.push(form);
    const valid =
      form.get('code') === code &&
      form.get('grant_type') === 'authorization_code' &&
      (await pkceChallenge(form.get('code_verifier') ?? '')) === challenge();
    return new Response(
      JSON.stringify(
        valid
          ? { id_token: 'id.token.x', access_token: 'access.token.x', expires_in: 900 }
          : { error: 'invalid_grant' },
      ),
      { status: valid ? 200 : 400 },
    );
  }) as typeof fetch;
  return { post, requests };
};

describe('the console’s sign-in with PKCE', () => {
  it('derives the S256 challenge of RFC 7636’s example', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('sends the browser to the managed login with the console’s client, a state and an S256 challenge', async () => {
    const url = new URL(await beginSignIn(config, tabStorage()));

    expect(`${url.origin}${url.pathname}`).toBe(`${config.managedLoginUrl}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'console-client',
      redirect_uri: config.redirectUri,
      scope: 'openid email profile',
      state: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge_method: 'S256',
    });
  });

  it('redeems the code with the verifier of the challenge it sent, and keeps nothing in storage', async () => {
    const storage = tabStorage();
    const authorize = new URL(await beginSignIn(config, storage));
    const endpoint = tokenEndpoint(
      () => String(authorize.searchParams.get('code_challenge')),
      'c0de',
    );
    const callback = new URL(
      `${config.redirectUri}?code=c0de&state=${authorize.searchParams.get('state')}`,
    );

    const tokens = await completeSignIn(config, storage, callback, endpoint.post, () => 1_000);

    expect(tokens).toEqual({
      idToken: 'id.token.x',
      accessToken: 'access.token.x',
      expiresAt: 901_000,
    });
    expect(storage.items.size).toBe(0);
    expect(endpoint.requests[0]?.get('client_id')).toBe('console-client');
    expect(endpoint.requests[0]?.get('redirect_uri')).toBe(config.redirectUri);
  });

  it('refuses a callback whose state this tab did not send, without calling the token endpoint', async () => {
    const storage = tabStorage();
    const authorize = new URL(await beginSignIn(config, storage));
    const endpoint = tokenEndpoint(
      () => String(authorize.searchParams.get('code_challenge')),
      'c0de',
    );

    const forged = await completeSignIn(
      config,
      storage,
      new URL(`${config.redirectUri}?code=c0de&state=forged`),
      endpoint.post,
    );
    const replayed = await completeSignIn(
      config,
      storage,
      new URL(`${config.redirectUri}?code=c0de&state=${authorize.searchParams.get('state')}`),
      endpoint.post,
    );

    expect(forged).toBeUndefined();
    expect(replayed).toBeUndefined();
    expect(endpoint.requests).toEqual([]);
  });

  it('answers nothing when the token endpoint refuses the code', async () => {
    const storage = tabStorage();
    const authorize = new URL(await beginSignIn(config, storage));
    const endpoint = tokenEndpoint(() => 'another challenge', 'c0de');

    const tokens = await completeSignIn(
      config,
      storage,
      new URL(`${config.redirectUri}?code=c0de&state=${authorize.searchParams.get('state')}`),
      endpoint.post,
    );

    expect(tokens).toBeUndefined();
  });
});
