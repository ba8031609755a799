import * as z from 'zod/mini';
import type { AnyEventDefinition, EventData } from './defineEvent.js';
import { eventLabel } from './defineEvent.js';
import { EventBridgeEnvelopeSchema, type EventMetadata } from './envelope.js';
import {
  type EventContractError,
  InvalidEventDataError,
  MalformedEventError,
  UnknownEventError,
  UnknownEventVersionError,
} from './errors.js';
import { eventSource } from './services.js';

/** A consumed event: its definition's name and version, its metadata and its typed data. */
export type ReceivedEvent<D extends AnyEventDefinition> = D extends AnyEventDefinition
  ? {
      readonly name: D['name'];
      readonly version: D['version'];
      readonly metadata: EventMetadata;
      readonly data: EventData<D>;
    }
  : never;

/** The outcome of parsing: the typed event, or a typed error. Parsing never throws. */
export type ParseEventResult<D extends AnyEventDefinition> =
  | { readonly ok: true; readonly event: ReceivedEvent<D> }
  | { readonly ok: false; readonly error: EventContractError };

/** Parses what a consumer receives into one of the events it subscribes to. */
export interface EventParser<D extends AnyEventDefinition> {
  /** Accepts the EventBridge event as an object or as its JSON text (an SQS message body). */
  parse(input: unknown): ParseEventResult<D>;
}

const decode = (input: unknown): { ok: true; value: unknown } | { ok: false } => {
  if (typeof input !== 'string') return { ok: true, value: input };
  try {
    return { ok: true, value: JSON.parse(input) };
  } catch {
    return { ok: false };
  }
};

/**
 * Creates the parser of a consumer for the event versions it subscribes to. Anything else is
 * returned as a typed error: not our envelope ({@link MalformedEventError}), an event it does not
 * subscribe to or from the wrong source ({@link UnknownEventError}), a version it does not know
 * ({@link UnknownEventVersionError}) or data that breaks the contract ({@link InvalidEventDataError}).
 *
 * @example
 * ```ts
 * const parser = createEventParser(inventoryService.subscribes);
 * const result = parser.parse(record.body);
 * if (!result.ok) throw result.error; // permanent: goes to the DLQ with its code
 * if (result.event.name === 'OrderPlaced') result.event.data.lines;
 * ```
 */
export const createEventParser = <const D extends AnyEventDefinition>(
  definitions: readonly D[],
): EventParser<D> => {
  const byName = new Map<string, D[]>();
  for (const definition of definitions) {
    byName.set(definition.name, [...(byName.get(definition.name) ?? []), definition]);
  }

  const parse = (input: unknown): ParseEventResult<D> => {
    const decoded = decode(input);
    if (!decoded.ok) {
      return { ok: false, error: new MalformedEventError('Event is not valid JSON') };
    }
    const envelope = EventBridgeEnvelopeSchema.safeParse(decoded.value);
    if (!envelope.success) {
      return {
        ok: false,
        error: new MalformedEventError(
          'Event is not in the shop envelope (source, detail-type, detail.metadata, detail.data)',
          envelope.error.issues,
        ),
      };
    }
    const { source, 'detail-type': detailType, detail } = envelope.data;
    const candidates = (byName.get(detailType) ?? []).filter(
      (definition) => eventSource(definition.producer) === source,
    );
    if (candidates.length === 0) {
      return { ok: false, error: new UnknownEventError(detailType, source) };
    }
    const definition = candidates.find(
      (candidate) => candidate.version === detail.metadata.version,
    );
    if (definition === undefined) {
      const known = candidates.map((candidate) => candidate.version).sort((a, b) => a - b);
      return {
        ok: false,
        error: new UnknownEventVersionError(detailType, detail.metadata.version, known),
      };
    }
    const data = z.safeParse(definition.schema, detail.data);
    if (!data.success) {
      return {
        ok: false,
        error: new InvalidEventDataError(eventLabel(definition), data.error.issues),
      };
    }
    const event = {
      name: definition.name,
      version: definition.version,
      metadata: detail.metadata,
      data: data.data,
    } as ReceivedEvent<D>;
    return { ok: true, event };
  };

  return { parse };
};
