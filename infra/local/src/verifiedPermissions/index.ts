export {
  type IsAuthorizedLogEntry,
  startVerifiedPermissions,
  type VerifiedPermissionsProps,
} from './startVerifiedPermissions.js';
