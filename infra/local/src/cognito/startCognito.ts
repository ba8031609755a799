import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { AwsServiceError } from '../http/awsErrors.js';
import { type RunningServer, startJsonProtocolServer } from '../http/jsonProtocolServer.js';
import { type LocalOAuthClient, managedLogin } from './managedLogin.js';
import { acceptsTotpCode } from './totp.js';

/** A user of the local pool. */
export interface LocalUser {
  readonly username: string;
  readonly password: string;
  readonly email: string;
  readonly groups: readonly string[];
  /**
   * The base32 secret of the user's authenticator app (TOTP, software token MFA). A user who has
   * one is asked for its code at every sign-in (`SOFTWARE_TOKEN_MFA`). @default none: no MFA
   */
  readonly totpSecret?: string;
}

/** One user pool of the local Cognito, with its one app client and its users. */
export interface LocalUserPool {
  /** e.g. `eu-west-1_local`. */
  readonly userPoolId: string;
  readonly clientId: string;
  readonly users: readonly LocalUser[];
  /**
   * The claims the pool's pre-token-generation trigger adds to the ID tokens it issues after the
   * TOTP challenge, as the staff pool's trigger adds `second_factor: "totp"` in AWS (ADR 0021).
   * @default none
   */
  readonly claimsAfterMfa?: Readonly<Record<string, unknown>>;
  /**
   * The app clients that sign users in through the pool's managed login (its domain's OAuth 2.0
   * endpoints), beside the API client `clientId`. @default none
   */
  readonly oauthClients?: readonly LocalOAuthClient[];
}

export interface CognitoProps {
  /** 0 asks the OS for a free port. */
  readonly port: number;
  readonly region: string;
  /** The pools this endpoint serves, as Cognito serves every pool of a region at one endpoint. */
  readonly pools: readonly LocalUserPool[];
  /** @default 3600 */
  readonly tokenValiditySeconds?: number;
  /**
   * How long the `Session` of a challenge can be answered, as the app client's
   * `AuthSessionValidity` (3 to 15 minutes). @default 180
   */
  readonly authSessionValiditySeconds?: number;
  /** The clock tokens are issued and TOTP codes checked by. @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Where clients reach the pool, when something stands before it (an IAM front): the tokens'
   * issuer names it, so nobody is told this server's own address. @default this server's endpoint
   */
  readonly publicEndpoint?: string;
}

