import {
  type AnyEventDefinition,
  buildEvent,
  catalogue,
  eventLabel,
  SERVICE_NAMES,
} from '@shop/contracts';
import { matchesPattern } from '@shop/local-cloud/eventbridge';
import { describe, expect, it } from 'vitest';
import { SHOP_SERVICES } from './shop.js';
import { synthesizeServices } from './stacks.js';

const { templates } = synthesizeServices();

/** The example of an event version as EventBridge delivers it to rules. */
const exampleOf = (definition: AnyEventDefinition) => {
  const event = buildEvent(definition, definition.example as never, {
    correlationId: 'c-1',
    causationId: 'c-1',
  });
  return {
    version: '0',
    id: 'e-1',
    'detail-type': event.detailType,
    source: event.source,
    account: '111122223333',
    time: '2026-01-01T00:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: event.detail,
  };
};

/** Every rule of the synthesized service apps, with the consumer whose stack holds it. */
const rules = SERVICE_NAMES.flatMap((service) =>
  Object.values(templates[service].findResources('AWS::Events::Rule')).map((rule) => ({
    service,
    name: String(rule['Properties']['Name']),
    pattern: rule['Properties']['EventPattern'],
  })),
);

describe('the topology contract', () => {
  it('has one rule per consumer that subscribes to anything', () => {
    expect(rules.map((r) => r.service).sort()).toEqual(
      SHOP_SERVICES.filter((s) => s.subscribes.length > 0)
        .map((s) => s.name)
        .sort(),
    );
  });

  it.each(rules)(
    "$name matches the producers' examples of exactly the versions $service subscribes to",
    (rule) => {
      const subscribed = SHOP_SERVICES.find((s) => s.name === rule.service)?.subscribes ?? [];
      const matched = catalogue.filter((definition) =>
        matchesPattern(rule.pattern, exampleOf(definition)),
      );

      expect(matched.map(eventLabel).sort()).toEqual(subscribed.map(eventLabel).sort());
    },
  );

  it('would catch a rule that lets another version through', () => {
    const inventory = rules.find((r) => r.service === 'inventory');
    const loose = JSON.parse(JSON.stringify(inventory?.pattern)) as { $or: { detail?: unknown }[] };
    for (const branch of loose.$or) delete branch.detail;

    const matched = catalogue.filter((definition) =>
      matchesPattern(loose as never, exampleOf(definition)),
    );

    expect(matched.map(eventLabel)).toContain('OrderPlaced v2');
  });
});
