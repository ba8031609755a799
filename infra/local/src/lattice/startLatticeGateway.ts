import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { PolicyDocument } from '@shop/topology';
import { groupValues, headerPairs } from '../http/groupValues.js';
import { closeServers, listen } from '../http/listen.js';
import type { InvokeOutcome } from '../lambda/startLambdaEndpoint.js';
import { type AuthDecision, authorizeInvoke, type LatticeCaller } from './authorizeInvoke.js';

import { verifySigV4 } from './verifySigV4.js';

/** Local credentials and the AWS identity they stand for. */
export interface LatticePrincipal {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The role, with its path: `arn:aws:iam::<account>:role/shop/order/order-local`. */
  readonly roleArn: string;
  readonly sessionName: string;
  readonly account: string;
  readonly organizationId: string;
}

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

/** One access-log entry, with the field names of Lattice's `VpcLatticeAccessLogs`. */
export interface LatticeAccessLogEntry {
  readonly startTime: string;
  readonly requestId: string;
  readonly serviceNetworkArn: string;
  readonly serviceArn: string;
  readonly targetGroupArn: string;
  readonly requestMethod: string;
  readonly requestPath: string;
  readonly protocol: 'HTTP/1.1';
  readonly responseCode: number;
  /** Milliseconds from the request's arrival to the last byte of the answer. */
  readonly duration: number;
  /** Milliseconds the target took, when the request reached it. */
  readonly requestToTargetDuration: number | null;
  readonly callerPrincipal: string | null;
  readonly resolvedUser: string;
  readonly authDeniedReason: 'Network' | 'Service' | null;
  readonly failureReason: string | null;
  readonly userAgent: string | null;
  readonly sourceIpPort: string;
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

const round = (ms: number) => Math.round(ms * 100) / 100;

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

const firstHeader = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const multiValueHeaders = (request: IncomingMessage): Record<string, string[]> =>
  groupValues(headerPairs(request).map(([name, value]) => [name.toLowerCase(), value] as const));

const isLatticeResponse = (
  value: unknown,
): value is { statusCode: number; headers?: Record<string, string>; body?: string } =>
  typeof value === 'object' &&
  value !== null &&
  Number.isInteger((value as { statusCode?: unknown }).statusCode);

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly caller: LatticeCaller | undefined;
  readonly decision?: AuthDecision;
  readonly failureReason?: string;
  readonly targetMs?: number;
}

