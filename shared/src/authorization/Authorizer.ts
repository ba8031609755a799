import { type CedarEntity, type EntityRef, SERVICE_NAMES, type ServiceName } from '@shop/contracts';

/** One question to the policy store: may this principal take this action on this resource? */
export interface AuthorizationRequest {
  readonly principal: EntityRef;
  /** The action's id, e.g. `ViewOrder` (its type is `Shop::Action`). */
  readonly action: string;
  readonly resource: EntityRef;
  readonly entities?: readonly CedarEntity[];
  readonly context?: Readonly<Record<string, unknown>>;
}

/** The one port every entry point asks. Deny by default: anything but an ALLOW is a deny. */
export interface Authorizer {
  isAuthorized(request: AuthorizationRequest): Promise<boolean>;
}

/**
 * Asks whether a user (or any principal entity) may take an action on a resource, sending both
 * entities and any others the decision needs (e.g. the catalogue a product is in).
 *
 * @example
 * ```ts
 * if (!(await isAllowed(authorizer, principal, 'ViewOrder', orderEntity(order)))) return forbidden();
 * ```
 */
export const isAllowed = (
  authorizer: Authorizer,
  principal: CedarEntity,
  action: string,
  resource: CedarEntity,
  related: readonly CedarEntity[] = [],
): Promise<boolean> =>
  authorizer.isAuthorized({
    principal: principal.uid,
    action,
    resource: resource.uid,
    entities: [principal, resource, ...related],
  });

/**
 * The service a Lattice caller runs as: its role's name starts with `<service>-` (roles are
 * named after their function, e.g. `order-api-eu-west-1`).
 *
 * @example
 * ```ts
 * callingService('arn:aws:sts::123456789012:assumed-role/order-api-eu-west-1/s'); // 'order'
 * ```
 */
export const callingService = (principal: string | undefined): ServiceName | undefined => {
  const role = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\//.exec(principal ?? '')?.[1];
  const prefix = role?.slice(0, role.indexOf('-'));
  return SERVICE_NAMES.find((service) => service === prefix);
};

/**
 * A signed-in user as Cedar sees them: `Shop::User::"<sub>"` in a `Shop::UserGroup` per
 * `cognito:groups` entry.
 */
export const userEntity = (sub: string, groups: readonly string[]): CedarEntity => ({
  uid: { type: 'Shop::User', id: sub },
  attrs: {},
  parents: groups.map((group) => ({ type: 'Shop::UserGroup', id: group })),
});
