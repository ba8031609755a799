import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { UnscopedPolicyEngine } from '@shop/authorization';
import { identityTokenClaimsVerifier, USER_CONTEXT_HEADER } from '@shop/shared';
import { firstHeader } from '../http/firstHeader.js';
import { forwardRequest } from '../http/forwardRequest.js';
import { closeServers, listen } from '../http/listen.js';
import { endAfterAnswer } from '../http/readBodyWithin.js';
import { requestCookie } from '../http/requestCookie.js';
import { requestUrl } from '../http/requestUrl.js';
import { accessContext } from './accessContext.js';
import type { VerifiedAccessDecision, VerifiedAccessReason } from './decisionLogEntry.js';
import {
  DEVICE_POSTURE,
  type DevicePosture,
  type DeviceTrustPublicKey,
  devicePostureVerifier,
} from './deviceTrustProvider.js';
import { type OidcClientOptions, oidcRelyingParty } from './oidcRelyingParty.js';
import { userContextClaims, userContextSigner } from './userContextSigner.js';

export interface VerifiedAccessProps {
  readonly region: string;
  readonly account: string;
  /** The instance's name, from which its id is derived. */
  readonly name: string;
  /** The endpoint's port; 0 picks a free one. */
  readonly port: number;
  /** Where the user context's public keys are served by `kid`; 0 picks a free port. */
  readonly publicKeysPort: number;
  /** The group's Cedar policy: the document CDK deploys. */
  readonly policy: { readonly name: string; readonly document: string };
  /** The OIDC user trust provider (policy reference name `staff`): the staff user pool. */
  readonly userTrustProvider: {
    readonly issuer: string;
    readonly userPoolId: string;
    /** The ID tokens' audience. */
    readonly clientId: string;
  };
  /** The device trust provider (type jamf, policy reference name `jamf`): its public key. */
  readonly deviceTrustProvider: DeviceTrustPublicKey;
  /** Where allowed requests go, e.g. the internal load balancer `http://127.0.0.1:4090`. */
  readonly upstream: string;
  /**
   * Verified Access's own OIDC client of the user trust provider: with it, the endpoint signs
   * browsers in as Verified Access does (authorization code, a session of its own, no token in
   * the browser); tools keep sending `Authorization: Bearer`.
   * @default none: only requests with `Authorization: Bearer` carry a user, and a browser's
   * navigation without one is denied (403) like any request
   */
  readonly oidc?: OidcClientOptions;
  /** One entry per request, allowed or denied. @default discarded */
  readonly onDecision?: (entry: VerifiedAccessDecision) => void;
  /** The clock device postures and the user context are checked and signed by. @default () => new Date() */
  readonly now?: () => Date;
  /** Called when the endpoint itself fails on a request (answered 500). @default console.error */
  readonly onError?: (error: unknown) => void;
}

export interface VerifiedAccessEndpoint {
  /** Where users send requests, e.g. `http://127.0.0.1:4080`. */
  readonly url: string;
  /** The user context's public keys: PEM at `<publicKeysUrl>/<kid>`. */
  readonly publicKeysUrl: string;
  /** The `signer` of every user context it sends. */
  readonly instanceArn: string;
  close(): Promise<void>;
}