const text = (status: number, body: string, extra: Partial<Answer> = {}): Answer => ({
  status,
  headers: { 'content-type': 'text/plain' },
  body,
  caller: undefined,
  ...extra,
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
 * @example
 * ```ts
 * const gateway = await startLatticeGateway({ region, account, serviceNetwork, services, principals });
 * gateway.services[0]?.url; // 'http://127.0.0.1:41023'
 * ```
 */
export const startLatticeGateway = async (props: LatticeGatewayProps): Promise<LatticeGateway> => {
  const now = props.now ?? (() => new Date());
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
      const targetGroupArn = latticeArn(props.region, props.account, 'targetgroup', service.name);
      const policies = {
        network: props.serviceNetwork.authPolicy,
        service: service.authPolicy(serviceArn),
      };
      let port = 0;

      const answer = async (request: IncomingMessage, body: Buffer): Promise<Answer> => {
        const target = request.url ?? '/';
        const url = new URL(target, 'http://localhost');
        const headers = multiValueHeaders(request);
        let caller: LatticeCaller = { type: 'Anonymous' };
        if (firstHeader(request, 'authorization') !== undefined) {
          const verdict = await verifySigV4(
            { method: request.method ?? 'GET', target, headers: request.headers },
            {
              secretOf: (key) => principals.get(key)?.secretAccessKey,
              service: 'vpc-lattice-svcs',
              region: props.region,
              now: now(),
            },
          );
          if (!verdict.ok)
            return text(403, verdict.message, { failureReason: 'ClientAccessDenied' });
          if (!verdict.signedHeaders.includes('x-amz-content-sha256')) {
            return text(
              403,
              "IncompleteSignatureException: Missing the 'x-amz-content-sha256' in canonical headers.",
              { failureReason: 'ClientAccessDenied' },
            );
          }
          const principal = principals.get(verdict.accessKeyId);
          if (principal !== undefined) {
            const roleName = principal.roleArn.slice(principal.roleArn.lastIndexOf('/') + 1);
            caller = {
              type: 'AssumedRole',
              principal: `arn:aws:sts::${principal.account}:assumed-role/${roleName}/${principal.sessionName}`,
              roleArn: principal.roleArn,
              account: principal.account,
              organizationId: principal.organizationId,
            };
          }
        }
        const query = groupValues(url.searchParams);
        const decision = await authorizeInvoke(policies, {
          caller,
          serviceArn,
          serviceNetworkArn,
          method: request.method ?? 'GET',
          path: url.pathname,
          port,
          query,
          headers: Object.fromEntries(
            Object.entries(headers).map(([name, values]) => [name, values.join(',')]),
          ),
        });
        if (!decision.allowed) {
          return text(403, decision.message, {
            caller,
            decision,
            failureReason: 'ClientAccessDenied',
          });
        }
        const event = {
          version: '2.0',
          path: url.pathname,
          method: request.method ?? 'GET',
          headers,
          ...(url.search !== '' && { queryStringParameters: query }),
          ...(body.length > 0 && { body: body.toString('utf8'), isBase64Encoded: false }),
          requestContext: {
            serviceNetworkArn,
            serviceArn,
            targetGroupArn,
            identity:
              caller.type === 'AssumedRole'
                ? {
                    type: 'AWS_IAM',
                    principal: caller.principal,
                    principalOrgID: caller.organizationId,
                    sessionName: caller.principal.slice(caller.principal.lastIndexOf('/') + 1),
                  }
                : {},
            region: props.region,
            timeEpoch: String(Date.now() * 1000),
          },
        };
        const began = performance.now();
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          service.invoke(event).catch((error: unknown) => ({
            kind: 'error' as const,
            errorType: 'TargetConnectionError',
            errorMessage: String(error),
          })),
          new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), props.targetTimeoutMs ?? 30_000);
          }),
        ]).finally(() => clearTimeout(timer));
        const targetMs = performance.now() - began;
        if (outcome === 'timeout') {
          return text(504, 'Gateway Timeout', {
            caller,
            failureReason: 'TargetDataTimeout',
            targetMs,
          });
        }
        if (outcome.kind !== 'result') {
          const unreachable =
            outcome.kind === 'unknown-function' || outcome.errorType === 'TargetConnectionError';
          return text(
            unreachable ? 503 : 502,
            unreachable ? 'Service Unavailable' : 'Bad Gateway',
            {
              caller,
              failureReason: unreachable ? 'TargetConnectionError' : 'TargetProtocolError',
              targetMs,
            },
          );
        }
        if (!isLatticeResponse(outcome.payload)) {
          return text(502, 'Bad Gateway', {
            caller,
            failureReason: 'TargetProtocolError',
            targetMs,
          });
        }
        const { statusCode, headers: answerHeaders = {}, body: answerBody = '' } = outcome.payload;
        return { status: statusCode, headers: answerHeaders, body: answerBody, caller, targetMs };
      };

      const server = createServer((request, response) => {
        const arrived = performance.now();
        const startTime = new Date().toISOString();
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          answer(request, Buffer.concat(chunks))
            .catch((error: unknown) =>
              text(500, `InternalServerException: ${String(error)}`, {
                failureReason: 'InternalError',
              }),
            )
            .then((result) => {
              response.writeHead(result.status, result.headers);
              response.end(result.body);
              const caller = result.caller;
              props.onAccessLog?.({
                startTime,
                requestId: firstHeader(request, 'x-amzn-requestid') ?? randomUUID(),
                serviceNetworkArn,
                serviceArn,
                targetGroupArn,
                requestMethod: request.method ?? 'GET',
                requestPath: request.url ?? '/',
                protocol: 'HTTP/1.1',
                responseCode: result.status,
                duration: round(performance.now() - arrived),
                requestToTargetDuration:
                  result.targetMs === undefined ? null : round(result.targetMs),
                callerPrincipal: caller?.type === 'AssumedRole' ? caller.principal : null,
                resolvedUser:
                  caller === undefined
                    ? 'Unknown'
                    : caller.type === 'AssumedRole'
                      ? caller.principal
                      : 'Anonymous',
                authDeniedReason:
                  result.decision !== undefined && !result.decision.allowed
                    ? result.decision.authDeniedReason
                    : null,
                failureReason: result.failureReason ?? null,
                userAgent: firstHeader(request, 'user-agent') ?? null,
                sourceIpPort: `${request.socket.remoteAddress}:${request.socket.remotePort}`,
              });
            });
        });
      });
      servers.push(server);
      port = await listen(server, service.port);
      running.push({ name: service.name, arn: serviceArn, url: `http://127.0.0.1:${port}` });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { serviceNetworkArn, services: running, close: closeAll };
};
