/**
 * The services of the shop. Each one is a separately deployable package and the only producer of
 * the events whose `source` names it.
 *
 * @example
 * ```ts
 * import { eventSource } from '@shop/contracts';
 * eventSource('order'); // 'shop.order'
 * ```
 */
export const SERVICE_NAMES = ['order', 'inventory', 'payment'] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The EventBridge `source` of every event a service produces: `shop.<service>`. */
export type EventSource = `shop.${ServiceName}`;

/**
 * Returns the EventBridge `source` a service publishes with.
 *
 * @example
 * ```ts
 * eventSource('payment'); // 'shop.payment'
 * ```
 */
export const eventSource = <S extends ServiceName>(service: S): `shop.${S}` => `shop.${service}`;
