import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type ServiceName, STAFF_PATH } from '@shop/contracts';
import { LOCAL_CREDENTIALS } from '@shop/local-cloud';
import { totpCode } from '@shop/local-cloud/cognito';
import { LOCAL_USER_POOLS, localPassword, poolOf, type TotpSecrets } from './users.js';

/**
 * Where each service's REST API answers, e.g. `{ order: 'http://127.0.0.1:4060', ... }`; a
 * service without customer routes (Payment) has none.
 */
export type ApiUrls = Readonly<Partial<Record<ServiceName, string>>>;

/**
 * How staff reach the staff routes (ADR 0021): the Verified Access endpoint, and the posture of
 * the device they call from, as the device trust provider signs it (`x-device-posture`).
 */
export interface StaffEntry {
  /** e.g. `http://127.0.0.1:4080`; a service's staff routes are under `/<service>`. */
  readonly url: string;
  /** The device's current posture, a JWT of the device trust provider. */
  readonly devicePosture: () => string;
}

/** Where the local user pool answers `InitiateAuth`. */
export interface UserPoolEndpoint {
  readonly region: string;
  readonly endpoint: string;
}

/** What a REST API answered: its status and its decoded JSON body (undefined if empty). */
export interface RestAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

/** A user of the local pool could not sign in. */
export class SignInError extends Error {
  constructor(username: string, detail: string) {
    super(`${username} could not sign in: ${detail}`);
    this.name = 'SignInError';
  }
}

/**
 * Signs a user in to their local user pool (`USER_PASSWORD_AUTH`, the local password, through
 * the app client of the staff pool for a member of staff, of the customer pool for anyone else)
 * and answers the user's Cognito ID token, the one the REST APIs' authorizers verify. A member of
 * staff is asked for a TOTP code (`SOFTWARE_TOKEN_MFA`): it is computed, as their authenticator app
 * would, from their secret in `totpSecrets`, and sent with `RespondToAuthChallenge`.
 *
 * @throws {SignInError} when the pool answers no ID token, or asks for a code of a user whose
 * secret `totpSecrets` does not hold.
 *
 * @example
 * ```ts
 * const idToken = await signIn({ region: 'eu-west-1', endpoint: shop.cognito.endpoint }, 'ada', shop.totpSecrets);
 * ```
 */
export const signIn = async (
  pool: UserPoolEndpoint,
  username: string,
  totpSecrets: TotpSecrets = {},
): Promise<string> => {
  const cognito = new CognitoIdentityProviderClient({
    region: pool.region,
    credentials: LOCAL_CREDENTIALS,
    endpoint: pool.endpoint,
  });
  const clientId = LOCAL_USER_POOLS[poolOf(username)].clientId;
  try {
    const signedIn = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD: localPassword(username) },
      }),
    );
    let result = signedIn.AuthenticationResult;
    if (signedIn.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
      const secret = totpSecrets[username];
      if (secret === undefined) {
        throw new SignInError(username, 'the pool asks for a TOTP code and no secret is known');
      }
      const answered = await cognito.send(
        new RespondToAuthChallengeCommand({
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          ClientId: clientId,
          Session: signedIn.Session,
          ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totpCode(secret) },
        }),
      );
      result = answered.AuthenticationResult;
    }
    const idToken = result?.IdToken;
    if (idToken === undefined) throw new SignInError(username, 'no ID token in the answer');
    return idToken;
  } finally {
    cognito.destroy();
  }
};

/** A request for a service's routes that the client has no way to. */
export class NoEntryError extends Error {
  constructor(service: ServiceName, path: string) {
    super(
      `No entry to ${service} ${path}: ${path.startsWith(STAFF_PATH) ? 'no staff entry was given' : `${service} has no REST API`}`,
    );
    this.name = 'NoEntryError';
  }
}

