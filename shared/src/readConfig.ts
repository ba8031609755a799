import * as z from 'zod/mini';

/** The environment a service was started with does not match what it needs. */
export class ConfigError extends Error {
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(issues: readonly z.core.$ZodIssue[]) {
    super(
      `Invalid configuration: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * Reads a service's configuration from environment variables, once, at start-up. Every variable
 * is named in the schema, so a missing or malformed one stops the service with a message that
 * names it instead of failing later on a request.
 *
 * @throws {ConfigError} listing every invalid variable.
 *
 * @example
 * ```ts
 * const config = readConfig(
 *   z.object({ TABLE_NAME: z.string().check(z.minLength(1)), EVENT_BUS_NAME: z.string().check(z.minLength(1)) }),
 * );
 * config.TABLE_NAME;
 * ```
 */
export const readConfig = <S extends z.core.$ZodType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): z.output<S> => {
  const parsed = z.safeParse(schema, env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues);
  return parsed.data;
};
