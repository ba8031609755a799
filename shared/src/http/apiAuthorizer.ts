import { ENVIRONMENT } from '@shop/contracts/names';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { readPlainConfig } from '../readConfig.js';
import { identityTokenVerifier } from './identityTokens.js';
import type { SignedInUser } from './signedInUser.js';

/** Thrown to make API Gateway answer 401: the message must be exactly `Unauthorized`. */
const unauthorized = () => new Error('Unauthorized');

/**
 * A Lambda REQUEST authorizer for a REST API: takes the ID token from `Authorization` (with or
 * without `Bearer `), verifies it, and allows the caller on the whole API (a wildcard resource,
 * so a cached decision holds for every route), passing `sub`, `username` and `groups`
 * (comma-separated: context values are strings) to the integration. Any failure is 401. What the
 * caller may do is decided after, by the service's Cedar policies.
 *
 * @example
 * ```ts
 * export const handler = requestAuthorizer(identityTokenVerifier(config));
 * ```
 */
export const requestAuthorizer =
  (verify: (token: string) => Promise<SignedInUser>) =>
  async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const header = Object.entries(event.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'authorization',
    )?.[1];
    const token = header?.replace(/^Bearer\s+/i, '').trim();
    if (!token) throw unauthorized();
    let user: SignedInUser;
    try {
      user = await verify(token);
    } catch {
      throw unauthorized();
    }
    const [arn = '', stage = ''] = event.methodArn.split('/');
    return {
      principalId: user.sub,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${arn}/${stage}/*/*` },
        ],
      },
      context: { sub: user.sub, username: user.username, groups: user.groups.join(',') },
    };
  };

/**
 * The authorizer of a service's API, configured from its environment: the customer pool's
 * `USER_POOL_ID` and `USER_POOL_CLIENT_ID`, the staff pool's `STAFF_USER_POOL_ID` and
 * `STAFF_USER_POOL_CLIENT_ID` and, against the local user pools only, their issuers
 * `TOKEN_ISSUER` and `STAFF_TOKEN_ISSUER`.
 *
 * @example
 * ```ts
 * export const handler = identityAuthorizer();
 * ```
 */
export const identityAuthorizer = () => {
  const config = readPlainConfig({
    required: [
      ENVIRONMENT.userPoolId,
      ENVIRONMENT.userPoolClientId,
      ENVIRONMENT.staffUserPoolId,
      ENVIRONMENT.staffUserPoolClientId,
    ],
    optionalUrls: ['TOKEN_ISSUER', 'STAFF_TOKEN_ISSUER'],
  });
  return requestAuthorizer(
    identityTokenVerifier({
      customers: {
        userPoolId: config[ENVIRONMENT.userPoolId],
        clientId: config[ENVIRONMENT.userPoolClientId],
        issuer: config.TOKEN_ISSUER,
      },
      staff: {
        userPoolId: config[ENVIRONMENT.staffUserPoolId],
        clientId: config[ENVIRONMENT.staffUserPoolClientId],
        issuer: config.STAFF_TOKEN_ISSUER,
      },
    }),
  );
};
