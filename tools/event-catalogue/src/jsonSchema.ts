import {
  type AnyEventDefinition,
  EventMetadataSchema,
  eventLabel,
  eventSource,
} from '@shop/contracts';
import * as z from 'zod';

/** A JSON Schema document, as plain JSON. */
export type JsonSchema = { readonly [key: string]: unknown };

/** Where the JSON Schema of an event version lives, relative to `contracts/schemas/`. */
export const schemaPath = (definition: AnyEventDefinition): string =>
  `${definition.name}/v${definition.version}.json`;

/**
 * The JSON Schema (draft 2020-12) of an event version's `detail`: its metadata, with the version
 * fixed, and its data. Input mode: objects stay open, so a new optional field can be added
 * without breaking a validator that was generated from an older schema.
 */
export const toEventJsonSchema = (definition: AnyEventDefinition): JsonSchema => {
  const detail = z.object({
    metadata: z.object({ ...EventMetadataSchema.shape, version: z.literal(definition.version) }),
    data: definition.schema,
  });
  const { $schema, ...body } = z.toJSONSchema(detail, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
  });
  return {
    $schema,
    title: eventLabel(definition),
    description: definition.description,
    'x-source': eventSource(definition.producer),
    'x-detail-type': definition.name,
    'x-version': definition.version,
    ...body,
  };
};
