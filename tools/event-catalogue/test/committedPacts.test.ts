import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventLabel } from '@shop/contracts';
import { PACTS_DIR, type PactFile } from '@shop/pacts';
import { describe, expect, it } from 'vitest';
import { subscribers } from '../src/subscribers.js';

const committed = readdirSync(PACTS_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({
    file,
    pact: JSON.parse(readFileSync(join(PACTS_DIR, file), 'utf8')) as PactFile,
  }));

describe("the committed pacts, against the services' manifests", () => {
  it('are one file per consumer and producer, named as Pact names them', () => {
    expect(committed.map(({ file }) => file)).toEqual([
      'inventory-order.json',
      'order-inventory.json',
      'order-payment.json',
      'payment-inventory.json',
      'payment-order.json',
    ]);
    for (const { file, pact } of committed) {
      expect(file).toBe(`${pact.consumer.name}-${pact.provider.name}.json`);
      expect(pact.metadata.pactSpecification.version).toBe('4.0');
    }
  });

  it('hold exactly one asynchronous message for every event version a consumer subscribes to', () => {
    const interactions = committed.flatMap(({ pact }) =>
      pact.interactions.map(
        (interaction) =>
          `${pact.consumer.name} ← ${pact.provider.name}: ${interaction.description} (${interaction.type})`,
      ),
    );
    const subscribed = subscribers.flatMap(({ name, subscribes }) =>
      subscribes.map(
        (event) => `${name} ← ${event.producer}: ${eventLabel(event)} (Asynchronous/Messages)`,
      ),
    );

    expect(interactions.sort()).toEqual(subscribed.sort());
  });

  it('ask each producer for exactly the fields each consumer reads', () => {
    const asked = committed.flatMap(({ pact }) =>
      pact.interactions.map(
        (interaction) =>
          `${pact.consumer.name} ${interaction.description}: ${Object.keys(interaction.contents.content.detail.data).sort().join(', ')}`,
      ),
    );
    const read = subscribers.flatMap(({ name, subscribes }) =>
      subscribes.map(
        (event) => `${name} ${eventLabel(event)}: ${[...event.fields].sort().join(', ')}`,
      ),
    );

    expect(asked.sort()).toEqual(read.sort());
  });
});
