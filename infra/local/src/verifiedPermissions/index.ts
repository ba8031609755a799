export {
  startVerifiedPermissions,
  type VerifiedPermissionsProps,
} from './startVerifiedPermissions.js';
