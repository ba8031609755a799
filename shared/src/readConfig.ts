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

/** What {@link readPlainConfig} reads: variables that must be set, and URLs that may be. */
export interface PlainConfigNames<R extends string, U extends string> {
  /** Each must be a non-empty string. */
  readonly required: readonly R[];
  /** Each, when set, must be a URL. @default none */
  readonly optionalUrls?: readonly U[];
}

/**
 * Reads non-empty strings and optional URLs from the environment, as {@link readConfig} does
 * with a schema, but checked by hand: for a function whose configuration is nothing more, the
 * API authorizer, whose bundle is otherwise its token verifier, and to which zod would add more
 * than its own code.
 *
 * @throws {ConfigError} listing every invalid variable.
 *
 * @example
 * ```ts
 * const config = readPlainConfig({ required: ['USER_POOL_ID'], optionalUrls: ['TOKEN_ISSUER'] });
 * config.USER_POOL_ID; // a non-empty string
 * config.TOKEN_ISSUER; // a URL, or undefined
 * ```
 */
export const readPlainConfig = <R extends string, U extends string = never>(
  { required, optionalUrls = [] }: PlainConfigNames<R, U>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Readonly<Record<R, string> & Partial<Record<U, string>>> => {
  const issue = (name: string, message: string, input: unknown): z.core.$ZodIssue => ({
    code: 'custom',
    path: [name],
    message,
    input,
  });
  const issues = [
    ...required
      .filter((name) => !env[name])
      .map((name) => issue(name, 'Invalid input: expected a non-empty string', env[name])),
    ...optionalUrls
      .filter((name) => env[name] !== undefined && !URL.canParse(env[name] ?? ''))
      .map((name) => issue(name, 'Invalid URL', env[name])),
  ];
  if (issues.length > 0) throw new ConfigError(issues);
  return Object.fromEntries(
    [...required, ...optionalUrls].flatMap((name) => {
      const value = env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  ) as Record<R, string> & Partial<Record<U, string>>;
};
