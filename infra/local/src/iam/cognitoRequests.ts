import * as z from 'zod';
import {
  type ApiCall,
  authorizedOn,
  type Derivation,
  parseInput,
  type Scope,
  targetOperation,
  unknownOperation,
  unreadable,
} from './iamRequest.js';

/**
 * The user pool operations AWS serves without a SigV4 signature: public ones (SignUp,
 * InitiateAuth, ...) and those authorized by the user's session or access token (GetUser,
 * ChangePassword, ...). This is the list the Cognito API model marks `optionalAuth`.
 */
export const COGNITO_UNSIGNED_OPERATIONS: ReadonlySet<string> = new Set([
  'AssociateSoftwareToken',
  'ChangePassword',
  'CompleteWebAuthnRegistration',
  'ConfirmDevice',
  'ConfirmForgotPassword',
  'ConfirmSignUp',
  'DeleteUser',
  'DeleteUserAttributes',
  'DeleteWebAuthnCredential',
  'ForgetDevice',
  'ForgotPassword',
  'GetDevice',
  'GetTokensFromRefreshToken',
  'GetUser',
  'GetUserAttributeVerificationCode',
  'GetUserAuthFactors',
  'GlobalSignOut',
  'InitiateAuth',
  'ListDevices',
  'ListWebAuthnCredentials',
  'ResendConfirmationCode',
  'RespondToAuthChallenge',
  'RevokeToken',
  'SetUserMFAPreference',
  'SetUserSettings',
  'SignUp',
  'StartWebAuthnRegistration',
  'UpdateAuthEventFeedback',
  'UpdateDeviceStatus',
  'UpdateUserAttributes',
  'VerifySoftwareToken',
  'VerifyUserAttribute',
]);

const UserPoolInputSchema = z.looseObject({ UserPoolId: z.string().min(1) });
const UNSCOPED = new Set(['CreateUserPool', 'ListUserPools', 'DescribeUserPoolDomain']);
/** The pool's public documents: its JWKS and OpenID configuration. */
const WELL_KNOWN = /^\/[^/]+\/\.well-known\/(?:jwks\.json|openid-configuration)$/;
/**
 * The managed login's pages and OAuth 2.0 endpoints, which AWS serves to anyone at the pool's
 * domain: the local Cognito serves them at its own address.
 */
const MANAGED_LOGIN = /^\/(?:oauth2\/(?:authorize|token|userInfo)|login|logout)$/;

const unsigned = (operation: string, ownAuthorization = false): Derivation => ({
  ok: true,
  operation,
  requests: [],
  unauthenticated: true,
  ...(ownAuthorization && { ownAuthorization }),
});

/**
 * The authorization AWS makes for a Cognito user pools call (JSON 1.1 protocol):
 * `cognito-idp:<Operation>` on `arn:aws:cognito-idp:<region>:<account>:userpool/<UserPoolId>`
 * for the IAM-authorized operations (AdminCreateUser, ...), `*` for CreateUserPool and
 * ListUserPools; none for the operations in `COGNITO_UNSIGNED_OPERATIONS`, for `GET` of the
 * pool's JWKS and for the managed login (`/oauth2/*`, `/login`, `/logout`), which AWS serves to
 * anyone.
 *
 * @example
 * ```ts
 * cognitoRequests(call, scope).requests;
 * // [{ action: 'cognito-idp:AdminCreateUser', resource: 'arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_local', context: {} }]
 * ```
 */
export const cognitoRequests = (call: ApiCall, scope: Scope): Derivation => {
  if (call.method === 'GET' && WELL_KNOWN.test(call.path)) return unsigned('GetWellKnown');
  if (MANAGED_LOGIN.test(call.path)) return unsigned('ManagedLogin', true);
  const operation = targetOperation(call, 'AWSCognitoIdentityProviderService');
  if (operation === undefined) {
    return unknownOperation(call);
  }
  if (COGNITO_UNSIGNED_OPERATIONS.has(operation)) return unsigned(operation);
  const action = `cognito-idp:${operation}`;
  if (UNSCOPED.has(operation)) return authorizedOn(operation, action, '*');
  const input = parseInput(UserPoolInputSchema, call.body);
  if (!input.success) return unreadable('Validation', input.message);
  const resource = `arn:aws:cognito-idp:${scope.region}:${scope.account}:userpool/${input.data.UserPoolId}`;
  return authorizedOn(operation, action, resource);
};
