/** Wishlist hooks → Product Added to Wishlist, Product Removed from Wishlist. */
import type { WishlistEvent } from '../schema';
import { at, product, str } from './values';
import type { HookState, HookTable } from './types';

/** Salla's wishlist identity: `<storeId>_<userId>` and the store name. */
export const wishlistOf = (s: HookState) => ({
  wishlist_id: s.storeId && s.userId ? s.storeId + '_' + s.userId : undefined,
  wishlist_name: s.storeName,
});

/** `(SuccessResponse {data: {product}}, product_id)`; the product's `quantity` is its stock, so it is left out. */
const item = ([resp, id]: unknown[], s: HookState): WishlistEvent => {
  const p = product(at(resp, 'data', 'product'), s.currency, true);
  return { ...wishlistOf(s), ...p, product_id: p.product_id || str(id) };
};

export const wishlist: HookTable = {
  'wishlist::added': (a, s) => ({ name: 'Product Added to Wishlist', properties: item(a, s) }),
  'wishlist::removed': (a, s) => ({ name: 'Product Removed from Wishlist', properties: item(a, s) }),
};
