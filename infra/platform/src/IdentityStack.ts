import { CUSTOMER_GROUPS, STAFF_GROUPS } from '@shop/contracts';
import { PLATFORM_OWNER, SERVICE_TAG } from '@shop/topology';
import { Duration, RemovalPolicy, Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import {
  CfnUserPoolGroup,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

/** Where services find the identity resources. */
export const IDENTITY_PARAMETERS = {
  userPoolId: '/shop/identity/user-pool-id',
  userPoolArn: '/shop/identity/user-pool-arn',
  userPoolClientId: '/shop/identity/user-pool-client-id',
  staffUserPoolId: '/shop/identity/staff-user-pool-id',
  staffUserPoolArn: '/shop/identity/staff-user-pool-arn',
  staffUserPoolClientId: '/shop/identity/staff-user-pool-client-id',
} as const;

/**
 * The claim the staff pool's pre-token-generation trigger adds to its ID tokens: the sign-in
 * took a second factor, an authenticator app's code. Not `amr`, which Cognito documents as a
 * claim a trigger cannot modify (ADR 0021); the Verified Access policy reads this one.
 */
export const STAFF_SECOND_FACTOR_CLAIM = { second_factor: 'totp' } as const;

/**
 * The staff pool's pre-token-generation trigger (V2): every ID token it issues says that the
 * sign-in took a second factor (`second_factor: "totp"`), which holds because the pool requires
 * TOTP at every sign-in (ADR 0021). It adds nothing else and reads nothing.
 */
export const STAFF_MFA_CLAIM_HANDLER = `exports.handler = async (event) => {
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: { second_factor: 'totp' } },
    },
  };
  return event;
};
`;

/**
 * The shop's identities, in a stack of its own that is retained on delete, so tearing the
 * platform down never deletes a user: the user pool (customers sign themselves up, MFA optional)
 * with the customer groups, and the staff user pool with the staff groups, where an administrator
 * creates each member of staff and every sign-in needs a TOTP code (`mfa: Mfa.REQUIRED`): Cognito
 * requires MFA for a whole pool or for nobody, never for a group (ADR 0019). No staff group is in
 * the customer pool, and the services believe the staff groups only from the staff pool's tokens.
 *
 * @example
 * ```ts
 * new IdentityStack(app, 'ShopIdentity', { env });
 * ```
 */
export class IdentityStack extends Stack {
  readonly userPool: UserPool;
  readonly staffUserPool: UserPool;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    Tags.of(this).add(SERVICE_TAG, PLATFORM_OWNER);

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: 'shop',
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'Customers sign themselves up and choose whether to use MFA (TOTP is offered); Cognito cannot require MFA per group, so staff sign in to the staff user pool, which requires it (ADR 0019), and threat protection runs in full-function mode for every sign-in.',
    });

    CUSTOMER_GROUPS.forEach((groupName, precedence) => {
      new CfnUserPoolGroup(this, groupName, {
        userPoolId: this.userPool.userPoolId,
        groupName,
        precedence,
        description: `Members are ${groupName} in the Cedar policies`,
      });
    });

    const client = this.userPool.addClient('WebClient', {
      userPoolClientName: 'shop-web',
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
    });
    new StringParameter(this, 'UserPoolClientIdParameter', {
      parameterName: IDENTITY_PARAMETERS.userPoolClientId,
      stringValue: client.userPoolClientId,
    });
    new StringParameter(this, 'UserPoolIdParameter', {
      parameterName: IDENTITY_PARAMETERS.userPoolId,
      stringValue: this.userPool.userPoolId,
    });
    new StringParameter(this, 'UserPoolArnParameter', {
      parameterName: IDENTITY_PARAMETERS.userPoolArn,
      stringValue: this.userPool.userPoolArn,
    });

    this.staffUserPool = this.staffPool();
  }

  /** The staff user pool: no sign-up, TOTP required at every sign-in, the staff groups. */
  private staffPool(): UserPool {
    const pool = new UserPool(this, 'StaffUserPool', {
      userPoolName: 'shop-staff',
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(1),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.addMfaClaim(pool);
    STAFF_GROUPS.forEach((groupName, precedence) => {
      new CfnUserPoolGroup(this, `Staff${groupName}`, {
        userPoolId: pool.userPoolId,
        groupName,
        precedence,
        description: `Members are ${groupName} in the Cedar policies`,
      });
    });
    const client = pool.addClient('StaffWebClient', {
      userPoolClientName: 'shop-staff-web',
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
    });
    new StringParameter(this, 'StaffUserPoolClientIdParameter', {
      parameterName: IDENTITY_PARAMETERS.staffUserPoolClientId,
      stringValue: client.userPoolClientId,
    });
    new StringParameter(this, 'StaffUserPoolIdParameter', {
      parameterName: IDENTITY_PARAMETERS.staffUserPoolId,
      stringValue: pool.userPoolId,
    });
    new StringParameter(this, 'StaffUserPoolArnParameter', {
      parameterName: IDENTITY_PARAMETERS.staffUserPoolArn,
      stringValue: pool.userPoolArn,
    });
    return pool;
  }

  /**
   * The staff pool's pre-token-generation trigger, which adds `second_factor: "totp"` to its ID tokens
   * (ADR 0021): only on a pool that requires MFA, where every token follows a second factor.
   */
  private addMfaClaim(pool: UserPool): void {
    const logGroup = new LogGroup(this, 'StaffMfaClaimLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new Role(this, 'StaffMfaClaimRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'The staff pool’s pre-token-generation trigger: writes its own logs only',
    });
    logGroup.grantWrite(role);
    const fn = new LambdaFunction(this, 'StaffMfaClaim', {
      functionName: 'shop-staff-mfa-claim',
      description:
        'Adds second_factor: totp to the ID tokens of the staff pool, which requires TOTP',
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline(STAFF_MFA_CLAIM_HANDLER),
      role,
      logGroup,
      timeout: Duration.seconds(3),
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The project pins nodejs22.x, as every function of the shop; moving to a newer runtime is a deliberate upgrade, not a drift.',
    });
    pool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, fn, LambdaVersion.V2_0);
  }
}
