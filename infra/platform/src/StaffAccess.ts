import { readFileSync } from 'node:fs';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  type CfnUserPoolClient,
  type IUserPool,
  OAuthScope,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import {
  CfnVerifiedAccessEndpoint,
  CfnVerifiedAccessGroup,
  CfnVerifiedAccessInstance,
  CfnVerifiedAccessTrustProvider,
  type IVpc,
  Port,
  SecurityGroup,
  SubnetType,
} from 'aws-cdk-lib/aws-ec2';
import {
  ApplicationLoadBalancer,
  ApplicationProtocol,
  type IApplicationListener,
  ListenerAction,
  ListenerCertificate,
  SslPolicy,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AccountPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { FactName } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { IDENTITY_PARAMETERS } from './IdentityStack.js';

/** The policy reference names the staff group's Cedar policy reads its context by. */
export const STAFF_TRUST_CONTEXT = { user: 'staff', device: 'jamf' } as const;

/**
 * The staff console's own sign-in (ADR 0026): a public app client of the staff pool, whose
 * authorization code (PKCE, S256) comes back to the console's callback on the staff domain, and
 * the console's page it signs out to.
 */
export const STAFF_CONSOLE_SIGN_IN = {
  clientName: 'shop-staff-console',
  callbackPath: '/console/callback',
  signedOutPath: '/console/',
} as const;

/** The file of the staff group's Cedar policy, the one source of it in AWS and locally. */
export const STAFF_ACCESS_POLICY_FILE = new URL(
  '../verified-access/staff-access.cedar',
  import.meta.url,
);

/**
 * The Cedar policy of the staff Verified Access group, as its file holds it.
 *
 * @example
 * ```ts
 * new CfnVerifiedAccessGroup(this, 'Staff', { policyDocument: staffAccessPolicy(), ... });
 * ```
 */
export const staffAccessPolicy = (): string => readFileSync(STAFF_ACCESS_POLICY_FILE, 'utf8');

export interface StaffAccessProps {
  /** The platform VPC: the load balancer and the endpoint's interfaces live in its isolated subnets. */
  readonly vpc: IVpc;
  /** The domain staff open, e.g. `staff.shop.example.com`. */
  readonly applicationDomain: string;
  /** The ACM certificate of `applicationDomain`, for the endpoint and the load balancer's listener. */
  readonly certificateArn: string;
  /** The Jamf tenant whose device posture the device trust provider reads. */
  readonly jamfTenantId: string;
}

/**
 * The staff entry of the shop (ADR 0021): AWS Verified Access in front of an internal
 * Application Load Balancer. Every request is checked by Verified Access against the staff
 * group's Cedar policy (the user from the staff user pool over OIDC, policy reference `staff`;
 * the device from Jamf, `jamf`), then reaches the load balancer's HTTPS listener, whose rules
 * (added by the service stacks) invoke each service's staff function. The listener answers 404
 * to any path no service claims. Access logs: the instance's to CloudWatch Logs with the trust
 * context, the load balancer's to S3.
 *
 * @example
 * ```ts
 * const staff = new StaffAccess(this, 'StaffAccess', { vpc, applicationDomain, certificateArn, jamfTenantId });
 * staff.listener; // where the service stacks add their rules
 * ```
 */
export class StaffAccess extends Construct {
  readonly listener: IApplicationListener;
  readonly loadBalancerSecurityGroup: SecurityGroup;
  /**
   * The Verified Access instance's ARN: the `signer` of the user context it adds, which the
   * staff functions require.
   */
  readonly instanceArn: string;
  /**
   * The staff console's sign-in: its public app client and the staff pool's managed login,
   * e.g. `https://shop-staff-<account>.auth.<region>.amazoncognito.com`.
   */
  readonly consoleSignIn: { readonly clientId: string; readonly managedLoginUrl: string };

  constructor(scope: Construct, id: string, props: StaffAccessProps) {
    super(scope, id);
    const isolated = props.vpc.selectSubnets({ subnetType: SubnetType.PRIVATE_ISOLATED });

    const endpointSecurityGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'The staff Verified Access endpoint: HTTPS to the staff load balancer only',
    });
    this.loadBalancerSecurityGroup = new SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'The staff load balancer: HTTPS from the Verified Access endpoint only',
    });
    this.loadBalancerSecurityGroup.addIngressRule(
      endpointSecurityGroup,
      Port.tcp(443),
      'HTTPS from the staff Verified Access endpoint',
    );
    endpointSecurityGroup.addEgressRule(
      this.loadBalancerSecurityGroup,
      Port.tcp(443),
      'HTTPS to the staff load balancer',
    );

    const loadBalancer = new ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: false,
      vpcSubnets: { subnets: isolated.subnets },
      securityGroup: this.loadBalancerSecurityGroup,
      dropInvalidHeaderFields: true,
    });
    this.logAccess(loadBalancer);
    this.listener = loadBalancer.addListener('Https', {
      port: 443,
      protocol: ApplicationProtocol.HTTPS,
      certificates: [ListenerCertificate.fromArn(props.certificateArn)],
      sslPolicy: SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultAction: ListenerAction.fixedResponse(404, {
        contentType: 'application/json',
        messageBody: JSON.stringify({ code: 'NOT_FOUND', message: 'No such staff route' }),
      }),
    });

    const { trustProvider, consoleSignIn } = this.userTrustProvider(props.applicationDomain);
    this.consoleSignIn = consoleSignIn;
    const instance = new CfnVerifiedAccessInstance(this, 'Instance', {
      description: 'The shop staff entry',
      verifiedAccessTrustProviderIds: [
        trustProvider.attrVerifiedAccessTrustProviderId,
        new CfnVerifiedAccessTrustProvider(this, 'DeviceTrustProvider', {
          description: 'Device posture of staff laptops, from Jamf',
          trustProviderType: 'device',
          deviceTrustProviderType: 'jamf',
          policyReferenceName: STAFF_TRUST_CONTEXT.device,
          deviceOptions: { tenantId: props.jamfTenantId },
        }).attrVerifiedAccessTrustProviderId,
      ],
      loggingConfigurations: {
        includeTrustContext: true,
        cloudWatchLogs: {
          enabled: true,
          logGroup: new LogGroup(this, 'AccessLogs', {
            retention: RetentionDays.ONE_YEAR,
            removalPolicy: RemovalPolicy.RETAIN,
          }).logGroupName,
        },
      },
    });
    this.instanceArn = Stack.of(this).formatArn({
      service: 'ec2',
      resource: 'verified-access-instance',
      resourceName: instance.attrVerifiedAccessInstanceId,
    });
    const group = new CfnVerifiedAccessGroup(this, 'StaffGroup', {
      description: 'Staff: Operators and Admins, from a compliant device',
      verifiedAccessInstanceId: instance.attrVerifiedAccessInstanceId,
      policyDocument: staffAccessPolicy(),
      policyEnabled: true,
    });
    new CfnVerifiedAccessEndpoint(this, 'Endpoint', {
      description: 'The staff APIs, behind the internal staff load balancer',
      verifiedAccessGroupId: group.attrVerifiedAccessGroupId,
      attachmentType: 'vpc',
      endpointType: 'load-balancer',
      applicationDomain: props.applicationDomain,
      domainCertificateArn: props.certificateArn,
      endpointDomainPrefix: 'staff',
      securityGroupIds: [endpointSecurityGroup.securityGroupId],
      loadBalancerOptions: {
        loadBalancerArn: loadBalancer.loadBalancerArn,
        port: 443,
        protocol: 'https',
        subnetIds: isolated.subnetIds,
      },
    });
  }

  /**
   * The staff user pool as an OIDC provider: a confidential app client of its own for Verified
   * Access (authorization code, its callback on the application domain) and a Cognito domain
   * for its endpoints; beside it, the console's public client on the same domain.
   */
  private userTrustProvider(applicationDomain: string): {
    readonly trustProvider: CfnVerifiedAccessTrustProvider;
    readonly consoleSignIn: StaffAccess['consoleSignIn'];
  } {
    const { region } = Stack.of(this);
    const userPoolId = StringParameter.valueForStringParameter(
      this,
      IDENTITY_PARAMETERS.staffUserPoolId,
    );
    const userPool = UserPool.fromUserPoolId(this, 'StaffUserPool', userPoolId);
    const client = new UserPoolClient(this, 'VerifiedAccessClient', {
      userPool,
      userPoolClientName: 'shop-staff-verified-access',
      generateSecret: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`https://${applicationDomain}/oauth2/idpresponse`],
      },
    });
    const domain = new UserPoolDomain(this, 'StaffSignIn', {
      userPool,
      cognitoDomain: { domainPrefix: `shop-staff-${Stack.of(this).account}` },
    });
    const trustProvider = new CfnVerifiedAccessTrustProvider(this, 'UserTrustProvider', {
      description: 'Staff, signed in to the staff user pool (TOTP required)',
      trustProviderType: 'user',
      userTrustProviderType: 'oidc',
      policyReferenceName: STAFF_TRUST_CONTEXT.user,
      oidcOptions: {
        issuer: `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
        authorizationEndpoint: `${domain.baseUrl()}/oauth2/authorize`,
        tokenEndpoint: `${domain.baseUrl()}/oauth2/token`,
        userInfoEndpoint: `${domain.baseUrl()}/oauth2/userInfo`,
        clientId: client.userPoolClientId,
        // CloudFormation's own attribute: the client's secret never appears in the template.
        clientSecret: (client.node.defaultChild as CfnUserPoolClient).attrClientSecret,
        scope: 'openid email profile',
      },
    });
    return {
      trustProvider,
      consoleSignIn: {
        clientId: this.consoleClient(userPool, applicationDomain).userPoolClientId,
        managedLoginUrl: domain.baseUrl(),
      },
    };
  }

  /**
   * The staff console's own app client (ADR 0026): public (no secret: its pages hold nothing
   * secret), the authorization code grant only, which Cognito's managed login answers to PKCE
   * (the pages send an S256 challenge), no sign-in API flow, its one callback and sign-out URL on
   * the staff domain, and tokens of 15 minutes: the pages keep them in memory and sign in again,
   * silently while the managed login's session lasts.
   */
  private consoleClient(userPool: IUserPool, applicationDomain: string): UserPoolClient {
    const client = new UserPoolClient(this, 'ConsoleClient', {
      userPool,
      userPoolClientName: STAFF_CONSOLE_SIGN_IN.clientName,
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.minutes(15),
      accessTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(1),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`https://${applicationDomain}${STAFF_CONSOLE_SIGN_IN.callbackPath}`],
        logoutUrls: [`https://${applicationDomain}${STAFF_CONSOLE_SIGN_IN.signedOutPath}`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
    });
    // Without a list Cognito allows its default sign-in API flows (SRP, custom): refresh only.
    (client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = [
      'ALLOW_REFRESH_TOKEN_AUTH',
    ];
    return client;
  }

  /**
   * The staff load balancer's access logs, to a bucket its region's Elastic Load Balancing
   * account may write them to. Written here rather than with `logAccessLogs`, which needs a
   * region at synthesis: the platform synthesizes without one (CI, the local cloud), so the
   * account comes from a mapping of the regions.
   */
  private logAccess(loadBalancer: ApplicationLoadBalancer): void {
    const stack = Stack.of(this);
    const bucket = this.accessLogBucket();
    const prefix = 'staff';
    bucket.addToResourcePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        principals: [new AccountPrincipal(stack.regionalFact(FactName.ELBV2_ACCOUNT))],
        resources: [bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`)],
      }),
    );
    loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
    loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
    loadBalancer.setAttribute('access_logs.s3.prefix', prefix);
    loadBalancer.node.addDependency(bucket);
  }

  /** The staff load balancer's access logs: encrypted, private, TLS only, kept 400 days. */
  private accessLogBucket(): Bucket {
    const bucket = new Bucket(this, 'LoadBalancerLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(400) }],
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds the staff load balancer’s access logs; its own reads are by the log delivery service and the few people auditing them, recorded by CloudTrail.',
    });
    return bucket;
  }
}
