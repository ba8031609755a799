import { PLATFORM_PARAMETERS, STAFF_CONSOLE_SIGN_IN, staffAccessPolicy } from '@shop/platform';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesizePlatform } from './stacks.js';

const { platform } = synthesizePlatform().templates;

const refTo = (type: string): string => {
  const [id, ...others] = Object.keys(platform.findResources(type));
  expect(others).toEqual([]);
  return id ?? '';
};

describe('the staff entry behind Verified Access', () => {
  it('has one Verified Access instance trusting the staff user pool and Jamf devices', () => {
    platform.resourceCountIs('AWS::EC2::VerifiedAccessTrustProvider', 2);
    platform.hasResourceProperties('AWS::EC2::VerifiedAccessTrustProvider', {
      TrustProviderType: 'user',
      UserTrustProviderType: 'oidc',
      PolicyReferenceName: 'staff',
      OidcOptions: Match.objectLike({
        Issuer: Match.objectLike({
          'Fn::Join': ['', Match.arrayWith(['https://cognito-idp.eu-west-1.amazonaws.com/'])],
        }),
        Scope: 'openid email profile',
      }),
    });
    platform.hasResourceProperties('AWS::EC2::VerifiedAccessTrustProvider', {
      TrustProviderType: 'device',
      DeviceTrustProviderType: 'jamf',
      PolicyReferenceName: 'jamf',
      DeviceOptions: { TenantId: { Ref: 'JamfTenantId' } },
    });
    platform.resourceCountIs('AWS::EC2::VerifiedAccessInstance', 1);
    platform.hasResourceProperties('AWS::EC2::VerifiedAccessInstance', {
      VerifiedAccessTrustProviderIds: [
        { 'Fn::GetAtt': [Match.stringLikeRegexp('UserTrustProvider'), Match.anyValue()] },
        { 'Fn::GetAtt': [Match.stringLikeRegexp('DeviceTrustProvider'), Match.anyValue()] },
      ],
      LoggingConfigurations: Match.objectLike({ IncludeTrustContext: true }),
    });
  });

  it('takes the user pool from the staff pool, through a confidential client of its own', () => {
    platform.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'shop-staff-verified-access',
      GenerateSecret: true,
      AllowedOAuthFlows: ['code'],
      UserPoolId: { Ref: Match.stringLikeRegexp('staffuserpoolid') },
    });
    platform.hasParameter('*', {
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: '/shop/identity/staff-user-pool-id',
    });
  });

  it('gives the console a public client of its own: authorization code only, its callback on the staff domain, short tokens', () => {
    const consoleClients = platform.findResources('AWS::Cognito::UserPoolClient', {
      Properties: { ClientName: STAFF_CONSOLE_SIGN_IN.clientName },
    });
    const [properties, ...others] = Object.values(consoleClients).map(
      (resource) => resource['Properties'],
    );
    expect(others).toEqual([]);
    expect(properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [
        { 'Fn::Join': ['', ['https://', { Ref: 'StaffDomainName' }, '/console/callback']] },
      ],
      LogoutURLs: [{ 'Fn::Join': ['', ['https://', { Ref: 'StaffDomainName' }, '/console/']] }],
      IdTokenValidity: 15,
      AccessTokenValidity: 15,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      UserPoolId: { Ref: expect.stringMatching(/staffuserpoolid/) },
    });
    expect(properties?.['ExplicitAuthFlows']).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('publishes the console’s client and the managed login where the console stack reads them', () => {
    platform.hasResourceProperties('AWS::SSM::Parameter', {
      Name: PLATFORM_PARAMETERS.staffConsoleClientId,
      Value: { Ref: Match.stringLikeRegexp('ConsoleClient') },
    });
    platform.hasResourceProperties('AWS::SSM::Parameter', {
      Name: PLATFORM_PARAMETERS.staffManagedLoginUrl,
      Value: Match.objectLike({
        'Fn::Join': [
          '',
          Match.arrayWith(['https://', { Ref: Match.stringLikeRegexp('StaffSignIn') }]),
        ],
      }),
    });
  });

  it('lets the staff group in by the policy of its one file, which is enabled', () => {
    platform.resourceCountIs('AWS::EC2::VerifiedAccessGroup', 1);
    platform.hasResourceProperties('AWS::EC2::VerifiedAccessGroup', {
      VerifiedAccessInstanceId: {
        'Fn::GetAtt': [refTo('AWS::EC2::VerifiedAccessInstance'), 'VerifiedAccessInstanceId'],
      },
      PolicyDocument: staffAccessPolicy(),
      PolicyEnabled: true,
    });
    expect(staffAccessPolicy()).toContain('context.staff["cognito:groups"].contains("Admins")');
  });

  it('puts a load-balancer endpoint in front of an internal load balancer listening on HTTPS only', () => {
    platform.hasResourceProperties('AWS::EC2::VerifiedAccessEndpoint', {
      EndpointType: 'load-balancer',
      AttachmentType: 'vpc',
      ApplicationDomain: { Ref: 'StaffDomainName' },
      DomainCertificateArn: { Ref: 'StaffCertificateArn' },
      VerifiedAccessGroupId: {
        'Fn::GetAtt': [refTo('AWS::EC2::VerifiedAccessGroup'), 'VerifiedAccessGroupId'],
      },
      LoadBalancerOptions: Match.objectLike({
        LoadBalancerArn: { Ref: refTo('AWS::ElasticLoadBalancingV2::LoadBalancer') },
        Port: 443,
        Protocol: 'https',
      }),
    });
    platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Type: 'application',
    });
    for (const attribute of [
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
    ]) {
      platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([attribute]),
      });
    }
    platform.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: 'StaffCertificateArn' } }],
      DefaultActions: [Match.objectLike({ Type: 'fixed-response' })],
    });
    platform.hasResourceProperties('AWS::SSM::Parameter', {
      Name: PLATFORM_PARAMETERS.staffListenerArn,
    });
  });

  it('lets only the endpoint reach the load balancer', () => {
    platform.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      GroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('LoadBalancerSecurityGroup'), 'GroupId'],
      },
      SourceSecurityGroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('EndpointSecurityGroup'), 'GroupId'],
      },
    });
  });
});
