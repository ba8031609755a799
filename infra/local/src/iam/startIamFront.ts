import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { forwardRequest } from '../http/forwardRequest.js';
import { closeServers, listen } from '../http/listen.js';
import { readBody } from '../http/readBody.js';
import { createRequestAuthorizer, type IamPolicies } from './authorizeRequest.js';
import { type HttpAnswer, refusalAnswer } from './awsRefusals.js';
import { wireProtocol } from './deriveIamRequests.js';
import type { EndpointKind } from './iamRequest.js';
import {
  type IamDecisionLogEntry,
  type JudgeContext,
  judgeRequest,
  type NetworkPlacement,
} from './judgeRequest.js';
import type { CredentialsRegistry } from './localCredentials.js';
import { receivedRequest } from './receivedRequest.js';

export interface IamFrontProps {
  /** The front listens on the loopback interface only. @default '127.0.0.1' */
  readonly host?: '127.0.0.1';
  /** 0 picks a free port. */
  readonly port: number;
  /** The local endpoint behind the front, e.g. `http://127.0.0.1:8000`. */
  readonly upstream: string;
  readonly kind: EndpointKind;
  readonly region: string;
  readonly account: string;
  readonly credentials: CredentialsRegistry;
  readonly policies: IamPolicies;
  /** Where each role's code runs: a caller in a VPC reaches only the services it has endpoints for. @default anywhere */
  readonly network?: NetworkPlacement;
  /** One entry per authorization decided, or per request refused before any. @default discarded */
  readonly onDecision?: (entry: IamDecisionLogEntry) => void;
  /** @default 16 MiB */
  readonly maxBodyBytes?: number;
  /** The clock signatures are checked against. @default () => new Date() */
  readonly now?: () => Date;
  /** Called when a request fails inside the front (answered 500). @default console.error */
  readonly onError?: (error: unknown) => void;
  /** Told, for each request forwarded, how long the front held it besides the upstream's time. */
  readonly onTiming?: (timing: FrontTiming) => void;
  /**
   * Told of each request forwarded as soon as the endpoint behind answers it, before the answer
   * is passed on: e.g. the writes DynamoDB accepted, for the outbox relays (`TableWrites.answered`).
   */
  readonly onAnswered?: (answered: ForwardedAnswer) => void;
}

/** A request the front forwarded, and the status the endpoint behind answered it with. */
export interface ForwardedAnswer {
  /** Its `X-Amz-Target` header, for the JSON protocols. */
  readonly target: string | undefined;
  readonly body: Uint8Array;
  /** The body as the front parsed it to judge the request (JSON), so that it is not parsed again. */
  readonly input: unknown;
  readonly status: number;
}

/**
 * Where a forwarded request's time went, in milliseconds, from its headers' arrival at the
 * front to the last byte of its answer: `upstreamMs` waiting for the endpoint behind (from
 * forwarding to its answer's arrival), and `addedMs` all the rest: reading the body, verifying,
 * judging, forwarding and passing the answer on.
 */
export interface FrontTiming {
  readonly kind: EndpointKind;
  readonly operation: string | undefined;
  readonly totalMs: number;
  readonly upstreamMs: number;
  readonly addedMs: number;
}

export interface IamFront {
  /** Where clients send requests, e.g. `http://127.0.0.1:41023` (`AWS_ENDPOINT_URL_<SERVICE>`). */
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

const write = (response: ServerResponse, answer: HttpAnswer): void => {
  response.writeHead(answer.status, {
    ...answer.headers,
    'content-length': String(Buffer.byteLength(answer.body)),
  });
  response.end(answer.body);
};

/** Reads, judges and answers or forwards one request. */
const handle = async (
  props: IamFrontProps,
  context: Omit<JudgeContext, 'now'>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> => {
  const received = performance.now();
  const body = await readBody(request, props.maxBodyBytes ?? 16 * 1024 * 1024);
  if (body === undefined) {
    const protocol = wireProtocol(props.kind, {
      'x-amz-target': request.headers['x-amz-target']?.toString(),
    });
    write(
      response,
      refusalAnswer(props.kind, protocol, {
        kind: 'Unreadable',
        code: 'Validation',
        message: 'Request body is too large.',
      }),
    );
    return;
  }
  const judgement = await judgeRequest(receivedRequest(request, body), {
    ...context,
    now: (props.now ?? (() => new Date()))(),
  });
  for (const entry of judgement.log) props.onDecision?.(entry);
  if (judgement.refusal !== undefined) {
    write(response, refusalAnswer(props.kind, judgement.protocol, judgement.refusal));
    return;
  }
  const { onTiming, onAnswered } = props;
  const target = request.headers['x-amz-target']?.toString();
  const told = (status: number) => onAnswered?.({ target, body, input: judgement.input, status });
  if (onTiming === undefined) {
    forwardRequest(new URL(props.upstream), request, response, body, (_at, status) => told(status));
    return;
  }
  const forwarded = performance.now();
  let answered = forwarded;
  response.once('finish', () => {
    const totalMs = performance.now() - received;
    const upstreamMs = answered - forwarded;
    const operation = judgement.log[0]?.operation;
    onTiming({ kind: props.kind, operation, totalMs, upstreamMs, addedMs: totalMs - upstreamMs });
  });
  forwardRequest(new URL(props.upstream), request, response, body, (at, status) => {
    answered = at;
    told(status);
  });
};

/**
 * Starts an IAM enforcement front before one local AWS endpoint (DynamoDB Local, fauxqs, the
 * EventBridge, Lambda, Verified Permissions or Cognito emulator): an HTTP reverse proxy on
 * 127.0.0.1 that reads each request, verifies its SigV4 signature (hardened: body hash, this
 * endpoint's host, no repeated Authorization/Host), maps the key to its role session, derives
 * the IAM authorizations AWS would make, decides them with the role's identity policies and the
 * resource's policy, and either forwards the request unchanged or answers the service's own
 * error (AccessDeniedException, UnrecognizedClientException, ...). Every decision is reported
 * to `onDecision`. Decisions are cached per role, action, resource and condition keys.
 *
 * @example
 * ```ts
 * const front = await startIamFront({
 *   port: 0, upstream: dynamodb.endpoint, kind: 'dynamodb', region, account,
 *   credentials, policies, onDecision: (entry) => log.push(entry),
 * });
 * new DynamoDBClient({ endpoint: front.endpoint, credentials: credentials.forRole(roleArn) });
 * ```
 */
export const startIamFront = async (props: IamFrontProps): Promise<IamFront> => {
  const scope = { region: props.region, account: props.account };
  const authorizer = createRequestAuthorizer(props.policies, scope);
  let context: Omit<JudgeContext, 'now'> | undefined;
  const server = createServer((request, response) => {
    if (context === undefined) {
      response.destroy();
      return;
    }
    handle(props, context, request, response).catch((error: unknown) => {
      (props.onError ?? console.error)(error);
      if (!response.headersSent) write(response, { status: 500, headers: {}, body: '' });
      else response.destroy();
    });
  });
  const port = await listen(server, props.port);
  context = {
    kind: props.kind,
    scope,
    credentials: props.credentials,
    authorizer,
    ...(props.network !== undefined && { network: props.network }),
    host: `127.0.0.1:${port}`,
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: () => closeServers([server]),
  };
};
