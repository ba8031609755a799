import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServers, listen } from '../http/listen.js';
import {
  declaresMoreThan,
  endAfterAnswer,
  RequestAbortedError,
  readBodyWithin,
} from '../http/readBodyWithin.js';
import type { InvokeOutcome } from '../lambda/startLambdaEndpoint.js';

/**
 * One listener rule: requests whose path matches `pathPattern` (a prefix and `*`, as
 * `/order/*`) go to the target group's one Lambda function.
 */
export interface ListenerRule {
  readonly priority: number;
  readonly pathPattern: `/${string}*`;
  /** The target group's name, e.g. `order-staff`, which its ARN ends with. */
  readonly targetGroup: string;
  /** Invokes the target function with an ALB event. */
  readonly invoke: (event: unknown) => Promise<InvokeOutcome>;
}

export interface LoadBalancerProps {
  readonly region: string;
  readonly account: string;
  readonly name: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly rules: readonly ListenerRule[];
  /** The listener's default action: this fixed response, as the platform's listener answers. */
  readonly fixedResponse: {
    readonly status: number;
    readonly contentType: string;
    readonly body: string;
  };
  /** Called when the load balancer itself fails on a request (answered 500). @default console.error */
  readonly onError?: (error: unknown) => void;
}

export interface LoadBalancer {
  /** e.g. `http://127.0.0.1:4090`. */
  readonly url: string;
  close(): Promise<void>;
}

/** What a Lambda target may receive and answer, as Elastic Load Balancing limits it. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Bodies of these types reach the function as text; any other body is base64-encoded. */
const TEXT_TYPES = [
  /^text\//,
  /^application\/(json|javascript|xml|x-www-form-urlencoded)\b/,
  /^application\/[^;]*\+(json|xml)\b/,
];

interface Reply {
  readonly status: number;
  readonly statusText?: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const plain = (status: number, text: string): Reply => ({
  status,
  headers: { 'content-type': 'text/html' },
  body: Buffer.from(`<html><body><center><h1>${status} ${text}</h1></center></body></html>\n`),
});

/**
 * The query string as the load balancer passes it: each parameter as the client sent it, still
 * URL-encoded, the last one of a repeated name (multi-value headers off).
 */
const queryOf = (search: string): Record<string, string> =>
  Object.fromEntries(
    search
      .replace(/^\?/, '')
      .split('&')
      .filter((pair) => pair !== '')
      .map((pair) => {
        const at = pair.indexOf('=');
        return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      }),
  );

/** The headers, names in lower case, the last value of a repeated one (multi-value headers off). */
const headersOf = (request: IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    headers[String(request.rawHeaders[i]).toLowerCase()] = String(request.rawHeaders[i + 1]);
  }
  return headers;
};

/** The ALB event of a request, as a Lambda target receives it. */
const albEvent = (
  request: IncomingMessage,
  targetGroupArn: string,
  path: string,
  search: string,
  body: Buffer,
) => {
  const headers: Record<string, string> = {
    ...headersOf(request),
    'x-forwarded-for': request.socket.remoteAddress ?? '127.0.0.1',
    'x-forwarded-proto': 'http',
    'x-forwarded-port': String(request.socket.localPort ?? ''),
    'x-amzn-trace-id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
  };
  const text = TEXT_TYPES.some((type) => type.test(headers['content-type'] ?? ''));
  return {
    requestContext: { elb: { targetGroupArn } },
    httpMethod: request.method ?? 'GET',
    path,
    queryStringParameters: queryOf(search),
    headers,
    body: body.length === 0 ? '' : text ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !text,
  };
};

