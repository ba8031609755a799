import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { PolicyDocument } from '@shop/topology';
import { groupValues, headerPairs } from '../http/groupValues.js';
import { closeServers, listen } from '../http/listen.js';
import {
  declaresMoreThan,
  endAfterAnswer,
  RequestAbortedError,
  readBodyWithin,
} from '../http/readBodyWithin.js';
import { requestUrl } from '../http/requestUrl.js';
import { receivedRequest } from '../iam/receivedRequest.js';
import { payloadRejection } from '../iam/verifySigV4.js';
import type { InvokeOutcome } from '../lambda/startLambdaEndpoint.js';
import { accessLogEntry, type LatticeAccessLogEntry, type LatticeArns } from './accessLogEntry.js';
import { authenticateCaller, type LatticePrincipal } from './authenticateCaller.js';
import { authorizeInvoke, type LatticeCaller } from './authorizeInvoke.js';
import { forwardToTarget } from './forwardToTarget.js';
import { type GatewayAnswer, textAnswer } from './gatewayAnswer.js';

/** One Lattice service: its name, its auth policy and the function behind its listener. */
export interface LatticeServiceDefinition {
  readonly name: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The service's auth policy, given the ARN the gateway assigns it. */
  readonly authPolicy: (serviceArn: string) => PolicyDocument;
  /** Invokes the target function with a Lattice V2 event. */
  readonly invoke: (event: unknown) => Promise<InvokeOutcome>;
}

export interface LatticeGatewayProps {
  readonly region: string;
  readonly account: string;
  readonly serviceNetwork: {
    readonly name: string;
    /** The network's auth policy (the guardrail), given the ARN pattern of its services. */
    readonly authPolicy: PolicyDocument;
  };
  readonly services: readonly LatticeServiceDefinition[];
  readonly principals: readonly LatticePrincipal[];
  /** One entry per request. @default discarded */
  readonly onAccessLog?: (entry: LatticeAccessLogEntry) => void;
  /** How long the gateway waits for a target. @default 30000 */
  readonly targetTimeoutMs?: number;
  /** The clock signatures are checked against. @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Called when the gateway itself fails on a request (answered 500, without details).
   * @default console.error
   */
  readonly onError?: (error: unknown) => void;
}

export interface RunningLatticeService {
  readonly name: string;
  readonly arn: string;
  /** Where callers send requests, e.g. `http://127.0.0.1:4050`. */
  readonly url: string;
}

export interface LatticeGateway {
  readonly serviceNetworkArn: string;
  readonly services: readonly RunningLatticeService[];
  close(): Promise<void>;
}

const resourceId = (prefix: string, name: string) =>
  `${prefix}-${createHash('sha256').update(name).digest('hex').slice(0, 17)}`;

/**
 * The ARN of a Lattice resource the gateway creates: ids are derived from the name, so they are
 * the same on every start.
 */
export const latticeArn = (
  region: string,
  account: string,
  kind: 'service' | 'servicenetwork' | 'targetgroup',
  name: string,
): string =>
  `arn:aws:vpc-lattice:${region}:${account}:${kind}/${resourceId(
    { service: 'svc', servicenetwork: 'sn', targetgroup: 'tg' }[kind],
    name,
  )}`;

/** Lattice's limit on the request body it sends to a Lambda target. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

const multiValueHeaders = (request: IncomingMessage): Record<string, string[]> =>
  groupValues(headerPairs(request).map(([name, value]) => [name.toLowerCase(), value] as const));

/** One service's listener: the gateway's settings, the service, its ARNs and auth policies. */
interface Listener {
  readonly props: LatticeGatewayProps;
  readonly principals: ReadonlyMap<string, LatticePrincipal>;
  readonly service: LatticeServiceDefinition;
  readonly arns: LatticeArns;
  readonly policies: { readonly network: PolicyDocument; readonly service: PolicyDocument };
}

/** A request as Lattice hands it to a Lambda target: an event of structure V2. */
const latticeEvent = (
  listener: Listener,
  request: { readonly method: string; readonly url: URL; readonly body: Buffer },
  headers: Record<string, string[]>,
  query: Record<string, string[]>,
  caller: LatticeCaller,
) => ({
  version: '2.0',
  path: request.url.pathname,
  method: request.method,
  headers,
  ...(request.url.search !== '' && { queryStringParameters: query }),
  ...(request.body.length > 0 && { body: request.body.toString('utf8'), isBase64Encoded: false }),
  requestContext: {
    serviceNetworkArn: listener.arns.serviceNetworkArn,
    serviceArn: listener.arns.serviceArn,
    targetGroupArn: listener.arns.targetGroupArn,
    identity:
      caller.type === 'AssumedRole'
        ? {
            type: 'AWS_IAM',
            principal: caller.principal,
            principalOrgID: caller.organizationId,
            sessionName: caller.principal.slice(caller.principal.lastIndexOf('/') + 1),
          }
        : {},
    region: listener.props.region,
    timeEpoch: String(Date.now() * 1000),
  },
});

const tooLarge = () => textAnswer(413, 'Payload Too Large');

/**
 * Authenticates, authorizes and forwards one request that arrived on `port`. Everything but the
 * body is decided first: the body is read only for a request that is allowed.
 */
