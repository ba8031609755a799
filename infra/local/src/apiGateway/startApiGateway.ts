import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { groupValues, headerPairs } from '../http/groupValues.js';
import { closeServers, listen } from '../http/listen.js';
import {
  declaresMoreThan,
  endAfterAnswer,
  RequestAbortedError,
  readBodyWithin,
} from '../http/readBodyWithin.js';
import { requestUrl } from '../http/requestUrl.js';
import type { InvokeOutcome } from '../lambda/startLambdaEndpoint.js';
import { type AuthorizerResult, evaluateAuthorizerPolicy } from './evaluateAuthorizerPolicy.js';

/** One REST API: a `{proxy+}` resource (any method) on one function, behind a REQUEST authorizer. */
export interface RestApiDefinition {
  readonly name: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Invokes the integration function with an API Gateway proxy event (v1). */
  readonly invoke: (event: unknown) => Promise<InvokeOutcome>;
  /** Invokes the Lambda authorizer with a REQUEST authorizer event. */
  readonly authorize: (event: unknown) => Promise<InvokeOutcome>;
}

export interface ApiGatewayProps {
  readonly region: string;
  readonly account: string;
  readonly apis: readonly RestApiDefinition[];
  /** @default 'live' */
  readonly stage?: string;
  /** How long the gateway waits for the integration, as a REST API's integration timeout. @default 29000 */
  readonly integrationTimeoutMs?: number;
  /**
   * Called when the gateway itself fails on a request (answered 500, without details).
   * @default console.error
   */
  readonly onError?: (error: unknown) => void;
  /** One entry per request the authorizer was asked about, once decided. @default discarded */
  readonly onAuthorization?: (entry: AuthorizationLogEntry) => void;
}

/** How the gateway decided one request with its authorizer. */
export interface AuthorizationLogEntry {
  readonly api: string;
  /** `arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<METHOD>/<path>` */
  readonly methodArn: string;
  /** The authorizer's `principalId`, when it answered a policy. */
  readonly principalId: string | undefined;
  readonly decision: 'Allow' | 'Deny';
  /**
   * `Allow`; `ExplicitDeny` or `ImplicitDeny` by the policy the authorizer answered;
   * `Unauthorized` (no `Authorization` header, or the authorizer threw `Unauthorized`, 401);
   * `AuthorizerError` (it failed otherwise, 500).
   */
  readonly reason: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny' | 'Unauthorized' | 'AuthorizerError';
}

type Told = (entry: Omit<AuthorizationLogEntry, 'api'>) => void;

export interface RunningRestApi {
  readonly name: string;
  readonly apiId: string;
  /** e.g. `http://127.0.0.1:4060`, as a custom domain with no base path. */
  readonly url: string;
}

export interface ApiGateway {
  readonly apis: readonly RunningRestApi[];
  close(): Promise<void>;
}

/** API Gateway's own limit; the services refuse far less (64 KB). */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** The methods `ANY` stands for. */
const METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);

interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
}

const message = (status: number, text: string | null, key = 'message'): Reply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ [key]: text }),
});

const singleValues = (multi: Record<string, string[]>): Record<string, string> =>
  Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v.at(-1) ?? '']));

/** Where a request arrived: one stage of one REST API. */
interface Stage {
  readonly region: string;
  readonly account: string;
  readonly apiId: string;
  readonly name: string;
}

/**
 * A request as API Gateway's events describe it, before the authorizer is asked, or undefined
 * when no method takes it: `{proxy+}` takes one path segment or more, so never the root.
 */
const proxyRequest = (stage: Stage, request: IncomingMessage) => {
  const url = requestUrl(request.url);
  const method = request.method ?? 'GET';
  if (url === undefined || url.pathname === '/' || !METHODS.has(method)) return undefined;
  const multiValueHeaders = groupValues(headerPairs(request));
  const headers = singleValues(multiValueHeaders);
  const multiValueQueryStringParameters = groupValues(url.searchParams);
  return {
    url,
    method,
    headers,
    multiValueHeaders,
    queryStringParameters: singleValues(multiValueQueryStringParameters),
    multiValueQueryStringParameters,
    methodArn: `arn:aws:execute-api:${stage.region}:${stage.account}:${stage.apiId}/${stage.name}/${method}${url.pathname}`,
    requestContext: {
      accountId: stage.account,
      apiId: stage.apiId,
      stage: stage.name,
      requestId: randomUUID(),
      resourceId: 'proxy',
      resourcePath: '/{proxy+}',
      httpMethod: method,
      path: `/${stage.name}${url.pathname}`,
      protocol: 'HTTP/1.1',
      requestTimeEpoch: Date.now(),
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
      },
    },
  };
};

