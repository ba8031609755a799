import type { IncomingMessage } from 'node:http';
import { AwsServiceError } from '../http/awsErrors.js';
import { readBody } from '../http/readBody.js';

/** Lambda's limit on a synchronous invocation's request and response payloads. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** The API reference's FunctionName pattern: a name, a partial ARN or a full ARN, each with an optional qualifier. */
const FUNCTION_NAME =
  /^(?:arn:aws[a-zA-Z-]*:lambda:)?(?:(?:eusc-)?[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d:)?(?:\d{12}:)?(?:function:)?([a-zA-Z0-9._-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;
type InvocationType = (typeof INVOCATION_TYPES)[number];

const isInvocationType = (value: string): value is InvocationType =>
  (INVOCATION_TYPES as readonly string[]).includes(value);

/** One `Invoke` request, read and checked. */
export interface Invocation {
  readonly functionName: string;
  readonly invocationType: InvocationType;
  readonly payload: unknown;
}

const functionNameOf = (segment: string, qualifier: string | null): string => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    decoded = segment;
  }
  const match = FUNCTION_NAME.exec(decoded);
  const name = match?.[1];
  if (name === undefined) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value '${decoded}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME.source}`,
    );
  }
  const derived = match?.[2];
  if (derived !== undefined && qualifier !== null && derived !== qualifier) {
    throw new AwsServiceError(
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  return name;
};

const invocationTypeOf = (req: IncomingMessage): InvocationType => {
  const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (!isInvocationType(invocationType)) {
    throw new AwsServiceError(
      'InvalidParameterValueException',
      `Unsupported invocation type ${invocationType}; use RequestResponse, Event or DryRun.`,
    );
  }
  return invocationType;
};

const parsePayload = (body: Buffer): unknown => {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AwsServiceError(
      'InvalidRequestContentException',
      `Could not parse request body into json: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

/**
 * Reads a Lambda `Invoke` request (`POST /2015-03-31/functions/{FunctionName}/invocations`) and
 * checks it as Lambda does, in Lambda's order: the operation, the payload size, the function name
 * and qualifier, the invocation type, the payload's JSON.
 *
 * @throws {AwsServiceError} with Lambda's error type and message for the first check that fails.
 *
 * @example
 * ```ts
 * const { functionName, invocationType, payload } = await readInvocation(req);
 * ```
 */
export const readInvocation = async (req: IncomingMessage): Promise<Invocation> => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const segment = INVOKE_PATH.exec(url.pathname)?.[1];
  if (req.method !== 'POST' || segment === undefined) {
    req.resume();
    throw new AwsServiceError(
      'UnknownOperationException',
      `Unknown operation ${req.method ?? ''} ${url.pathname}`,
      404,
    );
  }
  const body = await readBody(req, MAX_PAYLOAD_BYTES);
  if (body === undefined) {
    throw new AwsServiceError(
      'RequestTooLargeException',
      `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      413,
    );
  }
  const functionName = functionNameOf(segment, url.searchParams.get('Qualifier'));
  const invocationType = invocationTypeOf(req);
  return { functionName, invocationType, payload: parsePayload(body) };
};