/** The function's answer, or 502 when it failed or answered something the load balancer cannot send. */
const targetReply = (outcome: InvokeOutcome): Reply => {
  if (outcome.kind !== 'result') return plain(502, 'Bad Gateway');
  const answer = outcome.payload as Partial<{
    statusCode: unknown;
    statusDescription: unknown;
    headers: unknown;
    body: unknown;
    isBase64Encoded: unknown;
  }> | null;
  if (
    typeof answer !== 'object' ||
    answer === null ||
    !Number.isInteger(answer.statusCode) ||
    (answer.body !== undefined && answer.body !== null && typeof answer.body !== 'string') ||
    (answer.headers !== undefined &&
      (typeof answer.headers !== 'object' || answer.headers === null))
  ) {
    return plain(502, 'Bad Gateway');
  }
  const body = typeof answer.body === 'string' ? answer.body : '';
  const reason =
    typeof answer.statusDescription === 'string'
      ? answer.statusDescription.replace(/^\d+\s*/, '')
      : undefined;
  return {
    status: answer.statusCode as number,
    ...(reason !== undefined && reason !== '' && { statusText: reason }),
    headers: Object.fromEntries(
      Object.entries(answer.headers ?? {}).map(([name, value]) => [name, String(value)]),
    ),
    body: answer.isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body),
  };
};

/** The rule whose pattern matches the path, the lowest priority first. */
const ruleFor = (rules: readonly ListenerRule[], path: string): ListenerRule | undefined =>
  [...rules]
    .sort((a, b) => a.priority - b.priority)
    .find((rule) => path.startsWith(rule.pathPattern.slice(0, -1)));

const send = (request: IncomingMessage, response: ServerResponse, reply: Reply): void => {
  endAfterAnswer(request, response);
  if (reply.body.length > MAX_BODY_BYTES) {
    send(request, response, plain(502, 'Bad Gateway'));
    return;
  }
  try {
    if (reply.statusText !== undefined) response.statusMessage = reply.statusText;
    response.writeHead(reply.status, reply.headers);
  } catch {
    const failed = plain(502, 'Bad Gateway');
    response.statusMessage = 'Bad Gateway';
    response.writeHead(failed.status, failed.headers);
    response.end(failed.body);
    return;
  }
  response.end(reply.body);
};

/**
 * A local Application Load Balancer with one HTTP listener on 127.0.0.1 (the internal staff
 * load balancer of ADR 0021): listener rules by path pattern, each forwarding to a target group
 * of one Lambda function, invoked with ALB events as Elastic Load Balancing documents them
 * (multi-value headers off: header names in lower case, the last of repeated values; the query
 * string's parameters still URL-encoded; a body of a type that is not text base64-encoded; the
 * `x-forwarded-*` headers added). The function's `statusCode`, `statusDescription`, `headers`,
 * `body` and `isBase64Encoded` are its answer; a failed invocation or an answer it cannot send
 * is 502, a request body over 1 MB 413, and a path no rule matches the default fixed response.
 *
 * @example
 * ```ts
 * const alb = await startLoadBalancer({ region, account, name: 'shop-staff', port: 4090, rules, fixedResponse });
 * ```
 */
export const startLoadBalancer = async (props: LoadBalancerProps): Promise<LoadBalancer> => {
  const onError = props.onError ?? ((error: unknown) => console.error(error));
  const arnOf = (targetGroup: string) =>
    `arn:aws:elasticloadbalancing:${props.region}:${props.account}:targetgroup/${targetGroup}/${createHash('sha256').update(targetGroup).digest('hex').slice(0, 16)}`;
  const handle = async (request: IncomingMessage): Promise<Reply> => {
    const raw = request.url ?? '/';
    const at = raw.indexOf('?');
    const path = at < 0 ? raw : raw.slice(0, at);
    const search = at < 0 ? '' : raw.slice(at);
    const rule = ruleFor(props.rules, path);
    if (rule === undefined) {
      const { status, contentType, body } = props.fixedResponse;
      return { status, headers: { 'content-type': contentType }, body: Buffer.from(body) };
    }
    if (declaresMoreThan(request, MAX_BODY_BYTES)) return plain(413, 'Request Entity Too Large');
    const body = await readBodyWithin(request, MAX_BODY_BYTES);
    if (body === 'too-large') return plain(413, 'Request Entity Too Large');
    return targetReply(
      await rule.invoke(albEvent(request, arnOf(rule.targetGroup), path, search, body)),
    );
  };
  const server = createServer((request, response) => {
    handle(request)
      .then((reply) => send(request, response, reply))
      .catch((error: unknown) => {
        if (error instanceof RequestAbortedError) return;
        onError(error);
        send(request, response, plain(500, 'Internal Server Error'));
      });
  });
  const port = await listen(server, props.port);
  return { url: `http://127.0.0.1:${port}`, close: () => closeServers([server]) };
};
