import type { Decision } from '../../src/decisions/Decision.js';
import { call, errorOf } from '../api.js';
import { h, show } from '../dom.js';

/** The latest allow and deny decisions of every place the shop decides access. */
export const decisionsPage = (main: HTMLElement): (() => void) => {
  const body = h('div', {}, 'Reading the decision logs …');
  const reload = h('button', { type: 'button' }, 'Read again');
  const load = async () => {
    const answer = await call<{ decisions: Decision[] }>('GET', '/console/api/decisions');
    if (answer.status !== 200) {
      show(body, h('p', { class: 'error', role: 'alert' }, errorOf(answer)));
      return;
    }
    const { decisions } = answer.body as { decisions: Decision[] };
    show(
      body,
      decisions.length === 0
        ? h('p', {}, 'No decision in the last 15 minutes.')
        : h(
            'table',
            { class: 'decisions', 'data-testid': 'decisions' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [
                  'at',
                  'where',
                  'decision',
                  'principal',
                  'action',
                  'resource',
                  'policies',
                  'reason',
                ].map((t) => h('th', {}, t)),
              ),
            ),
            h(
              'tbody',
              {},
              decisions.map((d) =>
                h(
                  'tr',
                  { class: d.decision.toLowerCase() },
                  h('td', {}, new Date(d.at).toLocaleTimeString()),
                  h('td', {}, d.kind),
                  h('td', { class: 'decision' }, d.decision),
                  h('td', {}, d.principal ?? ''),
                  h('td', {}, d.action ?? ''),
                  h('td', { class: 'resource' }, d.resource ?? ''),
                  h('td', {}, d.policies.join(', ')),
                  h('td', {}, d.reason ?? ''),
                ),
              ),
            ),
          ),
    );
  };
  reload.addEventListener('click', () => void load());
  show(
    main,
    h('h2', {}, 'Decisions ', reload),
    h(
      'p',
      {},
      'Newest first, from the decision logs of Verified Access, Lattice, IAM, the authorizers and Verified Permissions.',
    ),
    body,
  );
  void load();
  return () => undefined;
};
