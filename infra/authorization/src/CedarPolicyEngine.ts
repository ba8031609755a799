import type { Entities, EntityUid } from '@cedar-policy/cedar-wasm/nodejs';
import type { CedarEntity, EntityRef } from '@shop/contracts';
import {
  type AuthorizationDecision,
  decideRequest,
  preparsePolicySet,
  preparseSchema,
} from './cedarWasm.js';
import { assertValidPolicyStore, type PolicyStore, PolicyStoreError } from './policyStore.js';

export interface AuthorizationQuestion {
  readonly principal: EntityRef;
  readonly action: EntityRef;
  readonly resource: EntityRef;
  readonly entities: readonly CedarEntity[];
  readonly context?: Readonly<Record<string, unknown>>;
}

export type { AuthorizationDecision } from './cedarWasm.js';

let stores = 0;

/**
 * Evaluates requests against one policy store with cedar-wasm: the schema and the policies are
 * validated and parsed once, when the engine is made, and every request is checked against the
 * schema. Deny by default: no permit, an error, or a forbid is DENY.
 *
 * @example
 * ```ts
 * const engine = new CedarPolicyEngine(loadPolicyStore('order', dir));
 * engine.isAuthorized({ principal, action, resource, entities }).decision; // 'ALLOW' | 'DENY'
 * ```
 */
export class CedarPolicyEngine {
  private readonly policySetId: string;
  private readonly schemaName: string;
  constructor(readonly store: PolicyStore) {
    assertValidPolicyStore(store);
    stores += 1;
    this.policySetId = `${store.service}-${stores}`;
    this.schemaName = this.policySetId;
    const parsed = [
      preparseSchema(this.schemaName, store.schema),
      preparsePolicySet(this.policySetId, { staticPolicies: { ...store.policies } }),
    ];
    const failed = parsed.flatMap((answer) =>
      answer.type === 'failure' ? answer.errors.map((e) => e.message) : [],
    );
    if (failed.length > 0) throw new PolicyStoreError(store.service, failed);
  }

  isAuthorized(question: AuthorizationQuestion): AuthorizationDecision {
    return decideRequest({
      principal: question.principal as EntityUid,
      action: question.action as EntityUid,
      resource: question.resource as EntityUid,
      context: (question.context ?? {}) as Record<string, never>,
      entities: question.entities as unknown as Entities,
      preparsedPolicySetId: this.policySetId,
      preparsedSchemaName: this.schemaName,
      validateRequest: true,
    });
  }
}
