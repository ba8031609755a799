/** Where the console signs in: the staff pool's managed login and its own public app client. */
export interface SignInConfig {
  /** e.g. `https://shop-staff-<account>.auth.<region>.amazoncognito.com` */
  readonly managedLoginUrl: string;
  readonly clientId: string;
  /** The console's callback on the staff domain, e.g. `https://staff.example.com/console/callback`. */
  readonly redirectUri: string;
}

/** What survives the redirect to the managed login and back: this tab's storage. */
export interface SignInStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The tokens of a sign-in, which the console keeps in memory only. */
export interface ConsoleTokens {
  readonly idToken: string;
  readonly accessToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

const PENDING_KEY = 'console-sign-in';

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/**
 * The S256 challenge of a PKCE verifier (RFC 7636): base64url of its SHA-256.
 *
 * @example
 * ```ts
 * await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
 * // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 * ```
 */
export const pkceChallenge = async (verifier: string): Promise<string> =>
  base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );

/**
 * Starts a sign-in: a new PKCE verifier and state, kept in `storage` for the way back (they must
 * outlive the page, the tokens must not), and the managed login's authorize URL to go to.
 *
 * @example
 * ```ts
 * window.location.assign(await beginSignIn(config, sessionStorage));
 * ```
 */
export const beginSignIn = async (
  config: SignInConfig,
  storage: SignInStorage,
): Promise<string> => {
  const verifier = randomText();
  const state = randomText();
  storage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL('/oauth2/authorize', config.managedLoginUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge: await pkceChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
};

/**
 * Ends a sign-in at the console's callback: checks the `state` against the one this tab sent
 * (once: it is removed whatever the answer), redeems the code with the verifier at the token
 * endpoint, and answers the tokens, or undefined when the sign-in cannot be trusted or failed.
 *
 * @example
 * ```ts
 * const tokens = await completeSignIn(config, sessionStorage, new URL(window.location.href));
 * ```
 */
export const completeSignIn = async (
  config: SignInConfig,
  storage: SignInStorage,
  callback: URL,
  post: typeof fetch = fetch,
  now: () => number = Date.now,
): Promise<ConsoleTokens | undefined> => {
  const pending = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (pending === null) return undefined;
  const { verifier, state } = JSON.parse(pending) as { verifier: string; state: string };
  const code = callback.searchParams.get('code');
  if (code === null || callback.searchParams.get('state') !== state) return undefined;
  const response = await post(new URL('/oauth2/token', config.managedLoginUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: config.redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  if (!response.ok) return undefined;
  const tokens = (await response.json()) as {
    id_token?: string;
    access_token?: string;
    expires_in?: number;
  };
  if (tokens.id_token === undefined || tokens.access_token === undefined) return undefined;
  return {
    idToken: tokens.id_token,
    accessToken: tokens.access_token,
    expiresAt: now() + (tokens.expires_in ?? 0) * 1000,
  };
};
