import {
  type AnyEventDefinition,
  buildRegistry,
  catalogue,
  eventLabel,
  eventPattern,
  eventSource,
  type RegistryEntry,
  TRANSPORTABLE_CHARACTERS,
} from '@shop/contracts';
import { type JsonSchema, schemaPath, toEventJsonSchema } from './jsonSchema.js';
import { subscribers } from './subscribers.js';

/** Generated files, keyed by their path relative to the repository root. */
export type GeneratedFiles = ReadonlyMap<string, string>;

export const SCHEMAS_DIR = 'contracts/schemas';
export const ASYNCAPI_PATH = 'contracts/asyncapi.json';
export const CATALOGUE_PATH = 'docs/events.md';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const messageId = (definition: AnyEventDefinition): string =>
  `${definition.name}V${definition.version}`;

const exampleDetail = (definition: AnyEventDefinition) => ({
  metadata: {
    eventId: '4f1c2a9e-0d7b-4c8e-9a3f-6b2e1d5c7a80',
    version: definition.version,
    occurredAt: '2026-11-23T10:15:30.000Z',
    correlationId: '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10',
    causationId: '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10',
  },
  data: definition.example,
});

/** The current JSON Schema of every event version, keyed by path under `contracts/schemas/`. */
export const currentSchemas = (
  events: readonly AnyEventDefinition[] = catalogue,
): Map<string, JsonSchema> =>
  new Map(events.map((definition) => [schemaPath(definition), toEventJsonSchema(definition)]));

const asyncApi = (events: readonly AnyEventDefinition[], registry: readonly RegistryEntry[]) => {
  const consumersOf = (definition: AnyEventDefinition) =>
    registry.find((row) => row.name === definition.name && row.version === definition.version)
      ?.consumers ?? [];
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Zero-Trust Shop events',
      version: '1.0.0',
      description:
        'Every event version published on the shop bus. Generated from @shop/contracts by `npm run contracts:generate`; do not edit.',
    },
    defaultContentType: 'application/json',
    channels: Object.fromEntries(
      events.map((definition) => [
        messageId(definition),
        {
          address: null,
          description: `EventBridge rule pattern: ${JSON.stringify(eventPattern(definition))}`,
          messages: {
            [messageId(definition)]: { $ref: `#/components/messages/${messageId(definition)}` },
          },
        },
      ]),
    ),
    operations: Object.fromEntries(
      events.flatMap((definition) => [
        [
          `${definition.producer}.send.${messageId(definition)}`,
          {
            action: 'send',
            channel: { $ref: `#/channels/${messageId(definition)}` },
            summary: `${definition.producer} publishes ${eventLabel(definition)}`,
          },
        ],
        ...consumersOf(definition).map((consumer) => [
          `${consumer}.receive.${messageId(definition)}`,
          {
            action: 'receive',
            channel: { $ref: `#/channels/${messageId(definition)}` },
            summary: `${consumer} consumes ${eventLabel(definition)}`,
          },
        ]),
      ]),
    ),
    components: {
      messages: Object.fromEntries(
        events.map((definition) => [
          messageId(definition),
          {
            name: definition.name,
            title: eventLabel(definition),
            summary: definition.description,
            headers: {
              type: 'object',
              properties: {
                source: { const: eventSource(definition.producer) },
                'detail-type': { const: definition.name },
              },
            },
            payload: { $ref: `./schemas/${schemaPath(definition)}` },
            examples: [{ name: 'example', payload: exampleDetail(definition) }],
          },
        ]),
      ),
    },
  };
};

const markdownCatalogue = (
  events: readonly AnyEventDefinition[],
  registry: readonly RegistryEntry[],
): string => {
  const rows = registry.map(
    (row) =>
      `| [${row.name} v${row.version}](#${row.name.toLowerCase()}-v${row.version}) | \`${row.source}\` | ${row.consumers.join(', ') || '—'} | ${row.description} |`,
  );
  const readers = (definition: AnyEventDefinition) =>
    (registry.find((row) => eventLabel(row) === eventLabel(definition))?.reads ?? []).map(
      ({ consumer, fields }) =>
        `- Read by ${consumer}: ${fields.map((field) => `\`${field}\``).join(', ')} ([pact](../test/pacts/pacts/${consumer}-${definition.producer}.json))`,
    );
  const sections = events.map((definition) =>
    [
      `## ${eventLabel(definition)}`,
      '',
      definition.description,
      '',
      `- Producer: \`${eventSource(definition.producer)}\``,
      ...readers(definition),
      `- Schema: [contracts/schemas/${schemaPath(definition)}](../contracts/schemas/${schemaPath(definition)})`,
      `- Rule pattern: \`${JSON.stringify(eventPattern(definition))}\``,
      '',
      'Example `detail`:',
      '',
      '```json',
      JSON.stringify(exampleDetail(definition), null, 2),
      '```',
      '',
    ].join('\n'),
  );
  return [
    '# Events catalogue',
    '',
    'Generated from `@shop/contracts` by `npm run contracts:generate`; do not edit by hand.',
    'Every event travels on the shop bus as `source` = `shop.<service>`, `detail-type` = the event',
    'name and `detail` = `{ metadata, data }`; see [ADR 0002](adr/0002-event-envelope-and-versioning.md).',
    'Every string in an event has a maximum length and holds only the characters SQS accepts',
    `(${TRANSPORTABLE_CHARACTERS}), never a lone surrogate:`,
    'the zod schemas check it, the JSON Schemas cannot show it; see',
    '[ADR 0012](adr/0012-what-can-travel-in-an-event.md).',
    '',
    '| Event | Source | Consumers | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...sections,
  ].join('\n');
};

/**
 * Every file generated from the contracts: one JSON Schema per event version, the AsyncAPI
 * document and the events catalogue.
 */
export const generateFiles = (
  events: readonly AnyEventDefinition[] = catalogue,
  registry: readonly RegistryEntry[] = buildRegistry(events, subscribers),
): GeneratedFiles => {
  const files = new Map<string, string>();
  for (const [path, schema] of currentSchemas(events)) {
    files.set(`${SCHEMAS_DIR}/${path}`, json(schema));
  }
  files.set(ASYNCAPI_PATH, json(asyncApi(events, registry)));
  files.set(CATALOGUE_PATH, markdownCatalogue(events, registry));
  return files;
};
