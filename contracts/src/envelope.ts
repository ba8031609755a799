import * as z from 'zod/mini';
import { transportableString } from './transportableString.js';

/**
 * The metadata every event carries in `detail.metadata`.
 *
 * - `eventId`: unique per event; consumers use it as their idempotency key.
 * - `version`: the major version of the event's contract (see docs/adr/0002).
 * - `correlationId`: the same for every event of one business flow (the order id).
 * - `causationId`: the id of the event or request that caused this one.
 *
 * @example
 * ```ts
 * EventMetadataSchema.parse({
 *   eventId: '4f1c2a9e-0d7b-4c8e-9a3f-6b2e1d5c7a80',
 *   version: 2,
 *   occurredAt: '2026-11-23T10:15:30.000Z',
 *   correlationId: '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10',
 *   causationId: '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10',
 * });
 * ```
 */
export const EventMetadataSchema = z.object({
  eventId: z.uuid().register(z.globalRegistry, {
    description: 'Unique id of this event; the idempotency key of its consumers.',
  }),
  version: z
    .int()
    .check(z.minimum(1))
    .register(z.globalRegistry, { description: 'Major version of the event contract.' }),
  occurredAt: z.iso
    .datetime()
    .register(z.globalRegistry, { description: 'When the fact happened, ISO 8601 UTC.' }),
  correlationId: transportableString({ max: 128 }).register(z.globalRegistry, {
    description: 'Shared by every event of one business flow.',
  }),
  causationId: transportableString({ max: 128 }).register(z.globalRegistry, {
    description: 'Id of the event or request that caused this one.',
  }),
});
export type EventMetadata = z.infer<typeof EventMetadataSchema>;

/**
 * The parts of an EventBridge event that the shop's envelope relies on, as a consumer receives
 * it (for example in the body of an SQS message delivered by a rule). Other EventBridge fields
 * (`id`, `time`, `account`, `region`, `resources`, `version`) are allowed and ignored.
 *
 * @example
 * ```ts
 * EventBridgeEnvelopeSchema.parse({
 *   source: 'shop.order',
 *   'detail-type': 'OrderConfirmed',
 *   detail: { metadata, data: { orderId, customerId } },
 * });
 * ```
 */
export const EventBridgeEnvelopeSchema = z.object({
  source: z.string().check(z.minLength(1)),
  'detail-type': z.string().check(z.minLength(1)),
  detail: z.object({
    metadata: EventMetadataSchema,
    data: z.unknown(),
  }),
});
export type EventBridgeEnvelope = z.infer<typeof EventBridgeEnvelopeSchema>;
