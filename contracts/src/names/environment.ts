/** The environment variables of the shop's functions, each named once. */
export const ENVIRONMENT = {
  /** The service's table (state and outbox). */
  tableName: 'TABLE_NAME',
  /** The service's Verified Permissions policy store. */
  policyStoreId: 'POLICY_STORE_ID',
  /** The budget of one Lattice query, retries included (milliseconds). */
  queryTimeoutMs: 'QUERY_TIMEOUT_MS',
  /** The service's Powertools idempotency table, for a function that keeps idempotency records. */
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  /** The service's event queue. */
  queueUrl: 'QUEUE_URL',
  /** Its dead-letter queue. */
  deadLetterQueueUrl: 'DEAD_LETTER_QUEUE_URL',
  /** The customer user pool, one of the two whose ID tokens the authorizer accepts. */
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  /** The staff user pool, the only one whose tokens the staff groups are believed from. */
  staffUserPoolId: 'STAFF_USER_POOL_ID',
  staffUserPoolClientId: 'STAFF_USER_POOL_CLIENT_ID',
  /** The console's app client of the staff pool, whose tokens a staff function accepts too. */
  staffConsoleClientId: 'STAFF_CONSOLE_CLIENT_ID',
  /** The Verified Access instance whose signed user context a staff function requires. */
  verifiedAccessInstanceArn: 'VERIFIED_ACCESS_INSTANCE_ARN',
} as const;
