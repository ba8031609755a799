import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createApp, IDENTITY_PARAMETERS, IdentityStack, USER_GROUPS } from '../src/index.js';

describe('IdentityStack', () => {
  const { app } = createApp();
  const template = Template.fromStack(
    new IdentityStack(app, 'ShopIdentity', {
      env: { account: '111122223333', region: 'eu-west-1' },
    }),
  );

  it('keeps the user pool when the stack is deleted', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { DeletionProtection: 'ACTIVE' },
    });
  });

  it('creates the four groups the Cedar policies name', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (group) => group['Properties']['GroupName'],
    );

    expect(groups.sort()).toEqual([...USER_GROUPS].sort());
  });

  it('publishes the pool through SSM parameters', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: IDENTITY_PARAMETERS.userPoolId });
  });

  it('passes the cdk-nag AwsSolutions checks, with its one acknowledgement', () => {
    expect(() => app.synth()).not.toThrow();
  });
});
