import type { MapWithCounts } from '../../src/app/ConsoleReads.js';
import type { MapQueue, MapService } from '../../src/map/ServiceMap.js';
import { call, errorOf } from '../api.js';
import { h, show } from '../dom.js';

const REFRESH_MS = 5000;

const label = (event: { name: string; version: number }) => `${event.name} v${event.version}`;

const queueBox = (queue: MapQueue | undefined, data: MapWithCounts) => {
  if (queue === undefined) return undefined;
  const count = data.counts[queue.name];
  const dead = queue.kind !== 'events';
  const waiting = count?.waiting ?? '?';
  return h(
    'div',
    {
      class: `queue ${queue.kind}${dead && (count?.waiting ?? 0) > 0 ? ' alarm' : ''}`,
      'data-queue': queue.name,
    },
    h('span', { class: 'name' }, queue.name),
    dead
      ? h('span', { class: 'count', 'data-count': 'dead' }, `${waiting} dead`)
      : h(
          'span',
          { class: 'count' },
          h('span', { 'data-count': 'waiting' }, `${waiting} waiting`),
          ' · ',
          h('span', { 'data-count': 'in-flight' }, `${count?.inFlight ?? '?'} in flight`),
        ),
  );
};

const serviceCard = (service: MapService, data: MapWithCounts) => {
  const queues = data.map.queues.filter((queue) => queue.service === service.name);
  const rule = data.map.rules.find((r) => r.service === service.name);
  return h(
    'section',
    { class: 'service', 'data-service': service.name },
    h('h2', {}, service.name),
    h('p', { class: 'description' }, service.description),
    h('h3', {}, 'Functions'),
    h(
      'ul',
      { class: 'functions' },
      service.functions.map((fn) =>
        h(
          'li',
          { title: [fn.description, ...fn.routes].join('\n') },
          h('span', { class: `trigger trigger-${fn.trigger}` }, fn.trigger),
          ' ',
          fn.name,
        ),
      ),
    ),
    h('h3', {}, 'Queues'),
    rule === undefined
      ? h('p', { class: 'none' }, 'subscribes to nothing')
      : h('p', { class: 'rule' }, `rule ${rule.name}: ${rule.events.map(label).join(', ')}`),
    queues.map((queue) => queueBox(queue, data)),
    h('h3', {}, 'Publishes'),
    h('p', { class: 'events' }, service.publishes.map(label).join(', ')),
    service.lattice === undefined
      ? undefined
      : h(
          'div',
          { class: 'lattice' },
          h('h3', {}, `Lattice ${service.lattice.name}`),
          h('p', {}, service.lattice.queries.join(', ')),
          h(
            'p',
            { class: 'callers' },
            service.lattice.callers.length === 0
              ? 'no caller may invoke it'
              : service.lattice.callers
                  .map((c) => `${c.service} may call ${c.queries.join(', ')}`)
                  .join('; '),
          ),
        ),
  );
};

/** The service map, its queues' counts read again every few seconds. */
export const mapPage = (main: HTMLElement): (() => void) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let left = false;
  const load = async () => {
    const answer = await call<MapWithCounts>('GET', '/console/api/map');
    if (left) return;
    if (answer.status !== 200) {
      show(
        main,
        h('p', { class: 'error', role: 'alert' }, `The map could not be read: ${errorOf(answer)}`),
      );
    } else {
      const data = answer.body as MapWithCounts;
      show(
        main,
        h(
          'div',
          { class: 'bus', 'data-testid': 'bus' },
          h('h2', {}, `Event bus “${data.map.busName}”`),
          h(
            'p',
            {},
            'Each consumer owns a rule that sends the event versions it reads to its queue; a message that can never succeed ends in its dead-letter queue.',
          ),
          h('p', { class: 'read-at' }, `counts read ${new Date(data.readAt).toLocaleTimeString()}`),
        ),
        h(
          'div',
          { class: 'services', 'data-testid': 'service-map' },
          data.map.services.map((s) => serviceCard(s, data)),
        ),
      );
    }
    timer = setTimeout(load, REFRESH_MS);
  };
  void load();
  return () => {
    left = true;
    clearTimeout(timer);
  };
};
