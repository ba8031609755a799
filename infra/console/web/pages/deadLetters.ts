import { type Answer, call, errorOf } from '../api.js';
import { h, show } from '../dom.js';

/** A dead letter as a service's staff API shows it. */
interface DeadLetter {
  readonly messageId: string;
  readonly sentAt: string;
  readonly receiveCount: number;
  readonly reason: string;
  readonly body: string;
}

const SERVICES = ['order', 'inventory', 'payment'] as const;

const letters = (answer: Answer<{ messages: DeadLetter[]; approximateCount: number }>) => {
  if (answer.status !== 200) return h('p', { class: 'error', role: 'alert' }, errorOf(answer));
  const { messages, approximateCount } = answer.body as {
    messages: DeadLetter[];
    approximateCount: number;
  };
  return h(
    'div',
    {},
    h(
      'p',
      { 'data-count': String(Math.max(approximateCount, messages.length)) },
      `${Math.max(approximateCount, messages.length)} dead letters`,
      messages.length < approximateCount ? ` (the first ${messages.length} shown)` : '',
    ),
    messages.length === 0
      ? undefined
      : h(
          'table',
          { class: 'letters' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['sent', 'receives', 'reason', 'message'].map((t) => h('th', {}, t)),
            ),
          ),
          h(
            'tbody',
            {},
            messages.map((m) =>
              h(
                'tr',
                { 'data-message': m.messageId },
                h('td', {}, new Date(m.sentAt).toLocaleString()),
                h('td', {}, m.receiveCount),
                h('td', { class: 'reason' }, m.reason),
                h(
                  'td',
                  {},
                  h('code', {}, m.body.length > 160 ? `${m.body.slice(0, 160)} …` : m.body),
                ),
              ),
            ),
          ),
        ),
  );
};

/**
 * Each service's dead letters and their redrive, straight from the service's staff API with the
 * user's own token: the service's Cedar policies decide (Admins only may redrive).
 */
export const deadLettersPage = (main: HTMLElement): (() => void) => {
  const sections = SERVICES.map((service) => {
    const body = h('div', { class: 'letters-body' }, 'Reading …');
    const outcome = h('p', { class: 'redrive-outcome', role: 'status' });
    const load = async () =>
      show(body, letters(await call('GET', `/${service}/admin/dead-letters`)));
    const button = h(
      'button',
      { type: 'button', 'data-redrive': service },
      'Redrive',
    ) as HTMLButtonElement;
    button.addEventListener('click', async () => {
      button.disabled = true;
      const answer = await call<Record<string, unknown>>(
        'POST',
        `/${service}/admin/dead-letters/redrive`,
      );
      outcome.className = `redrive-outcome ${answer.status < 300 ? 'ok' : 'refused'}`;
      show(
        outcome,
        answer.status < 300
          ? `Redrive started: ${JSON.stringify(answer.body)}`
          : `Redrive refused: ${errorOf(answer)}`,
      );
      button.disabled = false;
      await load();
    });
    void load();
    return h(
      'section',
      { class: 'dead-letters', 'data-service': service },
      h('h2', {}, service, ' ', button),
      outcome,
      body,
    );
  });
  show(
    main,
    h('h2', {}, 'Dead letters'),
    h(
      'p',
      {},
      'Messages a consumer could never process, with the reason the service gave. Redrive moves them back to the service’s queue; the service decides who may.',
    ),
    h('div', { class: 'services' }, sections),
  );
  return () => undefined;
};
