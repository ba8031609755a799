import { claimsOf, idToken } from './api.js';
import { deadLettersPage } from './pages/deadLetters.js';
import { decisionsPage } from './pages/decisions.js';
import { mapPage } from './pages/map.js';
import { timelinePage } from './pages/timeline.js';

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

const token = idToken();
if (token === undefined) {
  // The page came through Verified Access, yet no token reached it: sign in again.
  window.location.assign(`/_va/sign-in?next=${encodeURIComponent('/console/')}`);
} else {
  const claims = claimsOf(token);
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].join(', ') : '';
  who.textContent = `${String(claims['cognito:username'] ?? claims['email'] ?? 'signed in')} · ${groups}`;
  window.addEventListener('hashchange', route);
  route();
}
