export { type LocalOAuthClient, MANAGED_LOGIN_COOKIE } from './managedLogin.js';
export {
  type CognitoProps,
  type LocalCognito,
  type LocalUser,
  type LocalUserPool,
  startCognito,
} from './startCognito.js';
export { newTotpSecret, totpCode } from './totp.js';
