import { assertValidPolicyStore, loadPolicyStore, schemaJsonOf } from '@shop/authorization';
import type { ServiceName } from '@shop/contracts';
import { IDENTITY_PARAMETERS } from '@shop/platform';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { CfnIdentitySource, CfnPolicy, CfnPolicyStore } from 'aws-cdk-lib/aws-verifiedpermissions';
import { Construct } from 'constructs';

export interface ServicePolicyStoreProps {
  readonly service: ServiceName;
  /** The folder of the service's Cedar schema and `*.cedar` policies. */
  readonly policiesDir: string;
}

/**
 * A service's Verified Permissions policy store: its Cedar schema and one policy per
 * `*.cedar` file, validated against the schema at synth time (STRICT, as the store validates),
 * and the customer user pool as identity source with its groups as `Shop::UserGroup`. A store
 * holds one identity source at most (a Verified Permissions quota that cannot be raised), and the
 * services do not use it: they ask `IsAuthorized` with the entities they build from the token
 * their authorizer verified against either pool (customer or staff, ADR 0019), so the staff pool
 * is not a second source.
 *
 * @example
 * ```ts
 * const store = new ServicePolicyStore(this, 'Authorization', { service: 'order', policiesDir });
 * store.grantIsAuthorized(fn);
 * ```
 */
export class ServicePolicyStore extends Construct {
  readonly policyStoreId: string;
  private readonly policyStoreArn: string;

  constructor(scope: Construct, id: string, props: ServicePolicyStoreProps) {
    super(scope, id);
    const definition = assertValidPolicyStore(loadPolicyStore(props.service, props.policiesDir));
    const store = new CfnPolicyStore(this, 'PolicyStore', {
      description: `${props.service}'s Cedar policies`,
      validationSettings: { mode: 'STRICT' },
      schema: { cedarJson: schemaJsonOf(definition) },
      deletionProtection: { mode: 'ENABLED' },
    });
    for (const [policyId, statement] of Object.entries<string>(definition.policies)) {
      new CfnPolicy(this, `Policy-${policyId}`, {
        policyStoreId: store.attrPolicyStoreId,
        definition: { static: { description: policyId, statement } },
      });
    }
    const parameter = (name: string) => StringParameter.valueForStringParameter(this, name);
    new CfnIdentitySource(this, 'IdentitySource', {
      policyStoreId: store.attrPolicyStoreId,
      principalEntityType: 'Shop::User',
      configuration: {
        cognitoUserPoolConfiguration: {
          userPoolArn: parameter(IDENTITY_PARAMETERS.userPoolArn),
          clientIds: [parameter(IDENTITY_PARAMETERS.userPoolClientId)],
          groupConfiguration: { groupEntityType: 'Shop::UserGroup' },
        },
      },
    });
    this.policyStoreId = store.attrPolicyStoreId;
    this.policyStoreArn = store.attrArn;
  }

  /** Lets an entry point ask this store, and no other, for a decision. */
  grantIsAuthorized(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'AskOwnPolicyStore',
        actions: ['verifiedpermissions:IsAuthorized'],
        resources: [this.policyStoreArn],
      }),
    );
  }
}
