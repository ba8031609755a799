import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { AwsServiceError } from '../http/awsErrors.js';
import { type RunningServer, startJsonProtocolServer } from '../http/jsonProtocolServer.js';

/** A user of the local pool. */
export interface LocalUser {
  readonly username: string;
  readonly password: string;
  readonly email: string;
  readonly groups: readonly string[];
}

export interface CognitoProps {
  /** 0 asks the OS for a free port. */
  readonly port: number;
  readonly region: string;
  /** e.g. `eu-west-1_local`. */
  readonly userPoolId: string;
  readonly clientId: string;
  readonly users: readonly LocalUser[];
  /** @default 3600 */
  readonly tokenValiditySeconds?: number;
  /** The clock tokens are issued by. @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Where clients reach the pool, when something stands before it (an IAM front): the tokens'
   * issuer names it, so nobody is told this server's own address. @default this server's endpoint
   */
  readonly publicEndpoint?: string;
}

export interface LocalCognito extends RunningServer {
  /** The tokens' `iss`; its JWKS is at `${issuer}/.well-known/jwks.json`. */
  readonly issuer: string;
  /** A user's stable `sub`. */
  subOf(username: string): string;
  /**
   * Signs any claims with the pool's key: for tests that need an expired, forged or
   * wrong-audience token.
   */
  sign(claims: Readonly<Record<string, unknown>>): string;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

type SignClaims = (claims: Readonly<Record<string, unknown>>) => string;

/** A stable UUID for a username, so a user's `sub` (and so their orders) survives a restart. */
const stableSub = (username: string) => {
  const hex = createHash('sha256').update(`local-user:${username}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

interface TokenSigning {
  readonly sign: SignClaims;
  readonly issuer: string;
  readonly clientId: string;
  readonly now: () => Date;
  readonly validitySeconds: number;
}

/** The `AuthenticationResult` of a sign-in: an ID token and an access token with Cognito's claims. */
const tokensFor = (user: LocalUser, signing: TokenSigning) => {
  const issuedAt = Math.floor(signing.now().getTime() / 1000);
  const common = {
    sub: stableSub(user.username),
    ...(user.groups.length > 0 && { 'cognito:groups': [...user.groups] }),
    iss: signing.issuer,
    auth_time: issuedAt,
    iat: issuedAt,
    exp: issuedAt + signing.validitySeconds,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
  };
  return {
    IdToken: signing.sign({
      ...common,
      aud: signing.clientId,
      token_use: 'id',
      'cognito:username': user.username,
      email: user.email,
      email_verified: true,
      jti: randomUUID(),
    }),
    AccessToken: signing.sign({
      ...common,
      client_id: signing.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: user.username,
      jti: randomUUID(),
    }),
    ExpiresIn: signing.validitySeconds,
    TokenType: 'Bearer',
  };
};

/** The user an `InitiateAuth` request signs in, after Cognito's checks in Cognito's order. */
const signingInUser = (
  input: Readonly<Record<string, unknown>>,
  clientId: string,
  users: ReadonlyMap<string, LocalUser>,
): LocalUser => {
  if (input['ClientId'] !== clientId) {
    throw new AwsServiceError('ResourceNotFoundException', 'User pool client does not exist.');
  }
  if (input['AuthFlow'] !== 'USER_PASSWORD_AUTH') {
    throw new AwsServiceError(
      'InvalidParameterException',
      'The local user pool supports USER_PASSWORD_AUTH only.',
    );
  }
  const parameters = (input['AuthParameters'] ?? {}) as Record<string, string>;
  const user = users.get(parameters['USERNAME'] ?? '');
  if (user === undefined || user.password !== parameters['PASSWORD']) {
    throw new AwsServiceError('NotAuthorizedException', 'Incorrect username or password.');
  }
  return user;
};

/**
 * A local Amazon Cognito user pool for the shop's sign-in: `InitiateAuth` with
 * `USER_PASSWORD_AUTH` (AWS JSON 1.1, `X-Amz-Target: AWSCognitoIdentityProviderService.*`, so the
 * real `@aws-sdk/client-cognito-identity-provider` works through
 * `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`) answers RS256-signed ID and access tokens with
 * Cognito's claims (`sub`, `cognito:groups`, `cognito:username`, `token_use`, `aud` or
 * `client_id`, ...), and the pool's JWKS is served at `<issuer>/.well-known/jwks.json`, where the
 * issuer is `http://127.0.0.1:<port>/<userPoolId>`. A wrong password is `NotAuthorizedException`.
 *
 * @example
 * ```ts
 * const cognito = await startCognito({ port: 0, region, userPoolId: 'eu-west-1_local', clientId, users });
 * ```
 */
export const startCognito = async (props: CognitoProps): Promise<LocalCognito> => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const users = new Map(props.users.map((user) => [user.username, user]));
  const now = props.now ?? (() => new Date());
  const validitySeconds = props.tokenValiditySeconds ?? 3600;
  let issuer = '';

  const signClaims: SignClaims = (claims) => {
    const unsigned = `${base64url(JSON.stringify({ kid, alg: 'RS256' }))}.${base64url(JSON.stringify(claims))}`;
    return `${unsigned}.${base64url(sign('sha256', Buffer.from(unsigned), privateKey))}`;
  };

  const server = await startJsonProtocolServer(
    {
      targetPrefix: 'AWSCognitoIdentityProviderService',
      get: (path) =>
        path === `/${props.userPoolId}/.well-known/jwks.json` ? { keys: [jwk] } : undefined,
      operations: {
        InitiateAuth: (input) => ({
          AuthenticationResult: tokensFor(signingInUser(input, props.clientId, users), {
            sign: signClaims,
            issuer,
            clientId: props.clientId,
            now,
            validitySeconds,
          }),
          ChallengeParameters: {},
        }),
      },
    },
    props.port,
  );
  issuer = `${props.publicEndpoint ?? server.endpoint}/${props.userPoolId}`;
  return { ...server, issuer, subOf: stableSub, sign: signClaims };
};
