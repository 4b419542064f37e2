/**
 * Cart & checkout hooks → Product Added, Product Removed, Cart Viewed.
 * Salla reports one add twice (the `cart::item.added` hook and the server's `Product Added` event in
 * the API response): whichever arrives first wins, the other is suppressed for that product.
 */
import type { CartProduct } from '../schema';
import { at, clean, currency, get, list, money, obj, product, str } from './values';
import type { HookState, HookTable } from './types';
import { seen } from './types';

/** The item of a server event payload: `[item]` or `item`. */
export const first = (v: unknown): unknown => (Array.isArray(v) ? get(v, '0') : v);

/** The cart summary inside a CartResponse (`data.cart`) or a bare cart. */
const cartOf = (resp: unknown): unknown => at(resp, 'data', 'cart') ?? get(resp, 'cart') ?? resp;

function products(v: unknown, s: HookState): CartProduct[] {
  return list(v)
    .map((p) => product(p, s.currency))
    .filter((p) => p.product_id || p.name);
}

function added(p: CartProduct, cartId: string | undefined, s: HookState, extra?: unknown) {
  const id = p.product_id || '';
  if (seen(s, 'add:' + id)) return undefined;
  return {
    name: 'Product Added' as const,
    properties: clean({ cart_id: cartId, ...p, source: str(get(extra, 'source'), 64) }),
  };
}

function removed(p: CartProduct, cartId: string | undefined, s: HookState) {
  if (seen(s, 'rm:' + (p.product_id || p.cart_item_id || ''))) return undefined;
  return { name: 'Product Removed' as const, properties: clean({ cart_id: cartId, ...p }) };
}

/** Product facts from the cart item the SDK returned for `productId`. */
function fromCart(resp: unknown, productId: string | undefined, s: HookState): CartProduct {
  const cart = cartOf(resp);
  const item = list(get(cart, 'items')).find((i) => str(get(i, 'product_id')) === productId);
  const p = item ? product({ ...(obj(item) || {}), id: undefined }, s.currency) : {};
  if (item) p.cart_item_id = str(get(item, 'id'));
  return clean({ ...p, product_id: productId });
}

export const cart: HookTable = {
  'Product Added': ([payload], s) => {
    const item = first(payload);
    return added(product(item, s.currency), str(get(item, 'cart_id')), s, item);
  },
  'cart::item.added': ([resp, id], s) => {
    const pid = str(at(resp, 'data', 'product_id')) ?? str(id);
    if (!pid) return undefined;
    return added(fromCart(resp, pid, s), str(get(cartOf(resp), 'id')), s);
  },
  'Product Removed': ([payload], s) => {
    const item = first(payload);
    return removed(product(item, s.currency), str(get(item, 'cart_id')), s);
  },
  'cart::item.deleted': ([resp, itemId], s) => {
    const pid = str(at(resp, 'data', 'product_id'));
    if (!pid) {
      s.log('cart::item.deleted without a product id; dropped', itemId);
      return undefined;
    }
    return removed(clean({ product_id: pid, cart_item_id: str(itemId) }), str(get(cartOf(resp), 'id')), s);
  },
  'Cart Viewed': ([payload], s) => {
    const c = Array.isArray(payload) && !get(first(payload), 'products') ? { products: payload } : first(payload);
    return {
      name: 'Cart Viewed',
      properties: clean({
        cart_id: str(get(c, 'cart_id') ?? get(c, 'id')),
        currency: currency(get(c, 'currency')) || s.currency,
        value: money(get(c, 'value') ?? get(c, 'total')),
        products: products(get(c, 'products') ?? get(c, 'items'), s),
      }),
    };
  },
};
