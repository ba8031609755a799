import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { identityTokenVerifier } from '@shop/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalCognito,
  newTotpSecret,
  startCognito,
  totpCode,
} from '../../src/cognito/index.js';
import { rawRequest } from '../rawHttp.js';

let cognito: LocalCognito;
let client: CognitoIdentityProviderClient;

beforeAll(async () => {
  cognito = await startCognito({
    port: 0,
    region: 'eu-west-1',
    pools: [
      {
        userPoolId: 'eu-west-1_local',
        clientId: 'client-1',
        users: [
          {
            username: 'alice',
            password: 'Local-alice-1!',
            email: 'alice@example.com',
            groups: ['RegularCustomers'],
          },
        ],
      },
      {
        userPoolId: 'eu-west-1_localstaff',
        clientId: 'staff-client',
        users: [
          {
            username: 'ada',
            password: 'Local-ada-1!',
            email: 'ada@example.com',
            groups: ['Admins'],
          },
        ],
      },
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

const signIn = (password: string, clientId = 'staff-client', username = 'ada') =>
  client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;

describe('the local user pools', () => {
  it('signs a user in with the real SDK and answers ID and access tokens with Cognito claims', async () => {
    const { AuthenticationResult } = await signIn('Local-ada-1!');

    expect(AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
    expect(claimsOf(String(AuthenticationResult?.IdToken))).toMatchObject({
      sub: cognito.subOf('ada'),
      aud: 'staff-client',
      token_use: 'id',
      'cognito:username': 'ada',
      'cognito:groups': ['Admins'],
      iss: cognito.issuerOf('eu-west-1_localstaff'),
      email: 'ada@example.com',
    });
    expect(claimsOf(String(AuthenticationResult?.AccessToken))).toMatchObject({
      client_id: 'staff-client',
      token_use: 'access',
      username: 'ada',
    });
  });

  it('signs each user in to the pool of the client only, with that pool as issuer', async () => {
    const alice = await signIn('Local-alice-1!', 'client-1', 'alice');

    expect(claimsOf(String(alice.AuthenticationResult?.IdToken))).toMatchObject({
      aud: 'client-1',
      iss: cognito.issuerOf('eu-west-1_local'),
    });
    await expect(signIn('Local-ada-1!', 'client-1')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    await expect(signIn('Local-alice-1!', 'staff-client', 'alice')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  it('issues tokens that aws-jwt-verify accepts against each pool’s own JWKS', async () => {
    const ada = await signIn('Local-ada-1!');
    const alice = await signIn('Local-alice-1!', 'client-1', 'alice');
    const verify = identityTokenVerifier({
      customers: {
        userPoolId: 'eu-west-1_local',
        clientId: 'client-1',
        issuer: cognito.issuerOf('eu-west-1_local'),
      },
      staff: {
        userPoolId: 'eu-west-1_localstaff',
        clientId: 'staff-client',
        issuer: cognito.issuerOf('eu-west-1_localstaff'),
      },
    });
    const [customerKeys, staffKeys] = await Promise.all(
      ['eu-west-1_local', 'eu-west-1_localstaff'].map(async (pool) =>
        (await fetch(`${cognito.issuerOf(pool)}/.well-known/jwks.json`)).json(),
      ),
    );

    expect(await verify(String(ada.AuthenticationResult?.IdToken))).toEqual({
      sub: cognito.subOf('ada'),
      username: 'ada',
      groups: ['Admins'],
    });
    expect(await verify(String(alice.AuthenticationResult?.IdToken))).toMatchObject({
      username: 'alice',
      groups: ['RegularCustomers'],
    });
    await expect(verify(String(ada.AuthenticationResult?.AccessToken))).rejects.toThrow();
    expect(customerKeys).not.toEqual(staffKeys);
  });

  it('answers 404 to a GET of a target no URL parses (`//[`), and keeps serving', async () => {
    const odd = await rawRequest(cognito.endpoint, { method: 'GET', path: '//[' });
    const jwks = await fetch(`${cognito.issuerOf('eu-west-1_local')}/.well-known/jwks.json`);

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

describe('software token MFA', () => {
  const secret = newTotpSecret();
  let clock = new Date('2026-11-29T12:00:00Z');
  let pool: LocalCognito;
  let mfaClient: CognitoIdentityProviderClient;

  beforeAll(async () => {
    pool = await startCognito({
      port: 0,
      region: 'eu-west-1',
      now: () => clock,
      pools: [
        {
          userPoolId: 'eu-west-1_local',
          clientId: 'client-1',
          users: [
            {
              username: 'ada',
              password: 'Local-ada-1!',
              email: 'ada@example.com',
              groups: ['Admins'],
              totpSecret: secret,
            },
            {
              username: 'alice',
              password: 'Local-alice-1!',
              email: 'alice@example.com',
              groups: ['RegularCustomers'],
            },
          ],
          claimsAfterMfa: { second_factor: 'totp' },
        },
      ],
    });
    mfaClient = new CognitoIdentityProviderClient({
      region: 'eu-west-1',
      endpoint: pool.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    mfaClient.destroy();
    await pool.close();
  });

  const initiate = (username: string, password: string) =>
    mfaClient.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: 'client-1',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  const respond = (session: string | undefined, code: string) =>
    mfaClient.send(
      new RespondToAuthChallengeCommand({
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        ClientId: 'client-1',
        Session: session,
        ChallengeResponses: { USERNAME: 'ada', SOFTWARE_TOKEN_MFA_CODE: code },
      }),
    );
  /** A code that is none of the three the pool accepts now. */
  const wrongCode = () => {
    const accepted = [-30_000, 0, 30_000].map((skew) =>
      totpCode(secret, new Date(clock.getTime() + skew)),
    );
    return ['000000', '111111', '222222', '333333'].find((code) => !accepted.includes(code)) ?? '';
  };

  it('gives an Admin no token for the password alone, but the SOFTWARE_TOKEN_MFA challenge', async () => {
    const answer = await initiate('ada', 'Local-ada-1!');

    expect(answer.AuthenticationResult).toBeUndefined();
    expect(answer.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(answer.Session).toEqual(expect.any(String));
  });

  it('issues the Admin’s tokens for the code of the authenticator app', async () => {
    const { Session } = await initiate('ada', 'Local-ada-1!');
    const { AuthenticationResult } = await respond(Session, totpCode(secret, clock));

    expect(claimsOf(String(AuthenticationResult?.IdToken))).toMatchObject({
      'cognito:username': 'ada',
      'cognito:groups': ['Admins'],
      token_use: 'id',
    });
  });

  it('adds the claims of its pre-token-generation trigger to the ID token after the challenge only', async () => {
    const { Session } = await initiate('ada', 'Local-ada-1!');
    const { AuthenticationResult } = await respond(Session, totpCode(secret, clock));
    const customer = await initiate('alice', 'Local-alice-1!');

    expect(claimsOf(String(AuthenticationResult?.IdToken))['second_factor']).toBe('totp');
    expect(claimsOf(String(AuthenticationResult?.AccessToken))).not.toHaveProperty('second_factor');
    expect(claimsOf(String(customer.AuthenticationResult?.IdToken))).not.toHaveProperty(
      'second_factor',
    );
  });

  it('accepts the code of the step before or after, and not two steps away', async () => {
    const step = (steps: number) => totpCode(secret, new Date(clock.getTime() + steps * 30_000));

    await expect(
      respond((await initiate('ada', 'Local-ada-1!')).Session, step(-1)),
    ).resolves.toMatchObject({ AuthenticationResult: expect.any(Object) });
    await expect(
      respond((await initiate('ada', 'Local-ada-1!')).Session, step(1)),
    ).resolves.toMatchObject({ AuthenticationResult: expect.any(Object) });
    await expect(
      respond((await initiate('ada', 'Local-ada-1!')).Session, step(2)),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });
  });

  it('refuses a wrong code, and the session it spent', async () => {
    const { Session } = await initiate('ada', 'Local-ada-1!');

    await expect(respond(Session, wrongCode())).rejects.toMatchObject({
      name: 'CodeMismatchException',
      message: 'Invalid code or auth state for the user.',
    });
    await expect(respond(Session, totpCode(secret, clock))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });
  });

  it('refuses a session answered once already, an expired one and one it never issued', async () => {
    const used = (await initiate('ada', 'Local-ada-1!')).Session;
    await respond(used, totpCode(secret, clock));
    const late = (await initiate('ada', 'Local-ada-1!')).Session;
    clock = new Date(clock.getTime() + 181_000);

    await expect(respond(used, totpCode(secret, clock))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });
    await expect(respond(late, totpCode(secret, clock))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
    await expect(respond('not-a-session', totpCode(secret, clock))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  it("refuses an Admin's session answered in another user's name, and spends it", async () => {
    const { Session } = await initiate('ada', 'Local-ada-1!');
    const answerAs = (username: string) =>
      mfaClient.send(
        new RespondToAuthChallengeCommand({
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          ClientId: 'client-1',
          Session,
          ChallengeResponses: {
            USERNAME: username,
            SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, clock),
          },
        }),
      );

    await expect(answerAs('alice')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
    await expect(answerAs('ada')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('signs a customer in with the password alone, as before', async () => {
    const answer = await initiate('alice', 'Local-alice-1!');

    expect(answer.ChallengeName).toBeUndefined();
    expect(claimsOf(String(answer.AuthenticationResult?.IdToken))).toMatchObject({
      'cognito:username': 'alice',
      'cognito:groups': ['RegularCustomers'],
    });
  });
});