type ProxyRequest = NonNullable<ReturnType<typeof proxyRequest>>;

const authorizationOf = (request: ProxyRequest): string | undefined =>
  Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];

const authorizerEvent = (request: ProxyRequest) => ({
  type: 'REQUEST',
  methodArn: request.methodArn,
  resource: '/{proxy+}',
  path: request.url.pathname,
  httpMethod: request.method,
  headers: request.headers,
  multiValueHeaders: request.multiValueHeaders,
  queryStringParameters: request.queryStringParameters,
  multiValueQueryStringParameters: request.multiValueQueryStringParameters,
  pathParameters: { proxy: request.url.pathname.slice(1) },
  stageVariables: null,
  requestContext: request.requestContext,
});

const integrationEvent = (request: ProxyRequest, authorizer: AuthorizerResult, body: Buffer) => {
  const hasQuery = request.url.search !== '';
  return {
    resource: '/{proxy+}',
    path: request.url.pathname,
    httpMethod: request.method,
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    queryStringParameters: hasQuery ? request.queryStringParameters : null,
    multiValueQueryStringParameters: hasQuery ? request.multiValueQueryStringParameters : null,
    pathParameters: { proxy: request.url.pathname.slice(1) },
    stageVariables: null,
    requestContext: {
      ...request.requestContext,
      authorizer: { ...authorizer.context, principalId: authorizer.principalId ?? '' },
    },
    body: body.length === 0 ? null : body.toString('utf8'),
    isBase64Encoded: false,
  };
};

/** The answer when the authorizer does not answer a policy: it threw `Unauthorized`, or failed. */
const authorizerFailure = (decision: InvokeOutcome): Reply =>
  decision.kind === 'error' && decision.errorMessage === 'Unauthorized'
    ? message(401, 'Unauthorized')
    : message(500, null);

const policyDenial = (verdict: 'ExplicitDeny' | 'ImplicitDeny'): Reply =>
  verdict === 'ExplicitDeny'
    ? message(
        403,
        'User is not authorized to access this resource with an explicit deny',
        'Message',
      )
    : message(403, 'User is not authorized to access this resource', 'Message');

const integrationFailure = () => message(502, 'Internal server error');

/**
 * The integration's proxy answer; 500 when Lambda refused the invocation (throttled, no such
 * function), 502 when the function failed (an error, a runtime that exited, a timeout) or
 * answered no proxy response.
 */
const integrationReply = (outcome: InvokeOutcome | 'timeout'): Reply => {
  if (outcome === 'timeout') return message(504, 'Endpoint request timed out');
  if (outcome.kind === 'throttled' || outcome.kind === 'unknown-function') {
    return message(500, 'Internal server error');
  }
  const answer =
    outcome.kind === 'result'
      ? (outcome.payload as Partial<{ statusCode: unknown; headers: unknown; body: unknown }>)
      : undefined;
  if (
    typeof answer !== 'object' ||
    answer === null ||
    !Number.isInteger(answer.statusCode) ||
    (answer.body !== undefined && answer.body !== null && typeof answer.body !== 'string')
  ) {
    return integrationFailure();
  }
  return {
    status: answer.statusCode as number,
    headers: (answer.headers ?? {}) as Record<string, string>,
    body: (answer.body ?? '') as string,
  };
};

const handle = async (
  api: RestApiDefinition,
  stage: Stage,
  request: IncomingMessage,
  integrationTimeoutMs: number,
  told: Told,
): Promise<Reply> => {
  if (declaresMoreThan(request, MAX_PAYLOAD_BYTES)) return message(413, 'Request Too Long');
  const proxy = proxyRequest(stage, request);
  if (proxy === undefined) return message(403, 'Missing Authentication Token');
  const { methodArn } = proxy;
  if (!authorizationOf(proxy)) {
    told({ methodArn, principalId: undefined, decision: 'Deny', reason: 'Unauthorized' });
    return message(401, 'Unauthorized');
  }
  const decision = await api.authorize(authorizerEvent(proxy));
  if (decision.kind !== 'result') {
    const unauthorized = decision.kind === 'error' && decision.errorMessage === 'Unauthorized';
    const reason = unauthorized ? 'Unauthorized' : 'AuthorizerError';
    told({ methodArn, principalId: undefined, decision: 'Deny', reason });
    return authorizerFailure(decision);
  }
  const authorizer = decision.payload as AuthorizerResult;
  const verdict = evaluateAuthorizerPolicy(authorizer, methodArn);
  told({
    methodArn,
    principalId: authorizer.principalId,
    decision: verdict === 'Allow' ? 'Allow' : 'Deny',
    reason: verdict,
  });
  if (verdict !== 'Allow') return policyDenial(verdict);
  const body = await readBodyWithin(request, MAX_PAYLOAD_BYTES);
  if (body === 'too-large') return message(413, 'Request Too Long');
  return integrationReply(
    await within(api.invoke(integrationEvent(proxy, authorizer, body)), integrationTimeoutMs),
  );
};

