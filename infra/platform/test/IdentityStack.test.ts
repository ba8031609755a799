import { CUSTOMER_GROUPS, STAFF_GROUPS } from '@shop/contracts';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  createApp,
  IDENTITY_PARAMETERS,
  IdentityStack,
  STAFF_MFA_CLAIM_HANDLER,
  STAFF_SECOND_FACTOR_CLAIM,
} from '../src/index.js';

describe('IdentityStack', () => {
  const { app } = createApp();
  const template = Template.fromStack(
    new IdentityStack(app, 'ShopIdentity', {
      env: { account: '111122223333', region: 'eu-west-1' },
    }),
  );

  const pools = template.findResources('AWS::Cognito::UserPool');
  const poolNamed = (name: string) =>
    Object.entries(pools).find(([, pool]) => pool['Properties']['UserPoolName'] === name);
  const groupsOf = (name: string) =>
    Object.values(template.findResources('AWS::Cognito::UserPoolGroup'))
      .filter((group) => group['Properties']['UserPoolId']['Ref'] === poolNamed(name)?.[0])
      .map((group) => group['Properties']['GroupName'])
      .sort();

  it('keeps both user pools when the stack is deleted', () => {
    expect(Object.keys(pools)).toHaveLength(2);
    for (const pool of Object.values(pools)) {
      expect(pool).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { DeletionProtection: 'ACTIVE' },
      });
    }
  });

  it('lets customers sign themselves up and choose TOTP MFA', () => {
    expect(poolNamed('shop')?.[1]['Properties']).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
    });
  });

  it('requires a TOTP code at every staff sign-in, and no SMS, in a pool nobody signs up to', () => {
    expect(poolNamed('shop-staff')?.[1]['Properties']).toMatchObject({
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'shop-staff-web',
      ExplicitAuthFlows: Match.arrayEquals(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    });
  });

  it('puts the customer groups in the customer pool, and the staff groups in the staff pool only', () => {
    expect(groupsOf('shop')).toEqual([...CUSTOMER_GROUPS].sort());
    expect(groupsOf('shop-staff')).toEqual([...STAFF_GROUPS].sort());
  });

  it('adds second_factor: "totp" to ID tokens only in the pool that requires MFA, by a V2 pre-token-generation trigger', () => {
    const withTrigger = Object.values(pools).filter(
      (pool) => pool['Properties']['LambdaConfig']?.['PreTokenGenerationConfig'] !== undefined,
    );
    expect(withTrigger).toHaveLength(1);
    expect(withTrigger[0]?.['Properties']).toMatchObject({
      UserPoolName: 'shop-staff',
      MfaConfiguration: 'ON',
      LambdaConfig: {
        PreTokenGenerationConfig: {
          LambdaVersion: 'V2_0',
          LambdaArn: { 'Fn::GetAtt': [expect.stringMatching(/^StaffMfaClaim[0-9A-F]+$/), 'Arn'] },
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [poolNamed('shop-staff')?.[0], 'Arn'] },
    });
  });

  it('answers the trigger with second_factor: "totp" in the ID token and nothing else', async () => {
    const module = { exports: {} as { handler?: (event: object) => Promise<unknown> } };
    new Function('exports', 'module', STAFF_MFA_CLAIM_HANDLER)(module.exports, module);
    const answer = await module.exports.handler?.({ version: '2', request: {}, response: {} });

    expect(answer).toEqual({
      version: '2',
      request: {},
      response: {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: STAFF_SECOND_FACTOR_CLAIM },
        },
      },
    });
  });

  it('publishes the pool through SSM parameters', () => {
    for (const name of Object.values(IDENTITY_PARAMETERS)) {
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: name });
    }
  });

  it('passes the cdk-nag AwsSolutions checks, with its acknowledgements', () => {
    expect(() => app.synth()).not.toThrow();
  });
});