export interface LocalCognito extends RunningServer {
  /** The `iss` of a pool's tokens; its JWKS is at `${issuer}/.well-known/jwks.json`. */
  issuerOf(userPoolId: string): string;
  /** A user's stable `sub`. */
  subOf(username: string): string;
  /**
   * Signs any claims with a pool's key: for tests that need an expired, forged or
   * wrong-audience token.
   */
  sign(userPoolId: string, claims: Readonly<Record<string, unknown>>): string;
  /**
   * Replaces the OAuth app clients of a pool's managed login, as `UpdateUserPoolClient` replaces
   * a client's callback URLs in AWS: for clients whose callback URLs name a server that starts
   * after the pool (a port the OS picks). Codes already issued stay redeemable by a client that
   * remains.
   *
   * @example
   * ```ts
   * cognito.setOAuthClients('eu-west-1_localstaff', [
   *   { clientId: 'console', callbackUrls: [`${endpoint.url}/console/callback`] },
   * ]);
   * ```
   */
  setOAuthClients(userPoolId: string, clients: readonly LocalOAuthClient[]): void;
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

/**
 * The `AuthenticationResult` of a sign-in: an ID token and an access token with Cognito's claims,
 * the ID token with what the pool's trigger adds.
 */
const tokensFor = (
  user: LocalUser,
  signing: TokenSigning,
  added: Readonly<Record<string, unknown>> = {},
  scope = 'aws.cognito.signin.user.admin',
) => {
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
      ...added,
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
      scope,
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
  users: ReadonlyMap<string, LocalUser>,
): LocalUser => {
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

/** A challenge waiting for its answer: whose it is, until when, and whether it was answered. */
interface ChallengeSession {
  readonly username: string;
  readonly expiresAt: number;
  answered: boolean;
}

const invalidSession = (why = '') =>
  new AwsServiceError('NotAuthorizedException', `Invalid session for the user${why}.`);

/** The challenge `InitiateAuth` answers a user who has an authenticator app, with a new session. */
const softwareTokenChallenge = (
  user: LocalUser,
  sessions: Map<string, ChallengeSession>,
  now: number,
  validitySeconds: number,
) => {
  for (const [id, session] of sessions) if (session.expiresAt < now) sessions.delete(id);
  const id = randomBytes(48).toString('base64');
  sessions.set(id, {
    username: user.username,
    expiresAt: now + validitySeconds * 1000,
    answered: false,
  });
  return {
    ChallengeName: 'SOFTWARE_TOKEN_MFA',
    Session: id,
    ChallengeParameters: { USER_ID_FOR_SRP: user.username },
  };
};

/**
 * The user a `RespondToAuthChallenge` request signs in, after Cognito's checks in Cognito's order
 * (the client's pool is found first): the challenge, the session (known, unanswered, unexpired: it is spent by this
 * answer, right or wrong), the user it was issued to, and the TOTP code.
 */
const challengedUser = (
  input: Readonly<Record<string, unknown>>,
  users: ReadonlyMap<string, LocalUser>,
  sessions: ReadonlyMap<string, ChallengeSession>,
  now: Date,
): LocalUser => {
  if (input['ChallengeName'] !== 'SOFTWARE_TOKEN_MFA') {
    throw new AwsServiceError(
      'InvalidParameterException',
      'The local user pool answers SOFTWARE_TOKEN_MFA challenges only.',
    );
  }
  const responses = (input['ChallengeResponses'] ?? {}) as Record<string, string>;
  const username = responses['USERNAME'];
  if (username === undefined) {
    throw new AwsServiceError('InvalidParameterException', 'Missing required parameter USERNAME');
  }
  const session = sessions.get(String(input['Session'] ?? ''));
  if (session === undefined) throw invalidSession();
  if (session.answered) throw invalidSession(', session can only be used once');
  if (now.getTime() > session.expiresAt) throw invalidSession(', session is expired');
  session.answered = true;
  const user = users.get(session.username);
  if (user?.totpSecret === undefined || username !== user.username) throw invalidSession();
  if (!acceptsTotpCode(user.totpSecret, responses['SOFTWARE_TOKEN_MFA_CODE'] ?? '', now)) {
    throw new AwsServiceError('CodeMismatchException', 'Invalid code or auth state for the user.');
  }
  return user;
};

/** One pool as the server holds it: its users, its own signing key and its open challenges. */
interface ServedPool {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly users: ReadonlyMap<string, LocalUser>;
  readonly sessions: Map<string, ChallengeSession>;
  readonly jwk: Readonly<Record<string, unknown>>;
  readonly sign: SignClaims;
  readonly claimsAfterMfa: Readonly<Record<string, unknown>>;
  /** Replaced by {@link LocalCognito.setOAuthClients}. */
  oauthClients: readonly LocalOAuthClient[];
}

const servedPool = (pool: LocalUserPool): ServedPool => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  return {
    userPoolId: pool.userPoolId,
    clientId: pool.clientId,
    users: new Map(pool.users.map((user) => [user.username, user])),
    sessions: new Map(),
    claimsAfterMfa: pool.claimsAfterMfa ?? {},
    oauthClients: pool.oauthClients ?? [],
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    sign: (claims) => {
      const unsigned = `${base64url(JSON.stringify({ kid, alg: 'RS256' }))}.${base64url(JSON.stringify(claims))}`;
      return `${unsigned}.${base64url(sign('sha256', Buffer.from(unsigned), privateKey))}`;
    },
  };
};

/**
 * Local Amazon Cognito user pools for the shop's sign-in, every pool at one endpoint as in a
 * region of AWS, each with its own app client, users and signing key: `InitiateAuth` with
 * `USER_PASSWORD_AUTH` (AWS JSON 1.1, `X-Amz-Target: AWSCognitoIdentityProviderService.*`, so the
 * real `@aws-sdk/client-cognito-identity-provider` works through
 * `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`) signs a user in to the pool of the request's
 * `ClientId` (another client is `ResourceNotFoundException`) and answers RS256-signed ID and access
 * tokens with Cognito's claims (`sub`, `cognito:groups`, `cognito:username`, `token_use`, `aud` or
 * `client_id`, ...); each pool's JWKS is served at `<issuer>/.well-known/jwks.json`, where the
 * issuer is `http://127.0.0.1:<port>/<userPoolId>`. A wrong password is `NotAuthorizedException`.
 * A user with an authenticator app (`totpSecret`) gets no tokens from `InitiateAuth` but the
 * `SOFTWARE_TOKEN_MFA` challenge and a `Session`; `RespondToAuthChallenge` with the session and
 * `SOFTWARE_TOKEN_MFA_CODE` (RFC 6238: SHA-1, 6 digits, 30 s, one step of skew either way)
 * answers the tokens. A wrong code is `CodeMismatchException`; an unknown, answered or expired
 * session (or one of another pool) is `NotAuthorizedException`, as Cognito answers them. A pool
 * with `oauthClients` also has its managed login at the same address ({@link managedLogin}:
 * `/oauth2/authorize`, `/login`, `/oauth2/token`, `/oauth2/userInfo`, `/logout`), whose tokens are
 * issued for the OAuth client and, after the TOTP code, carry `claimsAfterMfa` too.
 *
 * @example
 * ```ts
 * const cognito = await startCognito({
 *   port: 0,
 *   region,
 *   pools: [{ userPoolId: 'eu-west-1_local', clientId, users }],
 * });
 * ```
 */
export const startCognito = async (props: CognitoProps): Promise<LocalCognito> => {
  const pools = props.pools.map(servedPool);
  const now = props.now ?? (() => new Date());
  const validitySeconds = props.tokenValiditySeconds ?? 3600;
  const sessionSeconds = props.authSessionValiditySeconds ?? 180;
  let issuerBase = '';
  const issuerOf = (userPoolId: string) => `${issuerBase}/${userPoolId}`;

  const poolOfClient = (input: Readonly<Record<string, unknown>>): ServedPool => {
    const pool = pools.find((candidate) => candidate.clientId === input['ClientId']);
    if (pool === undefined) {
      throw new AwsServiceError('ResourceNotFoundException', 'User pool client does not exist.');
    }
    return pool;
  };
  const signing = (pool: ServedPool): TokenSigning => ({
    sign: pool.sign,
    issuer: issuerOf(pool.userPoolId),
    clientId: pool.clientId,
    now,
    validitySeconds,
  });

  const login = managedLogin({
    now,
    sessionSeconds: validitySeconds,
    pools: pools.map((pool) => ({
      userPoolId: pool.userPoolId,
      users: pool.users,
      get clients() {
        return pool.oauthClients;
      },
      subOf: stableSub,
      issue: (username, request) => {
        const user = pool.users.get(username);
        if (user === undefined) throw new Error(`No user ${username} in ${pool.userPoolId}`);
        const tokens = tokensFor(
          user,
          { ...signing(pool), clientId: request.clientId },
          {
            ...(user.totpSecret !== undefined && pool.claimsAfterMfa),
            ...(request.nonce !== undefined && { nonce: request.nonce }),
          },
          request.scope,
        );
        return {
          idToken: tokens.IdToken,
          accessToken: tokens.AccessToken,
          expiresIn: tokens.ExpiresIn,
        };
      },
    })),
  });
  const server = await startJsonProtocolServer(
    {
      targetPrefix: 'AWSCognitoIdentityProviderService',
      handle: login,
      get: (path) => {
        const pool = pools.find(
          (candidate) => path === `/${candidate.userPoolId}/.well-known/jwks.json`,
        );
        return pool && { keys: [pool.jwk] };
      },
      operations: {
        InitiateAuth: (input) => {
          const pool = poolOfClient(input);
          const user = signingInUser(input, pool.users);
          if (user.totpSecret !== undefined) {
            return softwareTokenChallenge(user, pool.sessions, now().getTime(), sessionSeconds);
          }
          return { AuthenticationResult: tokensFor(user, signing(pool)), ChallengeParameters: {} };
        },
        RespondToAuthChallenge: (input) => {
          const pool = poolOfClient(input);
          return {
            AuthenticationResult: tokensFor(
              challengedUser(input, pool.users, pool.sessions, now()),
              signing(pool),
              pool.claimsAfterMfa,
            ),
            ChallengeParameters: {},
          };
        },
      },
    },
    props.port,
  );
  issuerBase = props.publicEndpoint ?? server.endpoint;
  const poolNamed = (userPoolId: string): ServedPool => {
    const pool = pools.find((candidate) => candidate.userPoolId === userPoolId);
    if (pool === undefined) throw new Error(`No local user pool ${userPoolId}`);
    return pool;
  };
  return {
    ...server,
    issuerOf: (userPoolId) => issuerOf(poolNamed(userPoolId).userPoolId),
    subOf: stableSub,
    sign: (userPoolId, claims) => poolNamed(userPoolId).sign(claims),
    setOAuthClients: (userPoolId, clients) => {
      poolNamed(userPoolId).oauthClients = [...clients];
    },
  };
};
