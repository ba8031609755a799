export {
  type CognitoProps,
  type LocalCognito,
  type LocalUser,
  startCognito,
} from './startCognito.js';
