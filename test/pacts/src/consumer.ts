import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import {
  type AnyEventView,
  createEventParser,
  eventLabel,
  type ReceivedEvent,
  type ServiceName,
  type Subscriber,
} from '@shop/contracts';
import { expectedMessage } from './message.js';
import { PACTS_DIR, pactFileName } from './paths.js';

/** One pact file a consumer test wrote, and where the committed copy lives. */
export interface WrittenPact {
  readonly provider: ServiceName;
  /** Where this run wrote it. */
  readonly file: string;
  readonly text: string;
  /** Where it is committed. */
  readonly committed: string;
}

/** The consumer side of the event pacts of one service, built from its subscriptions. */
export interface ConsumerPacts<D extends AnyEventView> {
  /**
   * States what the consumer needs of one event version it subscribes to (Pact matchers for
   * exactly the fields of `data` it reads), then proves it: the message Pact generates from those
   * matchers goes through the consumer's real parser and on to `handle`, the consumer's own
   * reaction.
   *
   * @throws when `data` names other fields than the subscription reads.
   */
  expects<N extends D['name'], V extends Extract<D, { name: N }>['version']>(
    name: N,
    version: V,
    data: Record<string, unknown>,
    handle: (event: ReceivedEvent<Extract<D, { name: N; version: V }>>) => void | Promise<void>,
  ): Promise<void>;
  /** Subscribed event versions without an expectation yet. */
  withoutExpectation(): string[];
  /** The pact files written so far, one per producer. */
  written(): WrittenPact[];
}

/**
 * Starts the pacts of one consumer. Files are written to a fresh directory, so an expectation
 * that was removed never lingers; the test then compares them with the committed ones.
 *
 * @example
 * ```ts
 * const pacts = consumerPacts(inventoryService); // its manifest: name and subscriptions
 * await pacts.expects('OrderCancelled', 1, { orderId: uuid(EXAMPLE_ORDER_ID) }, (event) => {
 *   expect(release(undefined, event.data.orderId, causedBy(event), now)).toBeDefined();
 * });
 * ```
 */
export const consumerPacts = <C extends ServiceName, D extends AnyEventView>(
  subscriber: Subscriber<C, D>,
): ConsumerPacts<D> => {
  const { name: consumer, subscribes: events } = subscriber;
  const parser = createEventParser(events);
  const dir = mkdtempSync(join(tmpdir(), `pacts-${consumer}-`));
  const expected = new Set<string>();

  return {
    async expects(name, version, data, handle) {
      const event = events.find((e) => e.name === name && e.version === version);
      if (event === undefined) {
        throw new Error(`${consumer} does not subscribe to ${name} v${version}`);
      }
      const asked = Object.keys(data).sort();
      const read = [...event.fields].sort();
      if (asked.join() !== read.join()) {
        throw new Error(
          `${consumer}'s pact for ${eventLabel(event)} must ask for the fields it reads ` +
            `(${read.join(', ')}), not (${asked.join(', ')})`,
        );
      }
      expected.add(eventLabel(event));
      const pact = new PactV4({ consumer, provider: event.producer, dir, logLevel: 'error' });
      await pact
        .addAsynchronousInteraction()
        .expectsToReceive(eventLabel(event), (message) =>
          message.withJSONContent(expectedMessage(event, data)),
        )
        .executeTest(async ({ contents }) => {
          const parsed = parser.parse(contents.content);
          if (!parsed.ok) throw parsed.error;
          await handle(
            parsed.event as ReceivedEvent<
              Extract<D, { name: typeof name; version: typeof version }>
            >,
          );
        });
    },
    withoutExpectation: () => events.map(eventLabel).filter((label) => !expected.has(label)),
    written: () =>
      [...new Set(events.map((event) => event.producer))].map((provider) => {
        const file = join(dir, pactFileName(consumer, provider));
        return {
          provider,
          file,
          text: readFileSync(file, 'utf8'),
          committed: join(PACTS_DIR, pactFileName(consumer, provider)),
        };
      }),
  };
};
