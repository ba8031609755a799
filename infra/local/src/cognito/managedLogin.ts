import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../http/escapeHtml.js';
import { endAfterAnswer, readBodyWithin } from '../http/readBodyWithin.js';
import { requestCookie } from '../http/requestCookie.js';
import { requestUrl } from '../http/requestUrl.js';
import { acceptsTotpCode } from './totp.js';

/** An app client of a pool that signs users in through the managed login (OAuth 2.0). */
export interface LocalOAuthClient {
  readonly clientId: string;
  /**
   * The secret of a confidential client, which the token endpoint then requires. A client
   * without one is public: it must send a PKCE `code_challenge` (S256). @default none: public
   */
  readonly clientSecret?: string;
  /** Where the authorize endpoint may send the code: `redirect_uri` must be one of them, exactly. */
  readonly callbackUrls: readonly string[];
  /** Where `/logout` may send the browser back to. @default none */
  readonly logoutUrls?: readonly string[];
  /** @default ['openid', 'email', 'profile'] */
  readonly allowedScopes?: readonly string[];
}

/** What the managed login needs of a user. */
export interface ManagedLoginUser {
  readonly username: string;
  readonly password: string;
  readonly email: string;
  readonly totpSecret?: string;
}

/** The tokens the token endpoint answers, issued by the pool for one of its OAuth clients. */
export interface OAuthTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly expiresIn: number;
}

/** One pool as its managed login sees it. */
export interface ManagedLoginPool {
  readonly userPoolId: string;
  readonly users: ReadonlyMap<string, ManagedLoginUser>;
  readonly clients: readonly LocalOAuthClient[];
  /** The pool's tokens for a user signed in through the managed login. */
  readonly issue: (
    username: string,
    request: { readonly clientId: string; readonly scope: string; readonly nonce?: string },
  ) => OAuthTokens;
  /** The sub of a user. */
  readonly subOf: (username: string) => string;
}

export interface ManagedLoginProps {
  readonly pools: readonly ManagedLoginPool[];
  readonly now: () => Date;
  /** How long an authorization code can be redeemed. @default 300 (Cognito: five minutes) */
  readonly codeSeconds?: number;
  /** How long the managed-login session cookie lasts. @default 3600 (Cognito: one hour) */
  readonly sessionSeconds?: number;
  /** How long the code of the authenticator app can be entered. @default 180 */
  readonly challengeSeconds?: number;
}

/** The managed login's session cookie: HttpOnly, never readable by a page. */
export const MANAGED_LOGIN_COOKIE = 'cognito_session';

const DEFAULT_SCOPES = ['openid', 'email', 'profile'] as const;
const FORM_LIMIT = 16 * 1024;

interface Authorization {
  readonly pool: ManagedLoginPool;
  readonly client: LocalOAuthClient;
  readonly redirectUri: string;
  readonly state: string | null;
  readonly scope: string;
  readonly nonce: string | null;
  readonly codeChallenge: string | null;
}

interface IssuedCode {
  readonly authorization: Authorization;
  readonly username: string;
  readonly expiresAt: number;
}

interface Session {
  readonly userPoolId: string;
  readonly username: string;
  readonly expiresAt: number;
}

interface PendingChallenge {
  readonly username: string;
  readonly query: string;
  readonly expiresAt: number;
}

interface IssuedAccessToken {
  readonly pool: ManagedLoginPool;
  readonly username: string;
  readonly scope: string;
  readonly expiresAt: number;
}

/** An authorize request the endpoint refuses: on its own page, or back to the client. */
type Refusal =
  | { readonly page: string }
  | { readonly redirect: string; readonly error: string; readonly state: string | null };

const newId = () => randomBytes(32).toString('base64url');

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

const withParameters = (url: string, parameters: Record<string, string | null>) => {
  const target = new URL(url);
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== null) target.searchParams.set(name, value);
  }
  return target.toString();
};

const sessionCookie = (value: string, maxAge: number) =>
  `${MANAGED_LOGIN_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax`;

