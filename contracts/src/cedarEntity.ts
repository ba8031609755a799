/**
 * A Cedar entity reference, as the services' policy stores name principals and resources.
 *
 * @example
 * ```ts
 * const order: EntityRef = { type: 'Shop::Order', id: orderId };
 * ```
 */
export interface EntityRef {
  readonly type: string;
  readonly id: string;
}

/**
 * An entity an authorization decision may need, in Cedar's JSON entity format: its attributes
 * and the entities it is in. The services send these to Verified Permissions; the local policy
 * engine evaluates the same shape.
 *
 * @example
 * ```ts
 * const product: CedarEntity = {
 *   uid: { type: 'Shop::Product', id: 'MUG-001' },
 *   attrs: {},
 *   parents: [{ type: 'Shop::Catalogue', id: 'all' }],
 * };
 * ```
 */
export interface CedarEntity {
  readonly uid: EntityRef;
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly parents: readonly EntityRef[];
}
