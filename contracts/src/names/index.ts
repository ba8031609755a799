/*
 * The contracts' names that hold no schema, at an entry of their own (`@shop/contracts/names`):
 * a function that parses nothing, the API authorizer, imports them from here and its bundle
 * holds neither a schema nor zod's messages, which the package's index sets for every bundle
 * that imports it.
 */

export { CUSTOMER_GROUPS, STAFF_GROUPS } from '../userGroups.js';
export { ENVIRONMENT } from './environment.js';
