import type { PolicyDocument } from '@shop/topology';
import { describe, expect, it } from 'vitest';
import { createRequestAuthorizer } from '../../src/iam/authorizeRequest.js';

const scope = { region: 'eu-west-1', account: '111122223333' };
const ORDER_ROLE = 'arn:aws:iam::111122223333:role/shop/order/order-place';
const order = {
  roleArn: ORDER_ROLE,
  principal: 'arn:aws:sts::111122223333:assumed-role/order-place/order-place',
};
const TABLE = 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders';
const QUEUE = 'arn:aws:sqs:eu-west-1:111122223333:order-events';
const BUS = 'arn:aws:events:eu-west-1:111122223333:event-bus/shop';
const policy = (...Statement: Record<string, unknown>[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement,
});

const authorizer = createRequestAuthorizer(
  {
    identity: {
      [ORDER_ROLE]: [
        policy(
          {
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:Query'],
            Resource: [TABLE, `${TABLE}/index/*`],
          },
          {
            Effect: 'Allow',
            Action: 'events:PutEvents',
            Resource: BUS,
            Condition: {
              'ForAllValues:StringEquals': { 'events:source': ['shop.order'] },
              Null: { 'events:source': 'false' },
            },
          },
          { Effect: 'Allow', Action: 'sqs:DeleteMessage', Resource: QUEUE },
        ),
      ],
    },
    resource: {
      [QUEUE]: policy(
        {
          Effect: 'Allow',
          Principal: { AWS: ORDER_ROLE },
          Action: 'sqs:ReceiveMessage',
          Resource: QUEUE,
        },
        { Effect: 'Deny', Principal: '*', Action: 'sqs:DeleteMessage', Resource: QUEUE },
      ),
    },
  },
  scope,
);
const ask = (action: string, resource: string, context: Record<string, string[]> = {}) =>
  authorizer.authorize(order, { action, resource, context });

describe('createRequestAuthorizer, same-account semantics', () => {
  it('allows what the identity policy grants, on the table and its indexes', async () => {
    expect(await ask('dynamodb:GetItem', TABLE)).toEqual({ allowed: true, grantedBy: 'identity' });
    expect(await ask('dynamodb:Query', `${TABLE}/index/byCustomer`)).toMatchObject({
      allowed: true,
    });
  });

  it('allows what only the resource policy grants to the role (the session matches its role)', async () => {
    expect(await ask('sqs:ReceiveMessage', QUEUE)).toEqual({
      allowed: true,
      grantedBy: 'resource',
    });
  });

  it('denies what no policy grants, and what a resource policy denies despite an identity grant', async () => {
    expect(await ask('dynamodb:PutItem', TABLE)).toEqual({ allowed: false, reason: 'NoAllow' });
    expect(await ask('sqs:SendMessage', QUEUE)).toEqual({ allowed: false, reason: 'NoAllow' });
    expect(await ask('sqs:DeleteMessage', QUEUE)).toEqual({
      allowed: false,
      reason: 'ExplicitDenyInResourcePolicy',
    });
  });

  it('evaluates the condition keys of each PutEvents entry', async () => {
    expect(
      await ask('events:PutEvents', BUS, {
        'events:source': ['shop.order'],
        'events:detail-type': ['OrderPlaced'],
      }),
    ).toMatchObject({ allowed: true });
    expect(
      await ask('events:PutEvents', BUS, {
        'events:source': ['shop.payment'],
        'events:detail-type': ['PaymentSucceeded'],
      }),
    ).toEqual({ allowed: false, reason: 'NoAllow' });
  });

  it('denies a role it has no policies for', async () => {
    const stranger = {
      roleArn: 'arn:aws:iam::111122223333:role/shop/payment/payment-charge',
      principal: 'arn:aws:sts::111122223333:assumed-role/payment-charge/payment-charge',
    };
    expect(
      await authorizer.authorize(stranger, {
        action: 'dynamodb:GetItem',
        resource: TABLE,
        context: {},
      }),
    ).toEqual({ allowed: false, reason: 'NoAllow' });
  });
});
