import type { OrderTimeline } from '../../src/timeline/TimelineStep.js';
import { call, errorOf } from '../api.js';
import { h, show } from '../dom.js';

const ms = (value: number) => (value < 1000 ? `${value} ms` : `${(value / 1000).toFixed(2)} s`);

const table = (timeline: OrderTimeline) =>
  h(
    'table',
    { class: 'timeline', 'data-testid': 'timeline' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['#', 'at', '+ since previous', 'event', 'producer', 'consumers'].map((title) =>
          h('th', {}, title),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      timeline.steps.map((step, index) =>
        h(
          'tr',
          { class: step.compensation ? 'compensation' : '', 'data-event': step.name },
          h('td', {}, index + 1),
          h('td', { title: step.occurredAt }, `+${ms(step.sinceStartMs)}`),
          h('td', {}, index === 0 ? '' : ms(step.sincePreviousMs)),
          h(
            'td',
            {},
            h('strong', {}, step.name),
            ` v${step.version}`,
            step.compensation ? h('span', { class: 'tag' }, 'compensation') : undefined,
          ),
          h('td', {}, step.producer),
          h('td', {}, step.consumers.length === 0 ? '—' : step.consumers.join(', ')),
        ),
      ),
    ),
  );

/** An order's saga, every event in order, from the bus's audit log. */
export const timelinePage = (main: HTMLElement, orderId: string | undefined): (() => void) => {
  const input = h('input', {
    name: 'orderId',
    placeholder: 'order id',
    size: '40',
    value: orderId ?? '',
    'aria-label': 'Order id',
  }) as HTMLInputElement;
  const result = h('div', { class: 'result' });
  const form = h(
    'form',
    { class: 'search' },
    input,
    h('button', { type: 'submit' }, 'Show timeline'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    window.location.hash = `#/timeline/${encodeURIComponent(input.value.trim())}`;
  });
  show(
    main,
    h('h2', {}, 'Order timeline'),
    h(
      'p',
      {},
      'Every event of the order’s saga on the bus, from the audit log of the bus, in the order they happened.',
    ),
    form,
    result,
  );
  if (orderId !== undefined && orderId !== '') {
    show(result, h('p', {}, 'Reading the audit log …'));
    void call<OrderTimeline>(
      'GET',
      `/console/api/timeline?orderId=${encodeURIComponent(orderId)}`,
    ).then((answer) => {
      if (answer.status !== 200) {
        show(result, h('p', { class: 'error', role: 'alert' }, errorOf(answer)));
        return;
      }
      const timeline = answer.body as OrderTimeline;
      show(
        result,
        h(
          'p',
          { class: `outcome ${timeline.outcome.replace(' ', '-')}`, 'data-testid': 'outcome' },
          `Order ${timeline.orderId}: ${timeline.outcome}`,
          timeline.reason === undefined ? '' : ` (${timeline.reason})`,
          ` · ${timeline.steps.length} events`,
        ),
        timeline.steps.length === 0
          ? h('p', {}, 'No event of this order is in the audit log.')
          : table(timeline),
      );
    });
  }
  return () => undefined;
};
