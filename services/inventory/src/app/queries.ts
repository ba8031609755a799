import type { ProductView, Sku, StockView } from '@shop/contracts';
import type { Product } from '#domain/product.js';
import type { InventoryDependencies } from './ports.js';

const productView = ({ sku, name, unitPrice, available }: Product): ProductView => ({
  sku,
  name,
  unitPrice,
  available,
});

/**
 * The products named by `sku`, or a page of the catalogue.
 *
 * @example
 * ```ts
 * await listProducts(dependencies, { sku: ['MUG-001'], limit: 50 });
 * ```
 */
export const listProducts = async (
  dependencies: InventoryDependencies,
  query: {
    readonly sku?: readonly Sku[] | undefined;
    readonly limit: number;
    readonly nextToken?: string | undefined;
  },
): Promise<{ products: ProductView[]; nextToken?: string }> => {
  if (query.sku !== undefined) {
    const products = await dependencies.inventory.getProducts(query.sku);
    return { products: products.map(productView) };
  }
  const page = await dependencies.inventory.listProducts(query);
  return {
    products: page.products.map(productView),
    ...(page.nextToken !== undefined && { nextToken: page.nextToken }),
  };
};

/** One product as other services see it, or undefined. */
export const getProduct = async (
  dependencies: InventoryDependencies,
  sku: Sku,
): Promise<ProductView | undefined> => {
  const [product] = await dependencies.inventory.getProducts([sku]);
  return product && productView(product);
};

/** The stock counters of one product, or undefined. */
export const getStock = async (
  dependencies: InventoryDependencies,
  sku: Sku,
): Promise<StockView | undefined> => {
  const [product] = await dependencies.inventory.getProducts([sku]);
  return product && { sku, available: product.available, reserved: product.reserved };
};
