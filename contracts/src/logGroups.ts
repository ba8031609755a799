/**
 * The log groups the staff console reads, each named once: the bus's audit log, and one log
 * group per kind of access decision. Their messages are JSON: each audit message is an event as
 * the bus delivered it (`{ id, source, 'detail-type', time, detail: { metadata, data } }`); each
 * decision message is a `DecisionLogMessage`.
 */
export const SHOP_LOG_GROUPS = {
  /** Every event on the shop bus, written by the bus's `shop-audit` rule. */
  audit: '/aws/events/shop-audit',
  decisions: {
    /** The Verified Access endpoint before the staff applications. */
    'verified-access': '/shop/decisions/verified-access',
    /** The Lattice service network's auth policies. */
    lattice: '/shop/decisions/lattice',
    /** IAM, for every call to an AWS API. */
    iam: '/shop/decisions/iam',
    /** The REST APIs' Lambda authorizers. */
    authorizers: '/shop/decisions/authorizers',
    /** Verified Permissions' IsAuthorized, the Cedar decisions of the use cases. */
    'verified-permissions': '/shop/decisions/verified-permissions',
  },
} as const;

/** A kind of access decision, named as its log group is. */
export type DecisionKind = keyof (typeof SHOP_LOG_GROUPS)['decisions'];

/** One access decision as its log group holds it: one JSON message per decision. */
export interface DecisionLogMessage {
  readonly kind: DecisionKind;
  readonly decision: 'Allow' | 'Deny';
  /** Who asked: a role session ARN, a user (`Shop::User::"alice"`), or `anonymous`. */
  readonly principal: string;
  /** What was asked, e.g. `dynamodb:GetItem`, `Shop::Action::"ViewOrder"`, `GET /orders`. */
  readonly action: string;
  /** On what, e.g. a table ARN, a Lattice service ARN, a URL. */
  readonly resource: string;
  /** The ids of the policies that decided; empty when none matched (deny by default). */
  readonly policies: readonly string[];
  /** Why, in the decider's words, e.g. `NoAllow`, `ExplicitDenyInIdentityPolicy`. */
  readonly reason: string;
  /** When it was decided, ISO 8601. */
  readonly at: string;
}

/**
 * The FilterLogEvents pattern that finds every event of one order in the audit log: every shop
 * event carries the order id in its data (`detail.data.orderId`). One call with it, on
 * `SHOP_LOG_GROUPS.audit`, answers the order's saga in time order.
 *
 * @example
 * ```ts
 * orderTimelinePattern('3f1c…'); // '{ $.detail.data.orderId = "3f1c…" }'
 * ```
 */
export const orderTimelinePattern = (orderId: string): string =>
  `{ $.detail.data.orderId = ${JSON.stringify(orderId)} }`;
