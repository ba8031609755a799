import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../http/escapeHtml.js';
import { endAfterAnswer, readBodyWithin } from '../http/readBodyWithin.js';
import { requestCookie } from '../http/requestCookie.js';
import { DEVICE_POSTURE } from './deviceTrustProvider.js';

/** Verified Access's own OIDC client of the user trust provider, as its `OidcOptions` name it. */
export interface OidcClientOptions {
  /** The managed login's authorize endpoint, e.g. `http://127.0.0.1:4010/oauth2/authorize`. */
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  /** Verified Access's confidential client: the ID tokens it gets name it as their audience. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** @default 'openid email profile' */
  readonly scope?: string;
}

/** Where Verified Access receives the authorization code, as in AWS. */
export const IDP_RESPONSE_PATH = '/oauth2/idpresponse';
/** The stand-in for Verified Access's browser extension: a page that sets the device posture. */
export const DEVICE_PAGE_PATH = '/_va/device';
/** The endpoint's own session cookie: HttpOnly, never readable by the application's pages. */
export const SESSION_COOKIE = 'va_session';

/** How long a sign-in may take between the redirect to the provider and the code's return. */
const PENDING_MS = 10 * 60 * 1000;
/** How long the device posture cookie is kept: the assertion inside expires on its own. */
const POSTURE_COOKIE_SECONDS = 12 * 3600;

interface PendingSignIn {
  readonly returnTo: string;
  readonly nonce: string;
  readonly expiresAt: number;
}

interface Session {
  readonly claims: Readonly<Record<string, unknown>>;
  readonly expiresAt: number;
}

/** Verifies an ID token of Verified Access's client, answering its claims. */
export type ClientTokenVerifier = (token: string) => Promise<Readonly<Record<string, unknown>>>;

export interface OidcRelyingParty {
  /** The claims of the request's session, or undefined without a live one. */
  claimsOf(request: IncomingMessage): Readonly<Record<string, unknown>> | undefined;
  /** Sends a browser to the provider's sign-in, back to `returnTo` after. */
  signIn(response: ServerResponse, returnTo: string): void;
  /** Answers the endpoint's own paths (the code's return, the device page); false for others. */
  handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean>;
}

const newId = () => randomBytes(32).toString('base64url');

/** A path of this endpoint to go back to; anything else is `/`. */
const safePath = (path: string | null | undefined): string =>
  path !== null && path !== undefined && /^\/(?![/\\])[^\s]*$/.test(path) ? path : '/';

/**
 * An HTML page of the endpoint. `formTargets` are the other origins its form may end up at: a
 * form's redirects are held to `form-action` too, and the device page's goes on to the sign-in.
 */
const page = (
  response: ServerResponse,
  status: number,
  title: string,
  content: string,
  formTargets = '',
) =>
  response
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${formTargets}; frame-ancestors 'none'`,
    })
    .end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;background:#f6f7f9;color:#1d2433;margin:0}
main{max-width:30rem;margin:4rem auto;background:#fff;border:1px solid #d8dde6;border-radius:8px;padding:1.5rem 2rem}
h1{font-size:1.2rem;margin:0 0 .25rem}p{color:#5b6475;margin:.25rem 0 1rem}
textarea{box-sizing:border-box;width:100%;font:.75rem ui-monospace,monospace;height:6rem;padding:.4rem .5rem;border:1px solid #d8dde6;border-radius:4px}
button{margin-top:1rem;font:inherit;padding:.45rem 1rem;background:#1f5fbf;color:#fff;border:0;border-radius:4px}
.error{color:#b3261e;font-weight:600}
</style></head><body><main>${content}</main></body></html>
`);

const devicePage = (next: string, message?: string) => `<h1>This device's posture</h1>
<p>In AWS, Verified Access's browser extension hands the device trust provider's posture to the
endpoint. Locally, paste what the device's agent signs: the output of
<code>npx shop device compliant</code>.</p>
${message === undefined ? '' : `<p class="error" role="alert">${escapeHtml(message)}</p>`}
<form method="post" action="${DEVICE_PAGE_PATH}">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<textarea name="posture" aria-label="Device posture" required></textarea>
<button type="submit">Use this posture</button>
</form>`;

/**
 * The local Verified Access endpoint as an OIDC relying party of its user trust provider, as
 * Verified Access is: a browser without a session is sent to the provider's authorize endpoint
 * with Verified Access's own confidential client (`state`, `nonce`); `GET /oauth2/idpresponse`
 * takes the code back (the `state` once, within ten minutes), redeems it at the token endpoint
 * with the client's secret (`Authorization: Basic`), verifies the ID token (`verify`: signature,
 * issuer, audience: this client) and its `nonce`, and keeps the claims in a session of its own,
 * named by the HttpOnly `va_session` cookie and lasting as long as the ID token. No token ever
 * reaches the browser. `/_va/device` stands in for Verified Access's browser extension: a page
 * where the person pastes the posture the device's agent signed, kept in the HttpOnly
 * `device_posture` cookie.
 *
 * @example
 * ```ts
 * const party = oidcRelyingParty(options, () => endpointUrl, verify, () => new Date());
 * if (await party.handle(request, response, url)) return;
 * const claims = party.claimsOf(request);
 * ```
 */
