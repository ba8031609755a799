import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { MessageProviderPact } from '@pact-foundation/pact';
import {
  catalogue,
  createEventParser,
  eventLabel,
  type OutgoingEvent,
  reads,
  type ServiceName,
} from '@shop/contracts';
import { deliveredMessage } from './message.js';
import { PACTS_DIR, pactsOf } from './paths.js';

/**
 * How a producer makes each event version it publishes, keyed `OrderPlaced v2` as the pacts name
 * them: a step of its real domain code, returning the events that step emitted. The one the pact
 * asks for is taken from them; the producer never builds an event by hand here.
 */
export type EventMakers = Readonly<
  Record<string, () => readonly OutgoingEvent[] | Promise<readonly OutgoingEvent[]>>
>;

const labelOf = (event: OutgoingEvent): string =>
  eventLabel({ name: event.detailType, version: event.detail.metadata.version });

const pick = (description: string, emitted: readonly OutgoingEvent[]): OutgoingEvent => {
  const event = emitted.find((candidate) => labelOf(candidate) === description);
  if (event === undefined) {
    const labels = emitted.map(labelOf).join(', ') || 'nothing';
    throw new Error(`The domain emitted ${labels}, not ${description}`);
  }
  return event;
};

/** The verification of one consumer's pact against the producer. */
export interface PactVerification {
  /** `inventory-order`: consumer, then producer. */
  readonly pact: string;
  readonly interactions: readonly { readonly description: string; readonly ok: boolean }[];
  /** Every mismatch, as `OrderPlaced v1: $.detail.data.lines -> Expected …`. */
  readonly failures: readonly string[];
}

/** The parts of a Pact V4 message pact file the kit and its checks read. */
export interface PactFile {
  readonly consumer: { readonly name: string };
  readonly provider: { readonly name: string };
  readonly interactions: readonly {
    readonly description: string;
    readonly type: string;
    readonly contents: { readonly content: { readonly detail: { readonly data: object } } };
  }[];
  readonly metadata: { readonly pactSpecification: { readonly version: string } };
}

/**
 * The consumer's parser as its pact states it: for each event version it asks for, a reader of
 * exactly the fields of `data` it asks for. The provider needs nothing of the consumer but its
 * pact; the consumer's own tests prove that the pact asks for what its manifest reads.
 */
const parserOf = (pact: PactFile) =>
  createEventParser(
    pact.interactions.flatMap(({ description, contents }) => {
      const event = catalogue.find((candidate) => eventLabel(candidate) === description);
      const fields = Object.keys(contents.content.detail.data) as [never];
      return event === undefined ? [] : [reads(event, fields)];
    }),
  );

interface VerifierResult {
  readonly interactionResults?: readonly {
    readonly description: string;
    readonly result: string;
  }[];
  readonly errors?: readonly {
    readonly interaction: string;
    readonly mismatch:
      | string
      | { readonly mismatches?: readonly { readonly mismatch: string; readonly path?: string }[] }
      | { readonly message?: string };
  }[];
}

const resultOf = (outcome: unknown): VerifierResult => {
  const text = outcome instanceof Error ? outcome.message : outcome;
  try {
    return JSON.parse(String(text)) as VerifierResult;
  } catch {
    return { errors: [{ interaction: 'verification', mismatch: String(text) }] };
  }
};

const failuresOf = (result: VerifierResult): string[] =>
  (result.errors ?? []).flatMap(({ interaction, mismatch }) => {
    const description = interaction.split(' - ').at(-1) ?? interaction;
    if (typeof mismatch === 'string') return [`${description}: ${mismatch}`];
    if ('mismatches' in mismatch && mismatch.mismatches !== undefined) {
      return mismatch.mismatches.map(
        (m) => `${description}: ${m.path === undefined ? '' : `${m.path} -> `}${m.mismatch}`,
      );
    }
    return [
      `${description}: ${'message' in mismatch ? mismatch.message : JSON.stringify(mismatch)}`,
    ];
  });

/**
 * Verifies every committed pact that names `provider`, one consumer at a time: for each
 * interaction the verifier asks for the message by its description, `makers` produce it with the
 * producer's domain code, Pact matches it against the consumer's expectations, and a parser of
 * exactly the fields the pact asks for must accept it.
 *
 * @example
 * ```ts
 * const results = await verifyProviderPacts('payment', {
 *   'PaymentFailed v1': () => completeCharge(payment, declined, cause, now).events,
 * });
 * expect(results.flatMap((r) => r.failures)).toEqual([]);
 * ```
 */
export const verifyProviderPacts = async (
  provider: ServiceName,
  makers: EventMakers,
  {
    dir = PACTS_DIR,
  }: {
    /** Where the pacts are. @default the committed ones */
    readonly dir?: string;
  } = {},
): Promise<PactVerification[]> => {
  const verifications: PactVerification[] = [];
  for (const pactUrl of pactsOf(provider, dir)) {
    const pact = JSON.parse(readFileSync(pactUrl, 'utf8')) as PactFile;
    const consumer = pact.consumer.name;
    const parser = parserOf(pact);
    // The verifier only sees a failed message as an empty answer: say why, in the producer's words.
    const reasons = pact.interactions
      .filter(({ description }) => makers[description] === undefined)
      .map(({ description }) => `${description}: ${provider}'s verification has no maker for it`);
    const messageProviders = Object.fromEntries(
      Object.entries(makers).map(([description, make]) => [
        description,
        async () => {
          let message: ReturnType<typeof deliveredMessage>;
          try {
            message = deliveredMessage(pick(description, await make()));
          } catch (error) {
            reasons.push(`${description}: ${error instanceof Error ? error.message : error}`);
            throw error;
          }
          // Matchers can be looser than the consumer's schema: its own parser has the last word.
          const parsed = parser.parse(message);
          if (!parsed.ok)
            reasons.push(
              `${description}: ${consumer}'s parser refuses it: ${parsed.error.message}`,
            );
          return message;
        },
      ]),
    );
    const verifier = new MessageProviderPact({
      provider,
      pactUrls: [pactUrl],
      messageProviders,
      logLevel: 'error',
    });
    const result = resultOf(await verifier.verify().catch((error: unknown) => error));
    verifications.push({
      pact: `${consumer}-${provider}`,
      interactions: (result.interactionResults ?? []).map(({ description, result: outcome }) => ({
        description,
        ok: outcome === 'OK',
      })),
      failures: [...reasons, ...failuresOf(result).map(stripVTControlCharacters)],
    });
  }
  return verifications;
};

/**
 * The verification of a pact whose every interaction passed, for comparing with `toEqual`.
 *
 * @example
 * ```ts
 * expect(await verifyProviderPacts('payment', makers)).toEqual([
 *   verified('order-payment', 'PaymentFailed v1', 'PaymentSucceeded v1'),
 * ]);
 * ```
 */
export const verified = (pact: string, ...descriptions: string[]): PactVerification => ({
  pact,
  interactions: descriptions.map((description) => ({ description, ok: true })),
  failures: [],
});
