import * as z from 'zod';

/** The local AWS endpoints the front can stand before. */
export type EndpointKind =
  | 'dynamodb'
  | 'sqs'
  | 'events'
  | 'lambda'
  | 'verifiedpermissions'
  | 'cognito-idp'
  | 'logs';

/** How a request is framed on the wire, which decides how an error must be framed. */
export type WireProtocol = 'json' | 'query' | 'rest-json';

/** One authorization AWS makes for a request: an action on a resource, with its condition keys. */
export interface IamRequest {
  /** e.g. `dynamodb:GetItem` */
  readonly action: string;
  /** e.g. `arn:aws:dynamodb:eu-west-1:000000000000:table/orders`, or `*` */
  readonly resource: string;
  /** Service condition keys for this authorization, e.g. `events:source`. */
  readonly context: Readonly<Record<string, string | readonly string[]>>;
}

/** A request already framed: what the action and its resources are read from. */
export interface ApiCall {
  readonly method: string;
  /** The path without the query string, still percent-encoded. */
  readonly path: string;
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The parsed body: a JSON value, the form fields of a Query-protocol call, or undefined. */
  readonly body: unknown;
}

/** The account and region the endpoint stands for, which every resource ARN names. */
export interface Scope {
  readonly region: string;
  readonly account: string;
}

/** What a call asks AWS to authorize, or why it cannot be read. */
export type Derivation =
  | {
      readonly ok: true;
      /** The API operation, e.g. `GetItem`. */
      readonly operation: string;
      /** Every authorization the call needs; all must be allowed. Empty for an unauthenticated call. */
      readonly requests: readonly IamRequest[];
      /** AWS serves this operation without a signature (e.g. Cognito `InitiateAuth`). */
      readonly unauthenticated: boolean;
      /**
       * Its `Authorization` is the endpoint's own, not a SigV4 signature (the managed login's
       * client secret, `Basic`, or access token, `Bearer`): passed on unread. @default false
       */
      readonly ownAuthorization?: boolean;
    }
  | {
      readonly ok: false;
      readonly code: 'UnknownOperation' | 'Validation';
      readonly message: string;
    };

/** A deriver of one service: the call and the scope in, the authorizations out. */
export type Deriver = (call: ApiCall, scope: Scope) => Derivation;

/**
 * A call that needs authorizations.
 *
 * @example
 * ```ts
 * authorized('GetItem', [{ action: 'dynamodb:GetItem', resource: tableArn, context: {} }]);
 * ```
 */
export const authorized = (operation: string, requests: readonly IamRequest[]): Derivation => ({
  ok: true,
  operation,
  requests: dedupe(requests),
  unauthenticated: false,
});

/**
 * A call that cannot be read, with the message the service gives.
 *
 * @example
 * ```ts
 * unreadable('Validation', 'TableName is required');
 * ```
 */
export const unreadable = (
  code: 'UnknownOperation' | 'Validation',
  message: string,
): Derivation => ({ ok: false, code, message });

const dedupe = (requests: readonly IamRequest[]): IamRequest[] => {
  const seen = new Map<string, IamRequest>();
  for (const request of requests) {
    seen.set(JSON.stringify([request.action, request.resource, request.context]), request);
  }
  return [...seen.values()];
};

/**
 * The operation named by an `X-Amz-Target` header with the given prefix, or undefined.
 *
 * @example
 * ```ts
 * targetOperation(call, 'DynamoDB_20120810'); // 'GetItem'
 * ```
 */
export const targetOperation = (call: ApiCall, prefix: string): string | undefined => {
  const target = call.headers['x-amz-target'] ?? '';
  const dot = target.indexOf('.');
  return dot > 0 && target.slice(0, dot) === prefix ? target.slice(dot + 1) : undefined;
};

/**
 * Parses a JSON body with a zod schema; the zod issue becomes a service validation message.
 *
 * @example
 * ```ts
 * const input = parseInput(TableInputSchema, call.body);
 * if (!input.success) return unreadable('Validation', input.message);
 * ```
 */
export const parseInput = <T>(
  schema: z.ZodType<T>,
  body: unknown,
):
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly message: string } => {
  const parsed = schema.safeParse(body ?? {});
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, message: z.prettifyError(parsed.error).replaceAll('\n', ' ') };
};

/**
 * A call that needs one authorization, with no condition keys.
 *
 * @example
 * ```ts
 * authorizedOn('ListTables', 'dynamodb:ListTables', '*');
 * ```
 */
export const authorizedOn = (operation: string, action: string, resource: string): Derivation =>
  authorized(operation, [{ action, resource, context: {} }]);

/**
 * A call whose `X-Amz-Target` names no operation of the endpoint.
 *
 * @example
 * ```ts
 * if (operation === undefined) return unknownOperation(call);
 * ```
 */
export const unknownOperation = (call: ApiCall): Derivation =>
  unreadable('UnknownOperation', `Unknown operation ${call.headers['x-amz-target'] ?? ''}`);
