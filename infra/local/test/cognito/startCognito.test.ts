import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { identityTokenVerifier } from '@shop/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCognito, startCognito } from '../../src/cognito/index.js';
import { rawRequest } from '../rawHttp.js';

let cognito: LocalCognito;
let client: CognitoIdentityProviderClient;

beforeAll(async () => {
  cognito = await startCognito({
    port: 0,
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_local',
    clientId: 'client-1',
    users: [
      { username: 'ada', password: 'Local-ada-1!', email: 'ada@example.com', groups: ['Admins'] },
    ],
  });
  client = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: cognito.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await cognito.close();
});

const signIn = (password: string, clientId = 'client-1') =>
  client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: 'ada', PASSWORD: password },
    }),
  );

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;

describe('the local user pool', () => {
  it('signs a user in with the real SDK and answers ID and access tokens with Cognito claims', async () => {
    const { AuthenticationResult } = await signIn('Local-ada-1!');

    expect(AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
    expect(claimsOf(String(AuthenticationResult?.IdToken))).toMatchObject({
      sub: cognito.subOf('ada'),
      aud: 'client-1',
      token_use: 'id',
      'cognito:username': 'ada',
      'cognito:groups': ['Admins'],
      iss: cognito.issuer,
      email: 'ada@example.com',
    });
    expect(claimsOf(String(AuthenticationResult?.AccessToken))).toMatchObject({
      client_id: 'client-1',
      token_use: 'access',
      username: 'ada',
    });
  });

  it('issues tokens that aws-jwt-verify accepts against its JWKS', async () => {
    const { AuthenticationResult } = await signIn('Local-ada-1!');
    const verify = identityTokenVerifier({
      userPoolId: 'eu-west-1_local',
      clientId: 'client-1',
      issuer: cognito.issuer,
    });

    expect(await verify(String(AuthenticationResult?.IdToken))).toEqual({
      sub: cognito.subOf('ada'),
      username: 'ada',
      groups: ['Admins'],
    });
    await expect(verify(String(AuthenticationResult?.AccessToken))).rejects.toThrow();
  });

  it('answers 404 to a GET of a target no URL parses (`//[`), and keeps serving', async () => {
    const odd = await rawRequest(cognito.endpoint, { method: 'GET', path: '//[' });
    const jwks = await fetch(`${cognito.issuer}/.well-known/jwks.json`);

    expect(odd.status).toBe(404);
    expect(jwks.status).toBe(200);
  });

  it('refuses a wrong password and an unknown client', async () => {
    await expect(signIn('guess')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(signIn('Local-ada-1!', 'client-2')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
