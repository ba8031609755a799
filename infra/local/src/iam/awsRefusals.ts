import { randomUUID } from 'node:crypto';
import type { IamDecision } from './authorizeRequest.js';
import type { EndpointKind, IamRequest, WireProtocol } from './iamRequest.js';
import type { SigV4Rejection } from './verifySigV4.js';

/** An answer written to the caller as it is. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Why the front refuses a request, before or after authorization. */
export type Refusal =
  | { readonly kind: 'AccessDenied'; readonly message: string }
  | { readonly kind: 'MissingAuthentication' }
  /** The caller's functions run in a VPC with no endpoint for the service: never in AWS's words. */
  | { readonly kind: 'Unreachable'; readonly message: string }
  | { readonly kind: 'Signature'; readonly reason: SigV4Rejection; readonly message: string }
  | {
      readonly kind: 'Unreadable';
      readonly code: 'UnknownOperation' | 'Validation';
      readonly message: string;
    };

/** An error as a service names it: its code, HTTP status and message. */
interface ServiceError {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

const JSON_VERSION: Readonly<Record<EndpointKind, string>> = {
  dynamodb: '1.0',
  sqs: '1.0',
  verifiedpermissions: '1.0',
  events: '1.1',
  'cognito-idp': '1.1',
  lambda: '1.1',
  logs: '1.1',
};

const withoutType = (message: string): string => message.replace(/^[A-Za-z0-9]+: /, '');

/**
 * A request AWS would never receive answers nothing there (the caller times out); the local
 * cloud answers at once, with a code of its own that the SDKs do not retry.
 */
const UNREACHABLE = 'VpcEndpointMissing';

/** What SQS, a Query-compatible service, calls each refusal. */
const sqsError = (refusal: Refusal): ServiceError => {
  switch (refusal.kind) {
    case 'Unreachable':
      return { code: UNREACHABLE, status: 403, message: refusal.message };
    case 'AccessDenied':
      return { code: 'AccessDenied', status: 403, message: refusal.message };
    case 'MissingAuthentication':
      return {
        code: 'MissingAuthenticationToken',
        status: 403,
        message: 'Request is missing Authentication Token',
      };
    case 'Unreadable':
      return {
        code: refusal.code === 'UnknownOperation' ? 'InvalidAction' : 'InvalidParameterValue',
        status: 400,
        message: refusal.message,
      };
    case 'Signature': {
      const message = withoutType(refusal.message);
      if (refusal.reason === 'UNKNOWN_KEY')
        return { code: 'InvalidClientTokenId', status: 403, message };
      if (refusal.reason === 'MALFORMED' || refusal.reason === 'DUPLICATE_HEADER') {
        return { code: 'IncompleteSignature', status: 400, message };
      }
      return { code: 'SignatureDoesNotMatch', status: 403, message };
    }
  }
};

/** What the JSON and REST-JSON services call each refusal (Lambda answers 403 where they answer 400). */
const serviceError = (kind: EndpointKind, refusal: Refusal): ServiceError => {
  const denied = kind === 'lambda' || kind === 'verifiedpermissions' ? 403 : 400;
  const auth = kind === 'lambda' ? 403 : 400;
  switch (refusal.kind) {
    case 'Unreachable':
      return { code: UNREACHABLE, status: 403, message: refusal.message };
    case 'AccessDenied':
      return { code: 'AccessDeniedException', status: denied, message: refusal.message };
    case 'MissingAuthentication':
      return {
        code: 'MissingAuthenticationTokenException',
        status: auth,
        message:
          kind === 'lambda'
            ? 'Missing Authentication Token'
            : 'Request is missing Authentication Token',
      };
    case 'Unreadable':
      return refusal.code === 'UnknownOperation'
        ? {
            code: 'UnknownOperationException',
            status: kind === 'lambda' ? 404 : 400,
            message: refusal.message,
          }
        : { code: 'ValidationException', status: 400, message: refusal.message };
    case 'Signature': {
      const message = withoutType(refusal.message);
      if (refusal.reason === 'UNKNOWN_KEY')
        return { code: 'UnrecognizedClientException', status: auth, message };
      if (refusal.reason === 'MALFORMED' || refusal.reason === 'DUPLICATE_HEADER') {
        return { code: 'IncompleteSignatureException', status: auth, message };
      }
      return { code: 'InvalidSignatureException', status: auth, message };
    }
  }
};

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** DynamoDB names its authentication and authorization errors in the coral namespace. */
const jsonType = (kind: EndpointKind, code: string): string => {
  if (kind === 'sqs') return `com.amazonaws.sqs#${code}`;
  if (
    kind === 'dynamodb' &&
    code !== 'ValidationException' &&
    code !== 'UnknownOperationException'
  ) {
    return `com.amazon.coral.service#${code}`;
  }
  return code;
};

/**
 * The answer the service itself gives for a refusal, framed in the caller's protocol, so the
 * AWS SDK raises the error AWS would: JSON `{ __type, message }` (DynamoDB's
 * `com.amazon.coral.service#AccessDeniedException`; SQS's `com.amazonaws.sqs#AccessDenied` with
 * the `x-amzn-query-error` header its SDKs read); SQS Query protocol XML
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…`; Lambda's REST error with
 * `x-amzn-ErrorType`. Signature failures are UnrecognizedClientException /
 * InvalidSignatureException / IncompleteSignatureException / MissingAuthenticationTokenException,
 * and InvalidClientTokenId / SignatureDoesNotMatch / IncompleteSignature /
 * MissingAuthenticationToken for SQS.
 *
 * @example
 * ```ts
 * refusalAnswer('dynamodb', 'json', { kind: 'AccessDenied', message });
 * // { status: 400, headers: { 'content-type': 'application/x-amz-json-1.0', ... }, body: '{"__type":"com.amazon.coral.service#AccessDeniedException",...}' }
 * ```
 */
export const refusalAnswer = (
  kind: EndpointKind,
  protocol: WireProtocol,
  refusal: Refusal,
): HttpAnswer => {
  const requestId = randomUUID();
  const error = kind === 'sqs' ? sqsError(refusal) : serviceError(kind, refusal);
  if (protocol === 'query') {
    const body = `<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return {
      status: error.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body,
    };
  }
  if (protocol === 'rest-json') {
    return {
      status: error.status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-errortype': error.code,
        'x-amzn-requestid': requestId,
      },
      body: JSON.stringify({ Type: 'User', message: error.message }),
    };
  }
  return {
    status: error.status,
    headers: {
      'content-type': `application/x-amz-json-${JSON_VERSION[kind]}`,
      'x-amzn-requestid': requestId,
      ...(kind === 'sqs' && { 'x-amzn-query-error': `${error.code};Sender` }),
    },
    body: JSON.stringify({ __type: jsonType(kind, error.code), message: error.message }),
  };
};

/**
 * AWS's access-denied message for one authorization: who, which action, which resource, and
 * whether no policy allows it or a policy denies it. SQS writes its actions in lower case.
 *
 * @example
 * ```ts
 * accessDeniedMessage('dynamodb', principal, request, { allowed: false, reason: 'NoAllow' });
 * // 'User: arn:aws:sts::…:assumed-role/… is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:… because no identity-based policy allows the dynamodb:GetItem action'
 * ```
 */
export const accessDeniedMessage = (
  kind: EndpointKind,
  principal: string,
  request: IamRequest,
  decision: Extract<IamDecision, { readonly allowed: false }>,
): string => {
  const action = kind === 'sqs' ? request.action.toLowerCase() : request.action;
  const why =
    decision.reason === 'ExplicitDenyInIdentityPolicy'
      ? 'with an explicit deny in an identity-based policy'
      : decision.reason === 'ExplicitDenyInResourcePolicy'
        ? 'with an explicit deny in a resource-based policy'
        : `because no identity-based policy allows the ${action} action`;
  return `User: ${principal} is not authorized to perform: ${action} on resource: ${request.resource} ${why}`;
};
