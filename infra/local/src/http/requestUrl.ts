/**
 * The URL of a request target as a server receives it (`request.url`): the origin form
 * (`/orders?limit=5`, `//x` included: its path is `//x`, never a host) or the absolute form
 * (`http://host/orders`), or undefined for a target no route can take (`*`, another scheme, one
 * that does not parse). Unlike `new URL(target, base)`, it never throws and never reads a path
 * that starts with `//` as a host.
 *
 * @example
 * ```ts
 * requestUrl('//x/products?sku=MUG-001')?.pathname; // '//x/products'
 * requestUrl('*'); // undefined
 * ```
 */
export const requestUrl = (target: string | undefined): URL | undefined => {
  if (target === undefined) return undefined;
  try {
    if (target.startsWith('/')) return new URL(`http://localhost${target}`);
    const url = new URL(target);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
};