export const oidcRelyingParty = (
  options: OidcClientOptions,
  endpointUrl: () => string,
  verify: ClientTokenVerifier,
  now: () => Date,
): OidcRelyingParty => {
  const pending = new Map<string, PendingSignIn>();
  const sessions = new Map<string, Session>();
  const nowMs = () => now().getTime();
  const redirectUri = () => `${endpointUrl()}${IDP_RESPONSE_PATH}`;
  const forget = () => {
    const at = nowMs();
    for (const store of [pending, sessions] as Map<string, { expiresAt: number }>[]) {
      for (const [key, value] of store) if (value.expiresAt < at) store.delete(key);
    }
  };

  const signIn = (response: ServerResponse, returnTo: string) => {
    forget();
    const state = newId();
    const nonce = newId();
    pending.set(state, { returnTo: safePath(returnTo), nonce, expiresAt: nowMs() + PENDING_MS });
    const target = new URL(options.authorizationEndpoint);
    target.search = new URLSearchParams({
      response_type: 'code',
      client_id: options.clientId,
      redirect_uri: redirectUri(),
      scope: options.scope ?? 'openid email profile',
      state,
      nonce,
    }).toString();
    response.writeHead(302, { location: target.toString() }).end();
  };

  const redeem = async (code: string): Promise<string | undefined> => {
    const answer = await fetch(options.tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: options.clientId,
        code,
        redirect_uri: redirectUri(),
      }).toString(),
    });
    if (!answer.ok) return undefined;
    const tokens = (await answer.json()) as { readonly id_token?: unknown };
    return typeof tokens.id_token === 'string' ? tokens.id_token : undefined;
  };

  const idpResponse = async (response: ServerResponse, url: URL) => {
    const state = url.searchParams.get('state') ?? '';
    const started = pending.get(state);
    pending.delete(state);
    const code = url.searchParams.get('code');
    if (started === undefined || started.expiresAt < nowMs() || code === null) {
      page(response, 401, 'Sign-in failed', '<h1>Sign-in failed</h1><p>Open the page again.</p>');
      return;
    }
    const idToken = await redeem(code);
    let claims: Readonly<Record<string, unknown>> | undefined;
    try {
      claims = idToken === undefined ? undefined : await verify(idToken);
    } catch {
      claims = undefined;
    }
    if (claims === undefined || claims['nonce'] !== started.nonce) {
      page(response, 401, 'Sign-in failed', '<h1>Sign-in failed</h1><p>Open the page again.</p>');
      return;
    }
    const id = newId();
    const expiresAt = Number(claims['exp']) * 1000;
    sessions.set(id, { claims, expiresAt });
    const maxAge = Math.max(0, Math.floor((expiresAt - nowMs()) / 1000));
    response
      .writeHead(302, {
        location: started.returnTo,
        'set-cookie': `${SESSION_COOKIE}=${id}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax`,
      })
      .end();
  };

  // After the posture, a browser without a session goes on to the provider's sign-in.
  const signInOrigin = ` ${new URL(options.authorizationEndpoint).origin}`;
  const device = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    if (request.method !== 'POST') {
      const next = safePath(url.searchParams.get('next'));
      page(response, 200, 'Device posture', devicePage(next), signInOrigin);
      return;
    }
    const body = await readBodyWithin(request, 16 * 1024);
    if (body === 'too-large') {
      endAfterAnswer(request, response);
      page(response, 413, 'Device posture', devicePage('/', 'The form is too large.'));
      return;
    }
    const form = new URLSearchParams(body.toString('utf8'));
    const next = safePath(form.get('next'));
    const posture = (form.get('posture') ?? '').trim();
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(posture)) {
      page(
        response,
        400,
        'Device posture',
        devicePage(next, 'That is not a signed posture.'),
        signInOrigin,
      );
      return;
    }
    response
      .writeHead(303, {
        location: next,
        'set-cookie': `${DEVICE_POSTURE.cookie}=${posture}; Path=/; Max-Age=${POSTURE_COOKIE_SECONDS}; HttpOnly; SameSite=Strict`,
      })
      .end();
  };

  return {
    claimsOf: (request) => {
      const session = sessions.get(requestCookie(request, SESSION_COOKIE) ?? '');
      return session !== undefined && session.expiresAt > nowMs() ? session.claims : undefined;
    },
    signIn,
    handle: async (request, response, url) => {
      if (url.pathname === IDP_RESPONSE_PATH) {
        endAfterAnswer(request, response);
        await idpResponse(response, url);
        return true;
      }
      if (url.pathname === DEVICE_PAGE_PATH) {
        await device(request, response, url);
        return true;
      }
      return false;
    },
  };
};
