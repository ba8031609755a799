import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { groupValues, headerPairs } from '../http/groupValues.js';
import { closeServers, listen } from '../http/listen.js';
import type { InvokeOutcome } from '../lambda/startLambdaEndpoint.js';

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
}

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

/** Whether an IAM resource pattern (`*` and `?`) matches the method ARN. */
const arnMatches = (pattern: string, arn: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(arn);

interface AuthorizerResult {
  readonly principalId?: string;
  readonly policyDocument?: {
    readonly Statement?: readonly {
      Effect?: string;
      Action?: string | string[];
      Resource?: string | string[];
    }[];
  };
  readonly context?: Record<string, string | number | boolean>;
}

/**
 * A local Amazon API Gateway for REST APIs built as one `{proxy+}` resource (any method) with a
 * Lambda proxy integration and a Lambda REQUEST authorizer whose identity source is the
 * `Authorization` header, one listener per API. It follows API Gateway's flow and answers:
 *
 * - no `Authorization` header: 401 `{"message":"Unauthorized"}`, the authorizer is not called;
 * - the authorizer throws `Unauthorized`: 401; fails otherwise: 500 `{"message":null}`;
 * - its policy denies the method ARN: 403 `{"Message":"User is not authorized to access this
 *   resource with an explicit deny"}`; allows nothing that matches: 403 `{"Message":"User is
 *   not authorized to access this resource"}`;
 * - allowed: the integration gets the proxy event with `requestContext.authorizer` (the
 *   authorizer's context and `principalId`); a failed or malformed answer is 502
 *   `{"message": "Internal server error"}`;
 * - a body over 10 MB: 413.
 *
 * Decisions are not cached (`authorizerResultTtlInSeconds: 0`).
 *
 * @example
 * ```ts
 * const gateway = await startApiGateway({ region, account, apis: [{ name: 'shop-order', port: 0, invoke, authorize }] });
 * ```
 */
export const startApiGateway = async (props: ApiGatewayProps): Promise<ApiGateway> => {
  const stage = props.stage ?? 'live';
  const servers: Server[] = [];
  const running: RunningRestApi[] = [];
  const closeAll = () => closeServers(servers);

  const handle = async (
    api: RestApiDefinition,
    apiId: string,
    request: IncomingMessage,
    body: Buffer,
  ): Promise<Reply> => {
    if (body.length > MAX_PAYLOAD_BYTES) return message(413, 'Request Too Long');
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const multiValueHeaders = groupValues(headerPairs(request));
    const headers = singleValues(multiValueHeaders);
    const multiValueQueryStringParameters = groupValues(url.searchParams);
    const queryStringParameters = singleValues(multiValueQueryStringParameters);
    const methodArn = `arn:aws:execute-api:${props.region}:${props.account}:${apiId}/${stage}/${method}${url.pathname}`;
    const requestContext = {
      accountId: props.account,
      apiId,
      stage,
      requestId: randomUUID(),
      resourceId: 'proxy',
      resourcePath: '/{proxy+}',
      httpMethod: method,
      path: `/${stage}${url.pathname}`,
      protocol: 'HTTP/1.1',
      requestTimeEpoch: Date.now(),
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
      },
    };
    const authorization = Object.entries(headers).find(
      ([name]) => name.toLowerCase() === 'authorization',
    )?.[1];
    if (!authorization) return message(401, 'Unauthorized');

    const decision = await api.authorize({
      type: 'REQUEST',
      methodArn,
      resource: '/{proxy+}',
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters,
      multiValueQueryStringParameters,
      pathParameters: { proxy: url.pathname.slice(1) },
      stageVariables: null,
      requestContext,
    });
    if (decision.kind !== 'result') {
      return decision.kind === 'error' && decision.errorMessage === 'Unauthorized'
        ? message(401, 'Unauthorized')
        : message(500, null);
    }
    const result = decision.payload as AuthorizerResult;
    const statements = result.policyDocument?.Statement ?? [];
    const matching = statements.filter(
      (statement) =>
        [statement.Action ?? []]
          .flat()
          .some((action) => action === 'execute-api:Invoke' || action === '*') &&
        [statement.Resource ?? []].flat().some((resource) => arnMatches(resource, methodArn)),
    );
    if (matching.some((statement) => statement.Effect === 'Deny')) {
      return message(
        403,
        'User is not authorized to access this resource with an explicit deny',
        'Message',
      );
    }
    if (!matching.some((statement) => statement.Effect === 'Allow')) {
      return message(403, 'User is not authorized to access this resource', 'Message');
    }

    const outcome = await api.invoke({
      resource: '/{proxy+}',
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: url.search === '' ? null : queryStringParameters,
      multiValueQueryStringParameters: url.search === '' ? null : multiValueQueryStringParameters,
      pathParameters: { proxy: url.pathname.slice(1) },
      stageVariables: null,
      requestContext: {
        ...requestContext,
        authorizer: { ...result.context, principalId: result.principalId ?? '' },
      },
      body: body.length === 0 ? null : body.toString('utf8'),
      isBase64Encoded: false,
    });
    const answer =
      outcome.kind === 'result'
        ? (outcome.payload as Partial<{
            statusCode: number;
            headers: Record<string, string>;
            body: string;
          }>)
        : undefined;
    if (answer === undefined || !Number.isInteger(answer.statusCode)) {
      return message(502, 'Internal server error');
    }
    return {
      status: answer.statusCode as number,
      headers: answer.headers ?? {},
      body: answer.body ?? '',
    };
  };

  try {
    for (const api of props.apis) {
      const apiId = randomUUID().replace(/-/g, '').slice(0, 10);
      const server = createServer((request: IncomingMessage, response: ServerResponse) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          handle(api, apiId, request, Buffer.concat(chunks))
            .catch(() => message(500, 'Internal server error'))
            .then((reply) => {
              response.writeHead(reply.status, {
                ...reply.headers,
                'x-amzn-requestid': randomUUID(),
              });
              response.end(reply.body);
            });
        });
      });
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