const DENIAL_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Access denied</title></head>
<body><h1>Access denied</h1><p>Verified Access did not allow this request.</p></body></html>
`;

const bearer = (request: IncomingMessage): string | undefined => {
  const match = /^Bearer (?<token>\S+)$/i.exec(firstHeader(request, 'authorization') ?? '');
  return match?.groups?.['token'];
};

/** What the endpoint knows of a request so far, for its decision log entry. */
interface Verdict {
  readonly reason: VerifiedAccessReason;
  readonly user?: string;
  readonly device?: DevicePosture;
  readonly policies?: readonly string[];
  readonly errors?: readonly string[];
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** A browser's navigation that has no valid token yet: it goes to the provider's sign-in. */
const signsIn = (request: IncomingMessage, reason: VerifiedAccessReason) =>
  (reason === 'NoIdentityToken' || reason === 'InvalidIdentityToken') &&
  request.method === 'GET' &&
  (firstHeader(request, 'accept') ?? '').includes('text/html');

const errorName = (error: unknown) => (error instanceof Error ? error.name : 'Error');

/**
 * A local AWS Verified Access endpoint for the staff applications. For every request it
 * verifies the user's ID token (`Authorization: Bearer`: signature by the user pool's JWKS,
 * issuer, audience, `token_use: id`, expiry, with the services' own verifier) and the device
 * posture assertion (`x-device-posture` header or `device_posture` cookie: signed by the local
 * device trust provider, unexpired), builds the Cedar context as Verified Access does
 * (`context.staff`, `context.jamf`, `context.http_request`) and evaluates the group's policy with
 * cedar-wasm. An allowed request goes to the upstream unchanged but for
 * `x-amzn-ava-user-context`: the user's claims, signed ES384 by this instance's key, whose public
 * key is served at `<publicKeysUrl>/<kid>`. A denied one is 403 with a page that says nothing of
 * the user, before the upstream is reached. With `oidc`, it signs browsers in as Verified Access
 * does ({@link oidcRelyingParty}: a browser's navigation without a valid token goes to the user
 * pool's managed login, the code comes back at `/oauth2/idpresponse`, an HttpOnly session of its
 * own, the device page `/_va/device`). Every request writes one decision, with its reason and the
 * deciding policies. An unreachable upstream drops the connection.
 *
 * @example
 * ```ts
 * const endpoint = await startVerifiedAccess({ region, account, name: 'shop-staff', port: 0,
 *   publicKeysPort: 0, policy, userTrustProvider, deviceTrustProvider, upstream });
 * endpoint.url; // 'http://127.0.0.1:41023'
 * ```
 */
export const startVerifiedAccess = async (
  props: VerifiedAccessProps,
): Promise<VerifiedAccessEndpoint> => {
  const id = createHash('sha256').update(props.name).digest('hex').slice(0, 17);
  const instanceArn = `arn:aws:ec2:${props.region}:${props.account}:verified-access-instance/vai-${id}`;
  const engine = new UnscopedPolicyEngine(props.policy.name, props.policy.document);
  const verifyToken = identityTokenClaimsVerifier(props.userTrustProvider);
  const postureOf = devicePostureVerifier(props.deviceTrustProvider);
  const signer = userContextSigner({ instanceArn, issuer: props.userTrustProvider.issuer });
  const now = props.now ?? (() => new Date());
  let endpointUrl = '';
  const party =
    props.oidc === undefined
      ? undefined
      : oidcRelyingParty(
          props.oidc,
          () => endpointUrl,
          identityTokenClaimsVerifier({
            ...props.userTrustProvider,
            clientId: props.oidc.clientId,
          }),
          now,
        );
  const upstream = new URL(props.upstream);
  const onError = props.onError ?? ((error: unknown) => console.error(error));

  /**
   * The user's claims: the endpoint's session, else a tool's token. With a session,
   * `Authorization` is the application's own (the console's pages send their token to their
   * APIs), passed on unread, as Verified Access passes it.
   */
  const userClaims = async (
    request: IncomingMessage,
  ): Promise<
    { readonly claims: Readonly<Record<string, unknown>> } | { readonly denied: Verdict }
  > => {
    const session = party?.claimsOf(request);
    if (session !== undefined) return { claims: session };
    const token = bearer(request);
    if (token === undefined) return { denied: { reason: 'NoIdentityToken' } };
    try {
      return { claims: await verifyToken(token) };
    } catch (error) {
      return { denied: { reason: 'InvalidIdentityToken', errors: [errorName(error)] } };
    }
  };

  const decide = async (request: IncomingMessage, url: URL, port: number): Promise<Verdict> => {
    const known = await userClaims(request);
    if ('denied' in known) return known.denied;
    const { claims } = known;
    const user = String(claims['sub']);
    const assertion =
      firstHeader(request, DEVICE_POSTURE.header) ?? requestCookie(request, DEVICE_POSTURE.cookie);
    const device = assertion === undefined ? undefined : postureOf(assertion, now());
    if (assertion !== undefined && device === undefined) {
      return { reason: 'InvalidDevicePosture', user };
    }
    const decision = engine.isAuthorized(
      accessContext(request, url, port, { staff: claims, device }),
    );
    return {
      reason: decision.decision === 'ALLOW' ? 'PolicyAllowed' : 'PolicyDenied',
      user,
      ...(device !== undefined && { device }),
      policies: decision.determiningPolicies,
      errors: decision.errors,
      claims,
    };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = requestUrl(request.url);
    if (url === undefined) {
      endAfterAnswer(request, response);
      response.writeHead(400, { 'content-type': 'text/plain' }).end('Bad Request');
      return;
    }
    if (party !== undefined && (await party.handle(request, response, url))) return;
    const verdict = await decide(request, url, request.socket.localPort ?? 0);
    const allowed = verdict.reason === 'PolicyAllowed' && verdict.claims !== undefined;
    props.onDecision?.({
      kind: 'verified-access',
      instanceArn,
      method: request.method ?? 'GET',
      path: url.pathname,
      user: verdict.user,
      device: verdict.device?.deviceId,
      decision: allowed ? 'Allow' : 'Deny',
      reason: verdict.reason,
      policies: verdict.policies ?? [],
      errors: verdict.errors ?? [],
    });
    if (!allowed || verdict.claims === undefined) {
      endAfterAnswer(request, response);
      if (party !== undefined && signsIn(request, verdict.reason)) {
        party.signIn(response, `${url.pathname}${url.search}`);
        return;
      }
      response.writeHead(403, { 'content-type': 'text/html; charset=utf-8' }).end(DENIAL_PAGE);
      return;
    }
    // Set here, over whatever the client sent: the upstream trusts only this instance's header.
    request.headers[USER_CONTEXT_HEADER] = signer.sign(userContextClaims(verdict.claims), now());
    forwardRequest(upstream, request, response);
  };

  const endpoint = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      onError(error);
      if (!response.headersSent) {
        endAfterAnswer(request, response);
        response.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
      }
    });
  });
  const publicKeys = createServer((request, response) => {
    if (request.method === 'GET' && request.url === `/${signer.kid}`) {
      response
        .writeHead(200, { 'content-type': 'application/x-pem-file' })
        .end(signer.publicKeyPem);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    }
  });
  const servers = [endpoint, publicKeys];
  try {
    const port = await listen(endpoint, props.port);
    endpointUrl = `http://127.0.0.1:${port}`;
    const keysPort = await listen(publicKeys, props.publicKeysPort);
    return {
      url: `http://127.0.0.1:${port}`,
      publicKeysUrl: `http://127.0.0.1:${keysPort}`,
      instanceArn,
      close: () => closeServers(servers),
    };
  } catch (error) {
    await closeServers(servers.filter((server) => server.listening));
    throw error;
  }
};
