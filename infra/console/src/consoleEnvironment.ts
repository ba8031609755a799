/** The console function's own variables, beside the staff entry's (`STAFF_ENTRY_ENVIRONMENT`). */
export const CONSOLE_ENVIRONMENT = {
  /** Where the shop's queues are, `<base>/<queue name>`: `https://sqs.<region>.amazonaws.com/<account>` in AWS. */
  queueUrlBase: 'CONSOLE_QUEUE_URL_BASE',
  /** The folder of the built pages, as a file URL or a path relative to the handler. @default '../web/' */
  assets: 'CONSOLE_ASSETS',
  /** The staff pool's managed login, where the pages sign in with the console's client (ADR 0026). */
  managedLoginUrl: 'CONSOLE_MANAGED_LOGIN_URL',
} as const;
