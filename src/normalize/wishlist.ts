/** Wishlist hooks → Product Added to Wishlist, Product Removed from Wishlist. */
import { at, str } from '../lib/read';
import { readProduct } from './readProduct';
import type { HookState, HookTable } from './types';
import { ev } from './types';

/** `(SuccessResponse {data: {product}}, product_id)`; the product's `quantity` is its stock, so it is left out. */
const item = (
  name: 'Product Added to Wishlist' | 'Product Removed from Wishlist',
  [resp, id]: unknown[],
  s: HookState,
) => {
  const p = readProduct(at(resp, 'data', 'product'), s.storeCurrency, true);
  return ev(name, { ...wishlistOf(s), ...p, product_id: p.product_id || str(id) });
};

/** Salla's wishlist identity: `<storeId>_<userId>` and the store name. */
export const wishlistOf = (s: HookState) => ({
  wishlist_id: s.customerId && s.storeId && s.storeId + '_' + s.customerId,
  wishlist_name: s.storeName,
});

export const wishlist: HookTable = {
  'wishlist::removed': (a, s) => item('Product Removed from Wishlist', a, s),
  'wishlist::added': (a, s) => item('Product Added to Wishlist', a, s),
};