const answer = async (
  listener: Listener,
  request: IncomingMessage,
  port: number,
): Promise<GatewayAnswer> => {
  const { props, arns } = listener;
  if (declaresMoreThan(request, MAX_BODY_BYTES)) return tooLarge();
  const url = requestUrl(request.url);
  if (url === undefined) return textAnswer(400, 'Bad Request');
  const authentication = await authenticateCaller(request, listener.principals, {
    region: props.region,
    now: props.now ?? (() => new Date()),
    host: `127.0.0.1:${port}`,
  });
  if (!authentication.ok) {
    return textAnswer(403, authentication.message, { failureReason: 'ClientAccessDenied' });
  }
  const { caller } = authentication;
  const method = request.method ?? 'GET';
  const headers = multiValueHeaders(request);
  const query = groupValues(url.searchParams);
  const decision = await authorizeInvoke(listener.policies, {
    caller,
    serviceArn: arns.serviceArn,
    serviceNetworkArn: arns.serviceNetworkArn,
    method,
    path: url.pathname,
    port,
    query,
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, values]) => [name, values.join(',')]),
    ),
  });
  if (!decision.allowed) {
    return textAnswer(403, decision.message, {
      caller,
      decision,
      failureReason: 'ClientAccessDenied',
    });
  }
  const body = await readBodyWithin(request, MAX_BODY_BYTES);
  if (body === 'too-large') return tooLarge();
  const mismatch = authentication.signed
    ? payloadRejection(receivedRequest(request, body), { allowUnsignedPayload: true })
    : undefined;
  if (mismatch !== undefined) {
    return textAnswer(403, mismatch.message, { failureReason: 'ClientAccessDenied' });
  }
  const event = latticeEvent(listener, { method, url, body }, headers, query, caller);
  return forwardToTarget(listener.service.invoke, event, caller, props.targetTimeoutMs ?? 30_000);
};

/**
 * Writes the answer and returns what was written: a target's answer that HTTP cannot carry (a
 * status or header it refuses) is 502.
 */
const send = (
  request: IncomingMessage,
  response: ServerResponse,
  result: GatewayAnswer,
): GatewayAnswer => {
  endAfterAnswer(request, response);
  try {
    response.writeHead(result.status, result.headers);
  } catch {
    const failed = textAnswer(502, 'Bad Gateway', {
      caller: result.caller,
      failureReason: 'TargetProtocolError',
      ...(result.targetMs !== undefined && { targetMs: result.targetMs }),
    });
    response.writeHead(failed.status, failed.headers);
    response.end(failed.body);
    return failed;
  }
  response.end(result.body);
  return result;
};

const serve = (listener: Listener, onError: (error: unknown) => void): Server =>
  createServer((request, response) => {
    const arrived = performance.now();
    const startTime = new Date().toISOString();
    const port = request.socket.localPort ?? 0;
    answer(listener, request, port)
      .catch((error: unknown) => {
        if (error instanceof RequestAbortedError) return undefined;
        onError(error);
        return textAnswer(500, 'Internal Server Error', { failureReason: 'InternalError' });
      })
      .then((result) => {
        if (result === undefined || response.destroyed) return;
        const sent = send(request, response, result);
        listener.props.onAccessLog?.(
          accessLogEntry(request, sent, { startTime, arrived }, listener.arns),
        );
      });
  });

/**
 * A local VPC Lattice data plane: one HTTP listener per service. Every request is authenticated
 * (SigV4 recomputed with the caller's local secret: unknown keys, tampered or expired
 * signatures, a wrong scope and a signature without `x-amz-content-sha256` are rejected; an
 * unsigned request is anonymous), mapped to the role and organization its credentials stand for,
 * authorized by the service network's auth policy and then the service's (the documents CDK
 * deploys, evaluated by the IAM policy simulator), and only then forwarded to the target as a
 * Lambda event of structure V2. A denial is 403 with Lattice's `AccessDeniedException` message.
 * Each request writes one access-log entry.
 *
 * All of that is decided from the request's head: the body is read only for a request that is
 * allowed, then checked against the payload hash it signed (`x-amz-content-sha256`, or
 * `UNSIGNED-PAYLOAD`). A body over 6 MB (the most Lattice sends a Lambda target) is 413, at once
 * when `content-length` says so, else as soon as the bytes received pass the limit; reading stops
 * there. A request target that is not a path is 400. Header and query-string names are kept as
 * sent, `__proto__` and `constructor` included. A failure of the gateway itself is 500 with no
 * details, the error handed to `onError`.
 *
 * @example
 * ```ts
 * const gateway = await startLatticeGateway({ region, account, serviceNetwork, services, principals });
 * gateway.services[0]?.url; // 'http://127.0.0.1:41023'
 * ```
 */
export const startLatticeGateway = async (props: LatticeGatewayProps): Promise<LatticeGateway> => {
  const serviceNetworkArn = latticeArn(
    props.region,
    props.account,
    'servicenetwork',
    props.serviceNetwork.name,
  );
  const principals = new Map(props.principals.map((p) => [p.accessKeyId, p]));
  const servers: Server[] = [];
  const running: RunningLatticeService[] = [];
  const closeAll = () => closeServers(servers);
  try {
    for (const service of props.services) {
      const serviceArn = latticeArn(props.region, props.account, 'service', service.name);
      const server = serve(
        {
          props,
          principals,
          service,
          arns: {
            serviceNetworkArn,
            serviceArn,
            targetGroupArn: latticeArn(props.region, props.account, 'targetgroup', service.name),
          },
          policies: {
            network: props.serviceNetwork.authPolicy,
            service: service.authPolicy(serviceArn),
          },
        },
        props.onError ?? ((error) => console.error(error)),
      );
      servers.push(server);
      const port = await listen(server, service.port);
      running.push({ name: service.name, arn: serviceArn, url: `http://127.0.0.1:${port}` });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { serviceNetworkArn, services: running, close: closeAll };
};