const html = (response: ServerResponse, status: number, body: string, formTargets = ''): void => {
  response
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${formTargets}; frame-ancestors 'none'`,
    })
    .end(body);
};

const json = (response: ServerResponse, status: number, body: unknown, headers = {}): void => {
  response
    .writeHead(status, {
      'content-type': 'application/json;charset=UTF-8',
      'cache-control': 'no-store',
      pragma: 'no-cache',
      ...headers,
    })
    .end(JSON.stringify(body));
};

const layout = (title: string, content: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;background:#f6f7f9;color:#1d2433;margin:0}
main{max-width:26rem;margin:4rem auto;background:#fff;border:1px solid #d8dde6;border-radius:8px;padding:1.5rem 2rem}
h1{font-size:1.2rem;margin:0 0 .25rem}p{color:#5b6475;margin:.25rem 0 1rem}
label{display:block;margin:.75rem 0 .2rem;font-weight:600}
input{box-sizing:border-box;width:100%;font:inherit;padding:.4rem .5rem;border:1px solid #d8dde6;border-radius:4px}
button{margin-top:1rem;font:inherit;padding:.45rem 1rem;background:#1f5fbf;color:#fff;border:0;border-radius:4px}
.error{color:#b3261e;font-weight:600}
</style></head>
<body><main>${content}</main></body></html>
`;

const alert = (message?: string) =>
  message === undefined ? '' : `<p class="error" role="alert">${escapeHtml(message)}</p>`;

const signInPage = (query: string, message?: string) =>
  layout(
    'Sign in',
    `<h1>Sign in</h1>
<p>The user pool's managed login (local).</p>
${alert(message)}
<form method="post" action="/login?${escapeHtml(query)}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );

const codePage = (query: string, session: string, message?: string) =>
  layout(
    'Sign in',
    `<h1>Multi-factor authentication</h1>
<p>Enter the code of your authenticator app.</p>
${alert(message)}
<form method="post" action="/login?${escapeHtml(query)}">
<input type="hidden" name="session" value="${escapeHtml(session)}">
<label for="code">Code</label><input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required>
<button type="submit">Sign in</button>
</form>`,
  );

const errorPage = (error: string) =>
  layout('Sign-in error', `<h1>An error was encountered</h1>${alert(error)}`);

/**
 * Reads an authorize request as Cognito checks it: the client and its callback URL first (a
 * wrong one is shown on the endpoint's own page: nothing may be sent to an unknown address),
 * then the rest, refused back to the client with `error=`.
 */
const readAuthorization = (
  pools: readonly ManagedLoginPool[],
  query: URLSearchParams,
): Authorization | Refusal => {
  const clientId = query.get('client_id') ?? '';
  const pool = pools.find((candidate) =>
    candidate.clients.some((client) => client.clientId === clientId),
  );
  const client = pool?.clients.find((candidate) => candidate.clientId === clientId);
  if (pool === undefined || client === undefined) return { page: 'invalid_request: client_id' };
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!client.callbackUrls.includes(redirectUri)) return { page: 'redirect_mismatch' };
  const state = query.get('state');
  const refuse = (error: string): Refusal => ({ redirect: redirectUri, error, state });
  const responseType = query.get('response_type');
  if (responseType === null) return refuse('invalid_request');
  if (responseType !== 'code') return refuse('unauthorized_client');
  const allowed = client.allowedScopes ?? DEFAULT_SCOPES;
  const requested = (query.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
  if (requested.some((scope) => !allowed.includes(scope))) return refuse('invalid_scope');
  const codeChallenge = query.get('code_challenge');
  const method = query.get('code_challenge_method');
  if (codeChallenge !== null && method !== 'S256') return refuse('invalid_request');
  if (codeChallenge === null && (method !== null || client.clientSecret === undefined)) {
    return refuse('invalid_request');
  }
  return {
    pool,
    client,
    redirectUri,
    state,
    scope: (requested.length > 0 ? requested : allowed).join(' '),
    nonce: query.get('nonce'),
    codeChallenge,
  };
};

const isRefusal = (value: Authorization | Refusal): value is Refusal =>
  'page' in value || 'redirect' in value;

const refuseAuthorization = (response: ServerResponse, refusal: Refusal) => {
  if ('page' in refusal) {
    html(response, 400, errorPage(refusal.page));
    return;
  }
  response
    .writeHead(302, {
      location: withParameters(refusal.redirect, { error: refusal.error, state: refusal.state }),
    })
    .end();
};

const originsOf = (urls: readonly string[]) =>
  [...new Set(urls.map((url) => new URL(url).origin))].map((origin) => ` ${origin}`).join('');

const basicCredentials = (request: IncomingMessage) => {
  const header = String(request.headers.authorization ?? '');
  if (!header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    clientId: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
};

/**
 * The managed login of the local user pools: the OAuth 2.0 and OpenID Connect endpoints Cognito
 * serves at a pool's domain, for the pools' OAuth app clients, answering on the Cognito
 * emulator's own address (127.0.0.1):
 *
 * - `GET /oauth2/authorize` (`response_type=code`, `client_id`, `redirect_uri` exactly one of the
 *   client's callback URLs, `state`, `scope`, `nonce`, `code_challenge` with
 *   `code_challenge_method=S256`, required of a public client): with a live managed-login session
 *   it redirects at once to `redirect_uri` with `code` and `state`, the silent sign-in of a second
 *   application; else it sends the browser to `/login` with the same query. An unknown client or a
 *   callback URL the client does not have is an error page; any other fault goes back to the
 *   client as `error=` (`invalid_request`, `unauthorized_client`, `invalid_scope`) with `state`.
 * - `GET /login` shows username and password; `POST /login` checks them, then, for a user with an
 *   authenticator app, asks its code (RFC 6238) on a second page; it then sets the HttpOnly
 *   `cognito_session` cookie and redirects with a code that can be redeemed once, within
 *   `codeSeconds`.
 * - `POST /oauth2/token` (`application/x-www-form-urlencoded`, `grant_type=authorization_code`,
 *   `code`, `redirect_uri`, `client_id`, `code_verifier`): a confidential client authenticates with
 *   `Authorization: Basic` (or `client_secret` in the body); answers `id_token`, `access_token`,
 *   `token_type`, `expires_in`, or 400 with `invalid_request`, `invalid_client`, `invalid_grant` or
 *   `unsupported_grant_type`. No refresh token: the shop's clients sign in again. Every answer
 *   carries `Access-Control-Allow-Origin: *`, as Cognito's, so a page of another origin can
 *   complete its sign-in (a simple CORS request: a form, no credentials).
 * - `GET /oauth2/userInfo` with an access token of the token endpoint (`openid` in its scope):
 *   the user's attributes (`sub`, `email`, `email_verified`, `username`), or 401 `invalid_token`.
 * - `GET /logout` (`client_id`, `logout_uri` one of the client's sign-out URLs) ends the session
 *   and redirects to `logout_uri`.
 *
 * Answers `false` for any other request.
 *
 * @example
 * ```ts
 * const login = managedLogin({ pools, now: () => new Date() });
 * if (login(request, response)) return;
 * ```
 */
export const managedLogin = (
  props: ManagedLoginProps,
): ((request: IncomingMessage, response: ServerResponse) => boolean) => {
  const codeMs = (props.codeSeconds ?? 300) * 1000;
  const sessionSeconds = props.sessionSeconds ?? 3600;
  const challengeMs = (props.challengeSeconds ?? 180) * 1000;
  const codes = new Map<string, IssuedCode>();
  const sessions = new Map<string, Session>();
  const challenges = new Map<string, PendingChallenge>();
  const accessTokens = new Map<string, IssuedAccessToken>();
  const nowMs = () => props.now().getTime();
  const forget = () => {
    const now = nowMs();
    for (const store of [codes, sessions, challenges, accessTokens] as Map<
      string,
      { expiresAt: number }
    >[]) {
      for (const [key, value] of store) if (value.expiresAt < now) store.delete(key);
    }
  };

  const redirectWithCode = (
    response: ServerResponse,
    authorization: Authorization,
    username: string,
    cookies: string[] = [],
  ) => {
    const code = newId();
    codes.set(code, { authorization, username, expiresAt: nowMs() + codeMs });
    response
      .writeHead(302, {
        location: withParameters(authorization.redirectUri, { code, state: authorization.state }),
        ...(cookies.length > 0 && { 'set-cookie': cookies }),
      })
      .end();
  };

  const signedIn = (response: ServerResponse, authorization: Authorization, username: string) => {
    const id = newId();
    sessions.set(id, {
      userPoolId: authorization.pool.userPoolId,
      username,
      expiresAt: nowMs() + sessionSeconds * 1000,
    });
    redirectWithCode(response, authorization, username, [sessionCookie(id, sessionSeconds)]);
  };

  const authorize = (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const authorization = readAuthorization(props.pools, url.searchParams);
    if (isRefusal(authorization)) {
      refuseAuthorization(response, authorization);
      return;
    }
    const session = sessions.get(requestCookie(request, MANAGED_LOGIN_COOKIE) ?? '');
    if (
      session !== undefined &&
      session.expiresAt > nowMs() &&
      session.userPoolId === authorization.pool.userPoolId &&
      authorization.pool.users.has(session.username)
    ) {
      redirectWithCode(response, authorization, session.username);
      return;
    }
    response.writeHead(302, { location: `/login${url.search}` }).end();
  };

  const login = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const authorization = readAuthorization(props.pools, url.searchParams);
    const query = url.searchParams.toString();
    if (isRefusal(authorization)) {
      endAfterAnswer(request, response);
      refuseAuthorization(response, authorization);
      return;
    }
    const targets = originsOf(authorization.client.callbackUrls);
    if (request.method !== 'POST') {
      html(response, 200, signInPage(query), targets);
      return;
    }
    const body = await readBodyWithin(request, FORM_LIMIT);
    if (body === 'too-large') {
      endAfterAnswer(request, response);
      html(response, 413, signInPage(query, 'The form is too large.'), targets);
      return;
    }
    const form = new URLSearchParams(body.toString('utf8'));
    const { users } = authorization.pool;
    const sessionId = form.get('session');
    if (sessionId !== null) {
      const pending = challenges.get(sessionId);
      challenges.delete(sessionId);
      const user = pending && users.get(pending.username);
      if (
        pending === undefined ||
        pending.expiresAt < nowMs() ||
        pending.query !== query ||
        user?.totpSecret === undefined
      ) {
        html(response, 400, signInPage(query, 'Your session has expired: sign in again.'), targets);
        return;
      }
      if (!acceptsTotpCode(user.totpSecret, (form.get('code') ?? '').trim(), props.now())) {
        const retry = newId();
        challenges.set(retry, pending);
        html(response, 400, codePage(query, retry, 'Invalid code received for user.'), targets);
        return;
      }
      signedIn(response, authorization, user.username);
      return;
    }
    const user = users.get((form.get('username') ?? '').trim());
    if (user === undefined || user.password !== form.get('password')) {
      html(response, 400, signInPage(query, 'Incorrect username or password.'), targets);
      return;
    }
    if (user.totpSecret !== undefined) {
      forget();
      const challenge = newId();
      challenges.set(challenge, {
        username: user.username,
        query,
        expiresAt: nowMs() + challengeMs,
      });
      html(response, 200, codePage(query, challenge), targets);
      return;
    }
    signedIn(response, authorization, user.username);
  };

  const token = async (request: IncomingMessage, response: ServerResponse) => {
    // As Cognito's: any origin may call it, so a page can redeem its code (PKCE, a public client).
    response.setHeader('access-control-allow-origin', '*');
    const refuse = (error: string) => json(response, 400, { error });
    if (request.method !== 'POST') {
      endAfterAnswer(request, response);
      json(response, 405, { error: 'invalid_request' });
      return;
    }
    const body = await readBodyWithin(request, FORM_LIMIT);
    const contentType = String(request.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim();
    if (body === 'too-large' || contentType !== 'application/x-www-form-urlencoded') {
      endAfterAnswer(request, response);
      refuse('invalid_request');
      return;
    }
    const form = new URLSearchParams(body.toString('utf8'));
    const grantType = form.get('grant_type');
    if (grantType === null) return refuse('invalid_request');
    if (grantType !== 'authorization_code') return refuse('unsupported_grant_type');
    const basic = basicCredentials(request);
    const clientId = basic?.clientId ?? form.get('client_id') ?? '';
    const client = props.pools
      .flatMap((pool) => pool.clients)
      .find((candidate) => candidate.clientId === clientId);
    if (client === undefined) return refuse('invalid_client');
    const secret = basic?.secret ?? form.get('client_secret');
    if (
      client.clientSecret !== undefined &&
      (secret === null || !sameText(secret, client.clientSecret))
    ) {
      return refuse('invalid_client');
    }
    const code = form.get('code');
    if (code === null || form.get('redirect_uri') === null) return refuse('invalid_request');
    const issued = codes.get(code);
    codes.delete(code);
    const verifier = form.get('code_verifier');
    if (
      issued === undefined ||
      issued.expiresAt < nowMs() ||
      issued.authorization.client.clientId !== client.clientId ||
      issued.authorization.redirectUri !== form.get('redirect_uri') ||
      (issued.authorization.codeChallenge !== null &&
        (verifier === null || !sameText(s256(verifier), issued.authorization.codeChallenge)))
    ) {
      return refuse('invalid_grant');
    }
    const { pool, scope, nonce } = issued.authorization;
    const user = pool.users.get(issued.username);
    if (user === undefined) return refuse('invalid_grant');
    const tokens = pool.issue(user.username, {
      clientId: client.clientId,
      scope,
      ...(nonce !== null && { nonce }),
    });
    accessTokens.set(tokens.accessToken, {
      pool,
      username: user.username,
      scope,
      expiresAt: nowMs() + tokens.expiresIn * 1000,
    });
    json(response, 200, {
      id_token: tokens.idToken,
      access_token: tokens.accessToken,
      token_type: 'Bearer',
      expires_in: tokens.expiresIn,
    });
  };

  const userInfo = (request: IncomingMessage, response: ServerResponse) => {
    endAfterAnswer(request, response);
    const header = String(request.headers.authorization ?? '');
    const issued = header.startsWith('Bearer ') ? accessTokens.get(header.slice(7)) : undefined;
    if (
      issued === undefined ||
      issued.expiresAt < nowMs() ||
      !issued.scope.split(' ').includes('openid')
    ) {
      json(
        response,
        401,
        { error: 'invalid_token', error_description: 'Access token is expired or invalid' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
      return;
    }
    const user = issued.pool.users.get(issued.username);
    json(response, 200, {
      sub: issued.pool.subOf(issued.username),
      email: user?.email,
      email_verified: 'true',
      username: issued.username,
    });
  };

  const logout = (request: IncomingMessage, response: ServerResponse, url: URL) => {
    endAfterAnswer(request, response);
    const clientId = url.searchParams.get('client_id') ?? '';
    const logoutUri = url.searchParams.get('logout_uri') ?? '';
    const client = props.pools
      .flatMap((pool) => pool.clients)
      .find((candidate) => candidate.clientId === clientId);
    if (client === undefined || !(client.logoutUrls ?? []).includes(logoutUri)) {
      html(response, 400, errorPage('Required String parameter logout_uri is invalid'));
      return;
    }
    sessions.delete(requestCookie(request, MANAGED_LOGIN_COOKIE) ?? '');
    response.writeHead(302, { location: logoutUri, 'set-cookie': sessionCookie('', 0) }).end();
  };

  const fail = (response: ServerResponse) => () => {
    if (!response.headersSent) json(response, 500, { error: 'server_error' });
    else response.destroy();
  };

  return (request, response) => {
    const url = requestUrl(request.url);
    if (url === undefined) return false;
    switch (url.pathname) {
      case '/oauth2/authorize':
        endAfterAnswer(request, response);
        authorize(request, response, url);
        return true;
      case '/login':
        login(request, response, url).catch(fail(response));
        return true;
      case '/oauth2/token':
        token(request, response).catch(fail(response));
        return true;
      case '/oauth2/userInfo':
        userInfo(request, response);
        return true;
      case '/logout':
        logout(request, response, url);
        return true;
      default:
        return false;
    }
  };
};
