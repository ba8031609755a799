import { CedarPolicyEngine, type PolicyStore } from '@shop/authorization';
import type { CedarEntity, EntityRef } from '@shop/contracts';
import { resourceNotFound, validationError } from '../http/awsErrors.js';
import { type RunningServer, startJsonProtocolServer } from '../http/jsonProtocolServer.js';

export interface VerifiedPermissionsProps {
  /** 0 asks the OS for a free port. */
  readonly port: number;
  /** The policy stores, by policy store id. */
  readonly stores: Readonly<Record<string, PolicyStore>>;
  /** One entry per IsAuthorized answered. @default discarded */
  readonly onDecision?: (entry: IsAuthorizedLogEntry) => void;
}

/** One IsAuthorized decision: what was asked of which store, and its answer. */
export interface IsAuthorizedLogEntry {
  readonly policyStoreId: string;
  readonly principal: EntityRef;
  readonly action: EntityRef;
  readonly resource: EntityRef;
  readonly decision: 'ALLOW' | 'DENY';
  readonly determiningPolicies: readonly string[];
  readonly errors: readonly string[];
}

type Json = Readonly<Record<string, unknown>>;

const object = (value: unknown, what: string): Json => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validationError(`${what} must be an object`);
  }
  return value as Json;
};

const identifier = (value: unknown, type: string, id: string, what: string): EntityRef => {
  const ref = object(value, what);
  if (typeof ref[type] !== 'string' || typeof ref[id] !== 'string') {
    throw validationError(`${what} needs ${type} and ${id}`);
  }
  return { type: String(ref[type]), id: String(ref[id]) };
};

const EXTENSIONS: Readonly<Record<string, string>> = {
  ipaddr: 'ip',
  decimal: 'decimal',
  datetime: 'datetime',
  duration: 'duration',
};

/** A Verified Permissions `AttributeValue` as Cedar JSON. */
const cedarValue = (value: unknown): unknown => {
  const [kind, inner] = Object.entries(object(value, 'An attribute value'))[0] ?? [];
  switch (kind) {
    case 'string':
    case 'long':
    case 'boolean':
      return inner;
    case 'entityIdentifier':
      return { __entity: identifier(inner, 'entityType', 'entityId', 'entityIdentifier') };
    case 'set':
      return (Array.isArray(inner) ? inner : []).map(cedarValue);
    case 'record':
      return Object.fromEntries(
        Object.entries(object(inner, 'record')).map(([k, v]) => [k, cedarValue(v)]),
      );
    default: {
      const fn = kind === undefined ? undefined : EXTENSIONS[kind];
      if (fn === undefined) throw validationError(`Unknown attribute value type ${String(kind)}`);
      return { __extn: { fn, arg: inner } };
    }
  }
};

const parseCedarJson = (text: unknown, what: string): unknown => {
  try {
    return JSON.parse(String(text));
  } catch {
    throw validationError(`${what}.cedarJson is not JSON`);
  }
};

const entitiesOf = (input: unknown): CedarEntity[] => {
  if (input === undefined) return [];
  const entities = object(input, 'entities');
  if ('cedarJson' in entities)
    return parseCedarJson(entities['cedarJson'], 'entities') as CedarEntity[];
  const list = Array.isArray(entities['entityList']) ? entities['entityList'] : [];
  return list.map((item: unknown) => {
    const entity = object(item, 'An entity');
    return {
      uid: identifier(entity['identifier'], 'entityType', 'entityId', 'identifier'),
      attrs: Object.fromEntries(
        Object.entries(object(entity['attributes'] ?? {}, 'attributes')).map(([k, v]) => [
          k,
          cedarValue(v),
        ]),
      ),
      parents: (Array.isArray(entity['parents']) ? entity['parents'] : []).map((parent: unknown) =>
        identifier(parent, 'entityType', 'entityId', 'parent'),
      ),
    };
  });
};

const contextOf = (input: unknown): Record<string, unknown> => {
  if (input === undefined) return {};
  const context = object(input, 'context');
  if ('cedarJson' in context)
    return parseCedarJson(context['cedarJson'], 'context') as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(object(context['contextMap'] ?? {}, 'contextMap')).map(([k, v]) => [
      k,
      cedarValue(v),
    ]),
  );
};

/**
 * A local Amazon Verified Permissions data plane (AWS JSON 1.0, `X-Amz-Target:
 * VerifiedPermissions.IsAuthorized`), so services call it with the real
 * `@aws-sdk/client-verifiedpermissions` through `AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS`. Each policy
 * store is a service's Cedar schema and policies, validated (strict) and parsed once at start;
 * every request is evaluated by cedar-wasm and checked against the schema. Entities and context
 * may be given as `entityList`/`contextMap` or as `cedarJson`. An unknown store is
 * `ResourceNotFoundException`. Each decision is told to `onDecision`.
 *
 * @example
 * ```ts
 * const avp = await startVerifiedPermissions({ port: 0, stores: { [storeId]: loadPolicyStore('order', dir) } });
 * ```
 */
export const startVerifiedPermissions = async (
  props: VerifiedPermissionsProps,
): Promise<RunningServer> => {
  const engines = new Map(
    Object.entries(props.stores).map(([id, store]) => [id, new CedarPolicyEngine(store)]),
  );
  return startJsonProtocolServer(
    {
      targetPrefix: 'VerifiedPermissions',
      operations: {
        IsAuthorized: (input) => {
          const storeId = String(input['policyStoreId'] ?? '');
          const engine = engines.get(storeId);
          if (engine === undefined) throw resourceNotFound(`Policy store ${storeId} not found`);
          const request = {
            principal: identifier(input['principal'], 'entityType', 'entityId', 'principal'),
            action: identifier(input['action'], 'actionType', 'actionId', 'action'),
            resource: identifier(input['resource'], 'entityType', 'entityId', 'resource'),
          };
          const answer = engine.isAuthorized({
            ...request,
            entities: entitiesOf(input['entities']),
            context: contextOf(input['context']),
          });
          props.onDecision?.({
            policyStoreId: storeId,
            ...request,
            decision: answer.decision,
            determiningPolicies: answer.determiningPolicies,
            errors: answer.errors,
          });
          return {
            decision: answer.decision,
            determiningPolicies: answer.determiningPolicies.map((policyId) => ({ policyId })),
            errors: answer.errors.map((errorDescription) => ({ errorDescription })),
          };
        },
      },
    },
    props.port,
  );
};
