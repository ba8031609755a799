export {
  type CognitoProps,
  type LocalCognito,
  type LocalUser,
  startCognito,
} from './startCognito.js';
export { newTotpSecret, totpCode } from './totp.js';
