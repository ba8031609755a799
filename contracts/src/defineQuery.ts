import * as z from 'zod/mini';
import type { ServiceName } from './services.js';

/**
 * One synchronous query a service answers over VPC Lattice: an idempotent `GET` on a path
 * template, its path and query-string parameters, and the response body. Providers route by it,
 * callers build requests and parse answers by it, and the Lattice auth policies are generated
 * from it, so the three cannot drift.
 */
export interface QueryDefinition<
  P extends z.core.$ZodType<Record<string, string>> = z.core.$ZodType<Record<string, string>>,
  Q extends z.core.$ZodType = z.core.$ZodType,
  R extends z.core.$ZodType = z.core.$ZodType,
> {
  readonly name: string;
  readonly provider: ServiceName;
  readonly method: 'GET';
  /** A path template with `{name}` segments, e.g. `/products/{sku}/stock`. */
  readonly path: `/${string}`;
  readonly params: P;
  /** Parses the query string, given as `name -> value` or `name -> values` when repeated. */
  readonly query: Q;
  readonly response: R;
}

/** Any query, whatever its parameters and response. */
export type AnyQueryDefinition = QueryDefinition;

/** The query string of one request: one value per name, or several when the name repeats. */
export type QueryString = Readonly<Record<string, string | readonly string[]>>;

/**
 * Declares a query. `params` must name exactly the template's `{segments}`.
 *
 * @example
 * ```ts
 * export const GetStock = defineQuery({
 *   name: 'GetStock', provider: 'inventory', path: '/products/{sku}/stock',
 *   params: z.object({ sku: SkuSchema }), query: z.object({}), response: StockViewSchema,
 * });
 * ```
 */
export const defineQuery = <
  P extends z.core.$ZodType<Record<string, string>>,
  Q extends z.core.$ZodType,
  R extends z.core.$ZodType,
>(
  definition: Omit<QueryDefinition<P, Q, R>, 'method'>,
): QueryDefinition<P, Q, R> => Object.freeze({ ...definition, method: 'GET' as const });

/** A query string parameter that may repeat, as an array (`?sku=A&sku=B`). */
export const repeated = <T extends z.core.$ZodType>(item: T) =>
  z.pipe(
    z.transform((value: unknown): unknown => (value === undefined ? undefined : [value].flat())),
    z.array(item),
  );

const SEGMENT = /\{([A-Za-z]+)\}/g;

/**
 * The path of one request: the template with each `{name}` replaced by its encoded value.
 *
 * @example
 * ```ts
 * queryPath(GetStock, { sku: 'MUG-001' }); // '/products/MUG-001/stock'
 * ```
 */
export const queryPath = <D extends AnyQueryDefinition>(
  definition: D,
  params: z.input<D['params']>,
): string =>
  definition.path.replace(SEGMENT, (_, name: string) => {
    const value = (params as Record<string, string | undefined>)[name];
    if (value === undefined) throw new Error(`${definition.name} needs the path parameter ${name}`);
    return encodeURIComponent(value);
  });

/**
 * Matches a request path against a template; the decoded `{name}` values, or undefined.
 *
 * @example
 * ```ts
 * matchQueryPath('/products/{sku}', '/products/MUG-001'); // { sku: 'MUG-001' }
 * ```
 */
export const matchQueryPath = (
  template: string,
  path: string,
): Record<string, string> | undefined => {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(SEGMENT, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${source}$`).exec(path);
  if (match === null) return undefined;
  try {
    return Object.fromEntries(
      names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]),
    );
  } catch {
    return undefined;
  }
};

/**
 * The resource path an auth policy names for a template: each `{name}` becomes `*`.
 *
 * @example
 * ```ts
 * policyPath('/products/{sku}/stock'); // '/products/*\/stock'
 * ```
 */
export const policyPath = (template: string): string => template.replace(SEGMENT, '*');
