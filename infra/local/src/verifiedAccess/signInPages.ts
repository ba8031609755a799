import type { IncomingMessage, ServerResponse } from 'node:http';
import { endAfterAnswer, readBodyWithin } from '../http/readBodyWithin.js';
import { DEVICE_POSTURE } from './deviceTrustProvider.js';

/** Where the endpoint's own pages are: never forwarded to the application. */
export const SIGN_IN_PATH = '/_va/sign-in';
export const SIGN_OUT_PATH = '/_va/sign-out';

/** Signs a member of staff in to the user trust provider's pool: their ID token. */
export type StaffSignIn = (credentials: {
  readonly username: string;
  readonly password: string;
  readonly code: string;
}) => Promise<string>;

/** How long the browser keeps the ID token: Cognito's ID tokens last an hour. */
const SESSION_SECONDS = 3600;

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A path of this endpoint to go back to after signing in; anything else is `/`. */
const safeNext = (next: string | null | undefined): string =>
  next !== null && next !== undefined && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';

const page = (next: string, message?: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · staff</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;background:#f6f7f9;color:#1d2433;margin:0}
main{max-width:26rem;margin:4rem auto;background:#fff;border:1px solid #d8dde6;border-radius:8px;padding:1.5rem 2rem}
h1{font-size:1.2rem;margin:0 0 .25rem}p{color:#5b6475;margin:.25rem 0 1rem}
label{display:block;margin:.75rem 0 .2rem;font-weight:600}
input,textarea{box-sizing:border-box;width:100%;font:inherit;padding:.4rem .5rem;border:1px solid #d8dde6;border-radius:4px}
textarea{font-family:ui-monospace,monospace;font-size:.75rem;height:4.5rem}
button{margin-top:1rem;font:inherit;padding:.45rem 1rem;background:#1f5fbf;color:#fff;border:0;border-radius:4px}
.error{color:#b3261e;font-weight:600}small{color:#5b6475}
</style></head>
<body><main>
<h1>Staff sign-in</h1>
<p>Zero-Trust Shop's staff applications, behind Verified Access.</p>
${message === undefined ? '' : `<p class="error" role="alert">${escapeHtml(message)}</p>`}
<form method="post" action="${SIGN_IN_PATH}">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<label for="code">Code of your authenticator app</label><input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required>
<label for="posture">Device posture</label><textarea id="posture" name="posture" placeholder="keep the one your browser has, or paste the output of: npx shop device compliant"></textarea>
<small>The device's trust agent signs its posture; this browser carries it as the ${DEVICE_POSTURE.cookie} cookie.</small>
<br><button type="submit">Sign in</button>
</form></main></body></html>
`;

const cookie = (name: string, value: string, maxAge: number) =>
  // Not HttpOnly: the console sends this token as `Authorization: Bearer` (ADR 0025).
  `${name}=${value}; Path=/; Max-Age=${maxAge}; SameSite=Strict`;

const html = (response: ServerResponse, status: number, body: string) =>
  response
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    })
    .end(body);

/**
 * Where a browser without a token is sent: the sign-in page, back to `path` after.
 *
 * @example
 * ```ts
 * response.writeHead(302, { location: signInLocation('/console/') }).end();
 * ```
 */
export const signInLocation = (path: string): string =>
  `${SIGN_IN_PATH}?next=${encodeURIComponent(safeNext(path))}`;

/**
 * The endpoint's own pages, in place of Verified Access's OIDC sign-in with the user trust
 * provider's hosted pages: `GET /_va/sign-in` shows a form (username, password, the code of the
 * authenticator app, and optionally the device posture its agent signed); `POST` signs in to the
 * pool through `signIn`, sets the `id_token` cookie (and `device_posture` when one was given)
 * and goes back to `next`; `GET /_va/sign-out` removes the token. Answers `false` for any other
 * path, which is then decided as any request is.
 *
 * @example
 * ```ts
 * if (await signInPages(request, response, url, signIn)) return;
 * ```
 */
export const signInPages = async (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  signIn: StaffSignIn,
): Promise<boolean> => {
  if (url.pathname === SIGN_OUT_PATH) {
    endAfterAnswer(request, response);
    response
      .writeHead(303, { location: SIGN_IN_PATH, 'set-cookie': cookie('id_token', '', 0) })
      .end();
    return true;
  }
  if (url.pathname !== SIGN_IN_PATH) return false;
  if (request.method !== 'POST') {
    endAfterAnswer(request, response);
    html(response, 200, page(safeNext(url.searchParams.get('next'))));
    return true;
  }
  const body = await readBodyWithin(request, 16 * 1024);
  if (body === 'too-large') {
    endAfterAnswer(request, response);
    html(response, 413, page('/', 'The form is too large.'));
    return true;
  }
  const form = new URLSearchParams(body.toString('utf8'));
  const next = safeNext(form.get('next'));
  const posture = (form.get('posture') ?? '').trim();
  let token: string;
  try {
    token = await signIn({
      username: (form.get('username') ?? '').trim(),
      password: form.get('password') ?? '',
      code: (form.get('code') ?? '').trim(),
    });
  } catch {
    html(response, 401, page(next, 'Sign-in failed: check the username, password and code.'));
    return true;
  }
  const cookies = [cookie('id_token', token, SESSION_SECONDS)];
  if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(posture)) {
    cookies.push(cookie(DEVICE_POSTURE.cookie, posture, SESSION_SECONDS));
  }
  response.writeHead(303, { location: next, 'set-cookie': cookies }).end();
  return true;
};
