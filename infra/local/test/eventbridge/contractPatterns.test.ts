import {
  buildEvent,
  catalogue,
  eventLabel,
  eventPattern,
  type OutgoingEvent,
} from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import { matchesPattern, parsePattern } from '../../src/eventbridge/matchPattern.js';

/** The event as EventBridge delivers it to a rule's target. */
const delivered = (event: OutgoingEvent) => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': event.detailType,
  source: event.source,
  account: '000000000000',
  time: '2026-11-23T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: event.detail,
});

const examples = catalogue.map((definition) => ({
  label: eventLabel(definition),
  event: delivered(
    buildEvent(definition, definition.example, {
      correlationId: 'order-1',
      causationId: 'request-1',
    }),
  ),
}));

describe('the rule pattern of each event version', () => {
  it.each(catalogue.map((definition) => [eventLabel(definition), definition] as const))(
    '%s matches its own example and no other event version',
    (label, definition) => {
      const pattern = eventPattern(definition);
      const parsed = parsePattern(JSON.stringify(pattern));

      expect(parsed.ok).toBe(true);
      expect(
        examples.filter((example) => matchesPattern(pattern, example.event)).map((e) => e.label),
      ).toEqual([label]);
    },
  );
});
