import { matchQueryPath } from '@shop/contracts';

/** What a request is routed by: a method and a path template. */
export interface RouteTemplate {
  readonly method: string;
  /** A path template with `{name}` segments, e.g. `/orders/{orderId}`. */
  readonly path: string;
}

/** Where one request goes: a route with its path parameters, or why no route takes it. */
export type Routing<R extends RouteTemplate> =
  | {
      readonly outcome: 'matched';
      readonly route: R;
      /** The template's `{name}` values, decoded. */
      readonly params: Readonly<Record<string, string>>;
    }
  | { readonly outcome: 'notFound' }
  | {
      readonly outcome: 'methodNotAllowed';
      /** The methods of the routes whose template matches the path, for the `Allow` header. */
      readonly allow: readonly string[];
    };

/**
 * Routes one request, REST or Lattice, by path template, then method: the first route whose
 * template matches the path and whose method is the request's. No template matching the path is
 * `notFound` (404); matching templates, none for this method, is `methodNotAllowed` with the
 * methods they allow (405 with `Allow`).
 *
 * @example
 * ```ts
 * routeRequest([{ method: 'GET', path: '/orders/{orderId}' }], 'GET', '/orders/o-1');
 * // { outcome: 'matched', route: { method: 'GET', path: '/orders/{orderId}' }, params: { orderId: 'o-1' } }
 * ```
 */
export const routeRequest = <R extends RouteTemplate>(
  routes: readonly R[],
  method: string,
  path: string,
): Routing<R> => {
  const matching = routes.flatMap((route) => {
    const params = matchQueryPath(route.path, path);
    return params === undefined ? [] : [{ route, params }];
  });
  if (matching.length === 0) return { outcome: 'notFound' };
  const match = matching.find((candidate) => candidate.route.method === method);
  if (match === undefined) {
    return {
      outcome: 'methodNotAllowed',
      allow: [...new Set(matching.map((candidate) => candidate.route.method))],
    };
  }
  return { outcome: 'matched', route: match.route, params: match.params };
};
