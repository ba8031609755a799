import {
  IsAuthorizedCommand,
  type VerifiedPermissionsClient,
} from '@aws-sdk/client-verifiedpermissions';
import type { AuthorizationRequest, Authorizer } from './Authorizer.js';

/**
 * The Authorizer of every environment: Amazon Verified Permissions `IsAuthorized` on the
 * service's own policy store, through the real SDK client (in AWS, the service; locally, the local
 * cloud's endpoint, which evaluates the same policies with cedar-wasm).
 *
 * @example
 * ```ts
 * const authorizer = new VerifiedPermissionsAuthorizer(verifiedPermissionsClient(), policyStoreId);
 * await authorizer.isAuthorized({ principal, action: 'ViewOrder', resource, entities });
 * ```
 */
export class VerifiedPermissionsAuthorizer implements Authorizer {
  constructor(
    private readonly client: VerifiedPermissionsClient,
    private readonly policyStoreId: string,
  ) {}

  async isAuthorized(request: AuthorizationRequest): Promise<boolean> {
    const answer = await this.client.send(
      new IsAuthorizedCommand({
        policyStoreId: this.policyStoreId,
        principal: { entityType: request.principal.type, entityId: request.principal.id },
        action: { actionType: 'Shop::Action', actionId: request.action },
        resource: { entityType: request.resource.type, entityId: request.resource.id },
        entities: { cedarJson: JSON.stringify(request.entities ?? []) },
        context: { cedarJson: JSON.stringify(request.context ?? {}) },
      }),
    );
    return answer.decision === 'ALLOW';
  }
}
