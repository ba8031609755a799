import { cognitoRequests } from './cognitoRequests.js';
import { dynamodbRequests } from './dynamodbRequests.js';
import { eventsRequests } from './eventsRequests.js';
import type {
  ApiCall,
  Derivation,
  Deriver,
  EndpointKind,
  Scope,
  WireProtocol,
} from './iamRequest.js';
import { lambdaRequests } from './lambdaRequests.js';
import { logsRequests } from './logsRequests.js';
import { sqsRequests } from './sqsRequests.js';
import { verifiedPermissionsRequests } from './verifiedPermissionsRequests.js';

const DERIVERS: Readonly<Record<EndpointKind, Deriver>> = {
  dynamodb: dynamodbRequests,
  sqs: sqsRequests,
  events: eventsRequests,
  lambda: lambdaRequests,
  verifiedpermissions: verifiedPermissionsRequests,
  'cognito-idp': cognitoRequests,
  logs: logsRequests,
};

/** The name each endpoint's requests are signed for (DynamoDB Streams signs as `dynamodb`). */
export const SIGNING_NAMES: Readonly<Record<EndpointKind, string>> = {
  dynamodb: 'dynamodb',
  sqs: 'sqs',
  events: 'events',
  lambda: 'lambda',
  verifiedpermissions: 'verifiedpermissions',
  'cognito-idp': 'cognito-idp',
  logs: 'logs',
};

/**
 * The authorizations AWS makes for one call to an endpoint: which action on which resources,
 * with which condition keys. Pure: the call is already framed and its body parsed.
 *
 * @example
 * ```ts
 * deriveIamRequests('dynamodb', call, { region: 'eu-west-1', account: '000000000000' });
 * ```
 */
export const deriveIamRequests = (kind: EndpointKind, call: ApiCall, scope: Scope): Derivation =>
  DERIVERS[kind](call, scope);

/**
 * How a call to an endpoint is framed: Lambda is REST-JSON; SQS is JSON when it names an
 * `X-Amz-Target`, else the Query protocol; the others are JSON.
 *
 * @example
 * ```ts
 * wireProtocol('sqs', { 'content-type': 'application/x-www-form-urlencoded' }); // 'query'
 * ```
 */
export const wireProtocol = (
  kind: EndpointKind,
  headers: Readonly<Record<string, string | undefined>>,
): WireProtocol => {
  if (kind === 'lambda') return 'rest-json';
  if (kind === 'sqs' && headers['x-amz-target'] === undefined) return 'query';
  return 'json';
};