/** The invocation's outcome, or 'timeout' if it takes longer than `ms`. */
const within = async (
  invocation: Promise<InvokeOutcome>,
  ms: number,
): Promise<InvokeOutcome | 'timeout'> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    invocation,
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    }),
  ]).finally(() => clearTimeout(timer));
};

/** Writes the reply; one whose status or headers HTTP cannot carry is 502, as API Gateway answers. */
const send = (request: IncomingMessage, response: ServerResponse, reply: Reply): void => {
  endAfterAnswer(request, response);
  const headers = { 'x-amzn-requestid': randomUUID() };
  try {
    response.writeHead(reply.status, { ...reply.headers, ...headers });
  } catch {
    const failed = integrationFailure();
    response.writeHead(failed.status, { ...failed.headers, ...headers });
    response.end(failed.body);
    return;
  }
  response.end(reply.body);
};

const serveApi = (api: RestApiDefinition, stage: Stage, props: ApiGatewayProps): Server =>
  createServer((request, response) => {
    const onError = props.onError ?? ((error: unknown) => console.error(error));
    const told: Told = (entry) => props.onAuthorization?.({ api: api.name, ...entry });
    handle(api, stage, request, props.integrationTimeoutMs ?? 29_000, told)
      .catch((error: unknown) => {
        if (error instanceof RequestAbortedError) return undefined;
        onError(error);
        return message(500, 'Internal server error');
      })
      .then((reply) => {
        if (reply !== undefined && !response.destroyed) send(request, response, reply);
      });
  });

/**
 * A local Amazon API Gateway for REST APIs built as one `{proxy+}` resource (any method) with a
 * Lambda proxy integration and a Lambda REQUEST authorizer whose identity source is the
 * `Authorization` header, one listener per API. It follows API Gateway's flow and answers:
 *
 * - a path or method no resource takes (the root, a method `ANY` does not stand for, a request
 *   target that is not a path): 403 `{"message":"Missing Authentication Token"}`;
 * - no `Authorization` header: 401 `{"message":"Unauthorized"}`, the authorizer is not called;
 * - the authorizer throws `Unauthorized`: 401; fails otherwise: 500 `{"message":null}`;
 * - its policy denies the method ARN: 403 `{"Message":"User is not authorized to access this
 *   resource with an explicit deny"}`; allows nothing that matches: 403 `{"Message":"User is
 *   not authorized to access this resource"}`;
 * - allowed: the integration gets the proxy event with `requestContext.authorizer` (the
 *   authorizer's context and `principalId`); a function that fails (an error, a runtime that
 *   exited, a timeout) or answers no proxy response is 502 `{"message": "Internal server
 *   error"}`; an invocation Lambda refuses (throttled, no such function) is 500 with the same
 *   body; no answer within the integration timeout (29 s) is 504 `{"message": "Endpoint request
 *   timed out"}`;
 * - a body over 10 MB: 413 `{"message":"Request Too Long"}`, at once when `content-length` says
 *   so, else as soon as the bytes received pass 10 MB; reading stops there.
 *
 * The body is read only once the authorizer has allowed the request: a refused request's body is
 * never read (the connection is closed after the answer). Query-string and header names are kept
 * as sent, `__proto__` and `constructor` included. A failure of the gateway itself is 500
 * `{"message":"Internal server error"}`, with the error handed to `onError`.
 *
 * Decisions are not cached (`authorizerResultTtlInSeconds: 0`).
 *
 * @example
 * ```ts
 * const gateway = await startApiGateway({ region, account, apis: [{ name: 'shop-order', port: 0, invoke, authorize }] });
 * ```
 */
export const startApiGateway = async (props: ApiGatewayProps): Promise<ApiGateway> => {
  const servers: Server[] = [];
  const running: RunningRestApi[] = [];
  const closeAll = () => closeServers(servers);
  try {
    for (const api of props.apis) {
      const apiId = randomUUID().replace(/-/g, '').slice(0, 10);
      const stage = {
        region: props.region,
        account: props.account,
        apiId,
        name: props.stage ?? 'live',
      };
      const server = serveApi(api, stage, props);
      servers.push(server);
      running.push({
        name: api.name,
        apiId,
        url: `http://127.0.0.1:${await listen(server, api.port)}`,
      });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { apis: running, close: closeAll };
};
