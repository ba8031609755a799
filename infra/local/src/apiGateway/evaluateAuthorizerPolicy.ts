/** What a Lambda REQUEST authorizer answers: the caller, a policy and a context for the integration. */
export interface AuthorizerResult {
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

/** Whether an IAM resource pattern (`*` and `?`) matches the method ARN. */
const arnMatches = (pattern: string, arn: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(arn);

/**
 * How an authorizer's policy answers for one method ARN, as API Gateway reads it: of the
 * statements whose action is `execute-api:Invoke` (or `*`) and whose resource matches, a `Deny`
 * wins, then an `Allow`; no matching `Allow` is an implicit deny.
 *
 * @example
 * ```ts
 * evaluateAuthorizerPolicy(result, 'arn:aws:execute-api:eu-west-1:000000000000:a1b2c3/live/GET/orders');
 * // 'Allow', 'ExplicitDeny' or 'ImplicitDeny'
 * ```
 */
export const evaluateAuthorizerPolicy = (
  result: AuthorizerResult,
  methodArn: string,
): 'Allow' | 'ExplicitDeny' | 'ImplicitDeny' => {
  const statements = result.policyDocument?.Statement ?? [];
  const matching = statements.filter(
    (statement) =>
      [statement.Action ?? []]
        .flat()
        .some((action) => action === 'execute-api:Invoke' || action === '*') &&
      [statement.Resource ?? []].flat().some((resource) => arnMatches(resource, methodArn)),
  );
  if (matching.some((statement) => statement.Effect === 'Deny')) return 'ExplicitDeny';
  if (!matching.some((statement) => statement.Effect === 'Allow')) return 'ImplicitDeny';
  return 'Allow';
};
