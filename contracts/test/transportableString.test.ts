import { describe, expect, it } from 'vitest';
import {
  catalogue,
  createEventParser,
  EventMetadataSchema,
  InvalidEventDataError,
  MalformedEventError,
  OrderPlacedV2,
  PaymentTokenSchema,
  transportableString,
} from '../src/index.js';

const schema = transportableString({ max: 8 });
const issuesOf = (value: string) => schema.safeParse(value).error?.issues ?? [];

/** One string in a JSON value: where it is, and the whole value with another in its place. */
interface StringLeaf {
  readonly path: string;
  readonly value: string;
  readonly replace: (next: string) => unknown;
}

/** Every string in a JSON value. */
const stringLeaves = (
  value: unknown,
  replace: (next: unknown) => unknown = (next) => next,
): StringLeaf[] => {
  if (typeof value === 'string') return [{ path: '', value, replace }];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) =>
      stringLeaves(item, (next) => replace(value.map((v, i) => (i === index ? next : v)))).map(
        (leaf) => ({ ...leaf, path: `[${index}]${leaf.path}` }),
      ),
    );
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, field]) =>
      stringLeaves(field, (next) => replace({ ...value, [key]: next })).map((leaf) => ({
        ...leaf,
        path: `.${key}${leaf.path}`,
      })),
    );
  }
  return [];
};

describe('transportableString', () => {
  it.each([
    ['U+0009 (tab)', '\u0009'],
    ['U+000A (line feed)', '\u000A'],
    ['U+000D (carriage return)', '\u000D'],
    ['U+0020, the first printable', '\u0020'],
    ['U+D7FF, the last before the surrogates', '\uD7FF'],
    ['U+E000, the first after them', '\uE000'],
    ['U+FFFD, the replacement character', '\uFFFD'],
    ['an emoji, a surrogate pair (U+1F600)', '😀'],
    ['U+10000, the first supplementary code point', '\u{10000}'],
    ['U+10FFFF, the last code point', '\u{10FFFF}'],
  ])('accepts %s', (_, character) => {
    expect(schema.safeParse(`a${character}b`).success).toBe(true);
  });

  it.each([
    ['U+0000', '\u0000', 'Character U+0000 at index 1'],
    ['U+0008 (backspace)', '\u0008', 'Character U+0008 at index 1'],
    ['U+001F, the last control before the space', '\u001F', 'Character U+001F at index 1'],
    ['U+FFFE', '\uFFFE', 'Character U+FFFE at index 1'],
    ['U+FFFF', '\uFFFF', 'Character U+FFFF at index 1'],
    ['a lone high surrogate', '\uD800', 'Lone surrogate U+D800 at index 1'],
    ['a lone low surrogate', '\uDFFF', 'Lone surrogate U+DFFF at index 1'],
    ['a pair in the wrong order', '\uDE00\uD83D', 'Lone surrogate U+DE00 at index 1'],
  ])('refuses %s and names it, never the value', (_, character, named) => {
    const issues = issuesOf(`a${character}b`);

    expect(issues).toEqual([expect.objectContaining({ code: 'custom', path: [] })]);
    expect(issues[0]?.message).toContain(named);
    expect(JSON.stringify(issues)).not.toContain(`a${character}b`);
  });

  it('counts the index in characters, as the length is counted', () => {
    expect(issuesOf('😀😀\uFFFF')[0]?.message).toContain('U+FFFF at index 2');
  });

  it('tells what SQS accepts when it refuses a character', () => {
    expect(issuesOf('\uFFFF')[0]?.message).toBe(
      'Character U+FFFF at index 0 cannot travel in an event; SQS accepts only U+0009, U+000A, U+000D, U+0020 to U+D7FF, U+E000 to U+FFFD and U+10000 to U+10FFFF',
    );
    expect(issuesOf('ab\uD800')[0]?.message).toBe(
      'Lone surrogate U+D800 at index 2 cannot be encoded as UTF-8',
    );
  });

  it('bounds the length in characters (code points): an emoji counts one', () => {
    expect(schema.safeParse('😀'.repeat(8)).success).toBe(true);
    expect(schema.safeParse(`${'😀'.repeat(8)}a`).error?.issues).toEqual([
      expect.objectContaining({ code: 'too_big', maximum: 8 }),
    ]);
    expect(schema.safeParse('').error?.issues).toEqual([
      expect.objectContaining({ code: 'too_small', minimum: 1 }),
    ]);
  });

  it('lets a payment token be any transportable character: the processor, not the shop, knows its alphabet', () => {
    expect(PaymentTokenSchema.safeParse('tok_😀').success).toBe(true);
    expect(PaymentTokenSchema.safeParse('tok_success\uFFFF').success).toBe(false);
    expect(PaymentTokenSchema.safeParse('t'.repeat(257)).success).toBe(false);
  });
});

describe('every string an event carries', () => {
  it.each(catalogue.map((definition) => [`${definition.name} v${definition.version}`, definition]))(
    '%s: refuses U+FFFF and a lone surrogate in each of its strings',
    (_, definition) => {
      const leaves = stringLeaves(definition.example);
      expect(leaves.length).toBeGreaterThan(0);

      for (const leaf of leaves) {
        for (const bad of ['\uFFFF', '\uD800']) {
          expect(
            definition.schema.safeParse(leaf.replace(`${leaf.value}${bad}`)).success,
            `data${leaf.path} + ${JSON.stringify(bad)}`,
          ).toBe(false);
        }
      }
    },
  );

  it('in its metadata, too', () => {
    const metadata = {
      eventId: '4f1c2a9e-0d7b-4c8e-9a3f-6b2e1d5c7a80',
      version: 1,
      occurredAt: '2026-11-23T10:15:30.000Z',
      correlationId: '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10',
      causationId: '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10',
    };
    expect(EventMetadataSchema.safeParse(metadata).success).toBe(true);

    for (const leaf of stringLeaves(metadata)) {
      expect(
        EventMetadataSchema.safeParse(leaf.replace(`${leaf.value}\uFFFF`)).success,
        `metadata${leaf.path}`,
      ).toBe(false);
    }
  });

  it('is checked by the consumer: an untransportable token is invalid data, a correlation id a malformed event', () => {
    const parser = createEventParser([OrderPlacedV2]);
    const detail = {
      metadata: {
        eventId: '4f1c2a9e-0d7b-4c8e-9a3f-6b2e1d5c7a80',
        version: 2,
        occurredAt: '2026-11-23T10:15:30.000Z',
        correlationId: 'order-1',
        causationId: 'order-1',
      },
      data: { ...OrderPlacedV2.example, paymentToken: 'tok_success\uFFFF' },
    };
    const event = (d: typeof detail) => ({
      source: 'shop.order',
      'detail-type': 'OrderPlaced',
      detail: d,
    });

    const token = parser.parse(event(detail));
    const correlation = parser.parse(
      event({
        metadata: { ...detail.metadata, correlationId: 'order-1\uD800' },
        data: OrderPlacedV2.example as typeof detail.data,
      }),
    );

    expect(token.ok ? undefined : token.error).toBeInstanceOf(InvalidEventDataError);
    expect(token.ok ? '' : token.error.message).toContain('paymentToken: Character U+FFFF');
    expect(correlation.ok ? undefined : correlation.error).toBeInstanceOf(MalformedEventError);
  });
});