/**
 * The shop's routes as one signed-in user calls them: every request carries the user's ID
 * token. A customer route goes to the service's REST API (its authorizer, then the service's
 * Cedar policies); a staff route (`/admin/...`) goes through the staff entry, the Verified
 * Access endpoint, with the device's posture, to the service's staff function behind the staff
 * load balancer (`/<service>/admin/...`).
 *
 * @example
 * ```ts
 * const alice = new ShopApiClient(urls, await signIn(pool, 'alice'));
 * const placed = await alice.request('order', 'POST', '/orders', { lines, paymentToken });
 * ```
 */
export class ShopApiClient {
  constructor(
    readonly urls: ApiUrls,
    private readonly idToken: string,
    readonly staff?: StaffEntry,
  ) {}

  /** Where a route of a service is reached, and the headers its entry needs. */
  private entryOf(service: ServiceName, path: string) {
    if (path.startsWith(STAFF_PATH) && this.staff !== undefined) {
      return {
        url: `${this.staff.url}/${service}${path}`,
        headers: { 'x-device-posture': this.staff.devicePosture() },
      };
    }
    const api = this.urls[service];
    if (api === undefined || path.startsWith(STAFF_PATH)) throw new NoEntryError(service, path);
    return { url: `${api}${path}`, headers: {} };
  }

  /**
   * One request to a service's routes, with any other `headers` (e.g. an `Idempotency-Key`);
   * any status is an answer, only the network (or a route without an entry) throws.
   *
   * @throws {NoEntryError} for a staff route without a staff entry, or a service without a REST API.
   */
  async request<T = Record<string, unknown>>(
    service: ServiceName,
    method: string,
    path: string,
    body?: unknown,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<RestAnswer<T>> {
    const entry = this.entryOf(service, path);
    const response = await fetch(entry.url, {
      method,
      headers: {
        ...headers,
        ...entry.headers,
        authorization: `Bearer ${this.idToken}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const html = (response.headers.get('content-type') ?? '').startsWith('text/html');
    return {
      status: response.status,
      // Verified Access denies with a page, not JSON.
      body: (text === '' ? undefined : html ? text : JSON.parse(text)) as T,
    };
  }
}

/**
 * Signs a user in (with a TOTP code from `totpSecrets` for staff) and answers a client of the
 * shop's routes acting as that user, staff routes through `staff`.
 *
 * @example
 * ```ts
 * const ada = await signedInClient(pool, urls, LOCAL_USERS.admin, totpSecrets, staffEntry);
 * ```
 */
export const signedInClient = async (
  pool: UserPoolEndpoint,
  urls: ApiUrls,
  username: string,
  totpSecrets: TotpSecrets = {},
  staff?: StaffEntry,
): Promise<ShopApiClient> =>
  new ShopApiClient(urls, await signIn(pool, username, totpSecrets), staff);

export interface SettledOrderOptions {
  /** Between two reads of the order. @default 100 */
  readonly intervalMs?: number;
  /** Give up and answer the last read after this long. @default 30_000 */
  readonly timeoutMs?: number;
  /** Called before each read, e.g. to count them. */
  readonly onPoll?: () => void;
}

/** An order as `GET /orders/{orderId}` answers it. */
export type OrderDetails = Readonly<Record<string, unknown>> & { readonly status?: string };

/**
 * Reads an order through `GET /orders/{orderId}`, as the client's user, until it has left
 * PENDING (or the time is up), and answers the last read. For the CLI and the benchmarks; tests
 * wait for the saga's events instead.
 *
 * @example
 * ```ts
 * const { status, body } = await settledOrder(alice, orderId);
 * ```
 */
export const settledOrder = async (
  client: ShopApiClient,
  orderId: string,
  options: SettledOrderOptions = {},
): Promise<RestAnswer<OrderDetails>> => {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    options.onPoll?.();
    const order = await client.request<OrderDetails>('order', 'GET', `/orders/${orderId}`);
    if (order.status !== 200 || order.body.status !== 'PENDING' || Date.now() > deadline)
      return order;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
};
