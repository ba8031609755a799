import { claimsOf, useIdToken } from './api.js';
import { h } from './dom.js';
import { deadLettersPage } from './pages/deadLetters.js';
import { decisionsPage } from './pages/decisions.js';
import { mapPage } from './pages/map.js';
import { timelinePage } from './pages/timeline.js';
import { beginSignIn, completeSignIn } from './signIn.js';

const page = document.getElementById('page') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;

const PAGES: Readonly<
  Record<string, (main: HTMLElement, argument: string | undefined) => () => void>
> = {
  map: mapPage,
  timeline: timelinePage,
  'dead-letters': deadLettersPage,
  decisions: decisionsPage,
};

let leave: () => void = () => undefined;

const route = () => {
  const [, name = 'map', argument] = window.location.hash.split('/');
  const open = PAGES[name] ?? mapPage;
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('current', link.getAttribute('data-page') === name);
  }
  leave();
  leave = open(page, argument === undefined ? undefined : decodeURIComponent(argument));
};

/** Where the page was asked for (its hash), kept across the sign-in's redirects. */
const RETURN_KEY = 'console-return';

const signedIn = (token: string) => {
  useIdToken(token);
  const claims = claimsOf(token);
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].join(', ') : '';
  who.textContent = `${String(claims['cognito:username'] ?? claims['email'] ?? 'signed in')} · ${groups}`;
  window.addEventListener('hashchange', route);
  route();
};

/**
 * Signs in with the staff pool's managed login (PKCE, the console's own client, ADR 0026): the
 * page goes there, and comes back to `/console/callback` with a code, which it redeems; silently
 * while the managed login's session lasts. The token stays in this page's memory.
 */
const signIn = async () => {
  const answer = await fetch('/console/sign-in.json', { headers: { accept: 'application/json' } });
  const config = {
    ...((await answer.json()) as { managedLoginUrl: string; clientId: string }),
    redirectUri: `${window.location.origin}/console/callback`,
  };
  const here = new URL(window.location.href);
  if (here.pathname !== '/console/callback') {
    sessionStorage.setItem(RETURN_KEY, here.hash);
    window.location.assign(await beginSignIn(config, sessionStorage));
    return;
  }
  const tokens = await completeSignIn(config, sessionStorage, here);
  const hash = sessionStorage.getItem(RETURN_KEY) ?? '';
  sessionStorage.removeItem(RETURN_KEY);
  // The code is spent: the address becomes the page's again.
  window.history.replaceState(null, '', `/console/${hash}`);
  if (tokens === undefined) {
    page.replaceChildren(
      h('p', { role: 'alert' }, 'The sign-in did not complete.'),
      h('a', { href: '/console/' }, 'Sign in again'),
    );
    return;
  }
  signedIn(tokens.idToken);
};

signIn().catch(() => {
  page.replaceChildren(h('p', { role: 'alert' }, 'The sign-in could not start.'));
});
