import {
  type ApiCall,
  authorizedOn,
  type Derivation,
  type Scope,
  unreadable,
} from './iamRequest.js';

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const FUNCTION = /^\/2015-03-31\/functions\/([^/]+)\/?$/;
const LIST = /^\/2015-03-31\/functions\/?$/;
const FULL_ARN = /^arn:aws:lambda:[^:]+:\d{12}:function:[^:]+(?::[^:]+)?$/;
const PARTIAL_ARN = /^(\d{12}):function:([^:]+(?::[^:]+)?)$/;

/**
 * The function's ARN from a `FunctionName` (name, `name:qualifier`, partial ARN or ARN) and an
 * optional `Qualifier`, qualified as Lambda authorizes it.
 */
const functionArn = (scope: Scope, functionName: string, qualifier?: string): string => {
  const partial = PARTIAL_ARN.exec(functionName);
  const arn = FULL_ARN.test(functionName)
    ? functionName
    : partial !== null
      ? `arn:aws:lambda:${scope.region}:${partial[1]}:function:${partial[2]}`
      : `arn:aws:lambda:${scope.region}:${scope.account}:function:${functionName}`;
  const qualified = arn.split(':').length > 7;
  return qualifier === undefined || qualified ? arn : `${arn}:${qualifier}`;
};

/**
 * The authorization AWS makes for a Lambda call (REST-JSON protocol): `Invoke`
 * (`POST /2015-03-31/functions/<name or ARN>/invocations[?Qualifier=]`) is
 * `lambda:InvokeFunction` on the (qualified) function ARN; `GetFunction` on the function;
 * `ListFunctions` on `*`.
 *
 * @example
 * ```ts
 * lambdaRequests({ method: 'POST', path: '/2015-03-31/functions/order-place/invocations', ... }, scope).requests;
 * // [{ action: 'lambda:InvokeFunction', resource: 'arn:aws:lambda:eu-west-1:000000000000:function:order-place', context: {} }]
 * ```
 */
export const lambdaRequests = (call: ApiCall, scope: Scope): Derivation => {
  const qualifier = call.query['Qualifier']?.[0];
  const invoke = INVOKE.exec(call.path);
  if (call.method === 'POST' && invoke !== null) {
    const resource = functionArn(scope, decodeURIComponent(String(invoke[1])), qualifier);
    return authorizedOn('Invoke', 'lambda:InvokeFunction', resource);
  }
  const get = FUNCTION.exec(call.path);
  if (call.method === 'GET' && get !== null) {
    const resource = functionArn(scope, decodeURIComponent(String(get[1])), qualifier);
    return authorizedOn('GetFunction', 'lambda:GetFunction', resource);
  }
  if (call.method === 'GET' && LIST.test(call.path)) {
    return authorizedOn('ListFunctions', 'lambda:ListFunctions', '*');
  }
  return unreadable('UnknownOperation', `No operation at ${call.method} ${call.path}`);
};
