import { createServer } from 'node:http';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { PolicyDocument } from '@shop/topology';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeServers, listen } from '../../src/http/listen.js';
import {
  type EndpointKind,
  type IamDecisionLogEntry,
  type IamFront,
  issueLocalCredentials,
  startIamFront,
} from '../../src/iam/index.js';

const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';
const ORDER_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop/order/order-place`;
const RELAY_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop/order/order-outbox-relay`;
const BUS = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/shop`;
const FUNCTION = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:order-place`;
const policy = (...Statement: Record<string, unknown>[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement,
});
const credentials = issueLocalCredentials({
  roles: [{ roleArn: ORDER_ROLE }, { roleArn: RELAY_ROLE }],
});
const policies = {
  identity: {
    [RELAY_ROLE]: [
      policy({
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: BUS,
        Condition: {
          'ForAllValues:StringEquals': { 'events:source': ['shop.order'] },
          Null: { 'events:source': 'false' },
        },
      }),
    ],
  },
  resource: {
    // The Lambda resource policy lets the relay's role invoke the function, nobody else.
    [FUNCTION]: policy({
      Effect: 'Allow',
      Principal: { AWS: RELAY_ROLE },
      Action: 'lambda:InvokeFunction',
      Resource: FUNCTION,
    }),
  },
};

let forwarded = 0;
const upstream = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    forwarded += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{}');
  });
});
const decisions: IamDecisionLogEntry[] = [];
const fronts = new Map<EndpointKind, IamFront>();
beforeAll(async () => {
  const upstreamUrl = `http://127.0.0.1:${await listen(upstream, 0)}`;
  for (const kind of ['events', 'lambda', 'cognito-idp'] as const) {
    fronts.set(
      kind,
      await startIamFront({
        port: 0,
        upstream: upstreamUrl,
        kind,
        region: REGION,
        account: ACCOUNT,
        credentials,
        policies,
        onDecision: (entry) => decisions.push(entry),
      }),
    );
  }
});
afterAll(async () => {
  await Promise.all([...fronts.values()].map((front) => front.close()));
  await closeServers([upstream]);
});
beforeEach(() => {
  forwarded = 0;
  decisions.length = 0;
});

const endpointOf = (kind: EndpointKind): string => {
  const front = fronts.get(kind);
  if (front === undefined) throw new Error(`No ${kind} front`);
  return front.endpoint;
};
const config = (kind: EndpointKind, roleArn: string) => {
  const issued = credentials.forRole(roleArn);
  return {
    endpoint: endpointOf(kind),
    region: REGION,
    maxAttempts: 1,
    credentials: {
      accessKeyId: issued?.accessKeyId ?? '',
      secretAccessKey: issued?.secretAccessKey ?? '',
    },
  };
};
const sessionOf = (roleArn: string) => credentials.forRole(roleArn)?.principal ?? '';
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ name: 'none', message: 'the call succeeded' }),
    (error: Error) => ({ name: error.name, message: error.message }),
  );

describe('startIamFront before EventBridge, Lambda and Cognito', () => {
  it('authorizes PutEvents per entry: one entry with another source refuses the whole call', async () => {
    const client = new EventBridgeClient(config('events', RELAY_ROLE));
    const entry = (Source: string) => ({
      EventBusName: 'shop',
      Source,
      DetailType: 'OrderPlaced',
      Detail: '{}',
    });

    await client.send(new PutEventsCommand({ Entries: [entry('shop.order')] }));
    expect(forwarded).toBe(1);
    expect(
      await failure(
        client.send(
          new PutEventsCommand({ Entries: [entry('shop.order'), entry('shop.payment')] }),
        ),
      ),
    ).toEqual({
      name: 'AccessDeniedException',
      message: `User: ${sessionOf(RELAY_ROLE)} is not authorized to perform: events:PutEvents on resource: ${BUS} because no identity-based policy allows the events:PutEvents action`,
    });
    expect(forwarded).toBe(1);
    expect(decisions.map((d) => d.decision)).toEqual(['Allow', 'Allow', 'Deny']);
  });

  it('lets the Lambda resource policy grant Invoke, and refuses another role with 403', async () => {
    const invoke = (roleArn: string) =>
      new LambdaClient(config('lambda', roleArn)).send(
        new InvokeCommand({ FunctionName: 'order-place' }),
      );

    expect((await invoke(RELAY_ROLE)).StatusCode).toBe(200);
    expect(await failure(invoke(ORDER_ROLE))).toEqual({
      name: 'AccessDeniedException',
      message: `User: ${sessionOf(ORDER_ROLE)} is not authorized to perform: lambda:InvokeFunction on resource: ${FUNCTION} because no identity-based policy allows the lambda:InvokeFunction action`,
    });
    expect(decisions).toMatchObject([
      { action: 'lambda:InvokeFunction', decision: 'Allow', reason: 'ResourcePolicy' },
      { action: 'lambda:InvokeFunction', decision: 'Deny', reason: 'NoAllow' },
    ]);
  });

  it('forwards the unsigned Cognito operations and refuses an unsigned admin call', async () => {
    const unsigned = new CognitoIdentityProviderClient({
      endpoint: endpointOf('cognito-idp'),
      region: REGION,
      maxAttempts: 1,
    });
    await unsigned.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'c' }));
    const admin = await fetch(endpointOf('cognito-idp'), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminCreateUser',
      },
      body: '{"UserPoolId":"eu-west-1_local","Username":"mallory"}',
    });

    expect(forwarded).toBe(1);
    expect(await admin.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
    expect(
      await failure(
        new CognitoIdentityProviderClient(config('cognito-idp', ORDER_ROLE)).send(
          new AdminCreateUserCommand({ UserPoolId: 'eu-west-1_local', Username: 'mallory' }),
        ),
      ),
    ).toMatchObject({ name: 'AccessDeniedException' });
    expect(decisions.map((d) => d.reason)).toEqual([
      'UnauthenticatedOperation',
      'MissingAuthentication',
      'NoAllow',
    ]);
  });

  it('forwards the managed login’s pages and forms unsigned, and nothing else as a form', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const page = await fetch(`${endpointOf('cognito-idp')}/oauth2/authorize?client_id=c`);
    // A confidential client's secret: the managed login's own Authorization, not a signature.
    const token = await fetch(`${endpointOf('cognito-idp')}/oauth2/token`, {
      method: 'POST',
      headers: { ...form, authorization: `Basic ${Buffer.from('va:secret').toString('base64')}` },
      body: 'grant_type=authorization_code&code=c',
    });
    const adminAsForm = await fetch(endpointOf('cognito-idp'), {
      method: 'POST',
      headers: { ...form, 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminCreateUser' },
      body: 'UserPoolId=eu-west-1_local&Username=mallory',
    });

    expect([page.status, token.status]).toEqual([200, 200]);
    expect(await adminAsForm.json()).toMatchObject({
      __type: 'MissingAuthenticationTokenException',
    });
    expect(forwarded).toBe(2);
    expect(decisions.map((d) => [d.operation, d.reason])).toEqual([
      ['ManagedLogin', 'UnauthenticatedOperation'],
      ['ManagedLogin', 'UnauthenticatedOperation'],
      [undefined, 'MissingAuthentication'],
    ]);
  });
});
