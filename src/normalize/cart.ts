/**
 * Cart hooks → Product Added, Product Removed, Cart Viewed, Cart Updated, Wishlist Product Added to
 * Cart. Salla reports one add/remove twice (the server's `Product Added`/`Product Removed` event in
 * the API response, then the `cart::item.*` hook): the first wins. Adds made by the
 * frequently-bought-together and basket-gap components are reported by their own hooks (with
 * `source` and `position`) instead.
 */
import type { CartProduct } from '../schema';
import { at, count, curOf, first, get, list, moneyAt, num, obj, qty, str, strAt } from '../lib/read';
import { readProduct } from './readProduct';
import type { Emitted, HookState, HookTable } from './types';
import { ev, seen } from './types';
import { wishlistOf } from './wishlist';

/** A line of a CartSummary (its `id` is the line id). */
const line = (i: unknown, cur?: string): CartProduct =>
  readProduct({ ...obj(i), cart_item_id: get(i, 'id') }, cur);

/** A component's add `[{product, position, cartItem, cartId}]`, reported only when the add was its own. */
function component(source: string, [a]: unknown[], s: HookState) {
  const d = first(a);
  const p = readProduct(get(d, 'product'), s.storeCurrency, true);
  // Otherwise the server event or the hook reported it already (false: no event).
  return (
    s.addSource === source &&
    moved(
      true,
      {
        ...p,
        // The components read the cart from a response shape addItem does not give: the cart of the
        // `cart::updated` that came just before tells the line and the cart instead.
        cart_item_id: strAt(d, 'cartItem', 'id') || strAt(find(s.cart, p.product_id), 'id'),
        quantity: 1,
        position: qty(get(d, 'position')),
        cart_id: strAt(d, 'cartId') || strAt(s.cart, 'id'),
      },
      s,
    )
  );
}

/** A server event `[item]`. */
function server(add: boolean, [payload]: unknown[], s: HookState) {
  const i = first(payload);
  // Salla's engine re-emits the components' adds as Product Added (`{product, cartItem…}`): ignored.
  if (!add || !(byComponent(s) || obj(get(i, 'product'))))
    return moved(add, { ...readProduct(i, s.storeCurrency), cart_id: strAt(i, 'cart_id') }, s);
}

/**
 * A `cart::item.*` hook `(CartResponse.update, id)`: the line after the action and before it (in the
 * previous `cart::updated`) give the units added (+) or removed (−). `add`: an add (true), a removal
 * (false, sent when the product is known), else the change (sent when the cart before is known and
 * the units differ). `pid`: the product id, when the response does not tell it.
 */
function change(resp: unknown, lid: string | undefined, s: HookState, add?: boolean, pid?: string) {
  const c = at(resp, 'data', 'cart');
  pid = strAt(resp, 'data', 'product_id') || pid;
  const now = find(c, pid, lid);
  const was = find(s.prev, pid, lid || strAt(now, 'id'));
  // (no cart before: falsy, read as none known)
  const d = (s.prev && (num(get(now, 'quantity')) || 0) - (num(get(was, 'quantity')) || 0)) as
    number | undefined;
  // (a line always has every key: its copy below keeps their order)
  // (the product: the line's, else the response's)
  const p = line(now || was || { product_id: pid }, curOf(c, s.storeCurrency));
  if (add === false ? p.product_id : add || d)
    return moved(
      add ?? d! > 0,
      // (no change, or none known: quantity undefined)
      { ...p, cart_item_id: p.cart_item_id || lid, quantity: qty(Math.abs(d!)), cart_id: strAt(c, 'id') },
      s,
      true,
    );
}

/** Product Added (Wishlist Product Added to Cart on the wishlist page) or Removed, unless already reported. */
const moved = (
  add: boolean,
  // (the caller's own object, `cart_id` last: completed here in place, not copied again, on the
  // hot path of a busy cart)
  q: CartProduct & { cart_id: string | undefined; source?: string; request_id?: string },
  s: HookState,
  late?: true,
): Emitted | void => {
  if (seen(s, (add ? '+' : '-') + q.product_id, late)) return;
  if (!add) return ev('Product Removed', q);
  if (s.pageSlug === 'customer.wishlist')
    return ev('Wishlist Product Added to Cart', { ...q, ...wishlistOf(s) });
  // Added from a list card (its button recorded the position and source), or after reaching the
  // product from a list. A request id alone is what Salla's engine leaves after the page's Product
  // Viewed: the page's arrival applies. Each add reads its own; a later add does not inherit it.
  const a = s.adding;
  const from = a?.position || a?.source ? a : s.landing;
  s.adding = undefined;
  q.source = s.addSource || from?.source;
  q.position ||= from?.position;
  q.request_id = from?.request_id;
  return ev('Product Added', q);
};
/** An add made by a component that reports it itself. */
const byComponent = (s: HookState) => s.addSource === 'pdp_fbt' || s.addSource === 'basket_gap';
/** The line of `cart` with line id `lid`, else with product id `pid`. */
const find = (cart: unknown, pid?: string, lid?: string) =>
  list(get(cart, 'items')).find((i) => (lid ? strAt(i, 'id') === lid : strAt(i, 'product_id') === pid));

export const cart: HookTable = {
  'Product Added': (a, s) => server(true, a, s),
  'Product Removed': (a, s) => server(false, a, s),
  'salla-basket-gap::product.added': (a, s) => component('basket_gap', a, s),
  // (a component's add: false, no event)
  'cart::item.added': ([resp, id], s) =>
    !byComponent(s) && change(resp, strAt(resp, 'data', 'item_id'), s, true, str(id)),
  'cart::item.deleted': ([resp, id], s) => {
    const e = change(resp, str(id), s, false);
    // (without one, `change` sends nothing)
    if (DEBUG && !strAt(resp, 'data', 'product_id')) s.log('no product id', id);
    return e;
  },
  'cart::item.updated': ([resp, id], s) => change(resp, str(id), s),
  // The cart after every item and coupon change (the SDK's type says CartSummary).
  'cart::updated': ([c], s) => {
    s.prev = s.cart;
    s.cart = c;
    const lines = list(get(c, 'items'));
    const sig = ['id', 'total', 'count', 'coupon']
      .map((k) => strAt(c, k))
      .concat(lines.map((i) => strAt(i, 'id') + 'x' + strAt(i, 'quantity')))
      .join();
    // An unchanged cart is not an update, and the page's first fetch is not either. (The signature
    // is kept either way: the last one is read before it is replaced.)
    if (s.sig === (s.sig = sig) || get(c, 'fromLatestFetched')) return;
    const cur = curOf(c, s.storeCurrency);
    return ev('Cart Updated', {
      cart_id: strAt(c, 'id'),
      value: moneyAt(c, 'total'),
      revenue: moneyAt(c, 'sub_total'),
      tax: moneyAt(c, 'tax_amount'),
      discount: moneyAt(c, 'total_discount') ?? moneyAt(c, 'discount'),
      shipping: moneyAt(c, 'real_shipping_cost'),
      currency: cur,
      quantity: count(get(c, 'count')),
      coupon: strAt(c, 'coupon'),
      products: lines.map((i) => line(i, cur)),
    });
  },
  'salla-bought-together::product.added': (a, s) => component('pdp_fbt', a, s),
  // Server event on the cart page: `[{cart_id, value, currency, products}]`.
  'Cart Viewed': ([payload], s) => {
    const c = first(payload);
    const cur = curOf(c, s.storeCurrency);
    return ev('Cart Viewed', {
      cart_id: strAt(c, 'cart_id') || strAt(c, 'id'),
      currency: cur,
      value: moneyAt(c, 'value') ?? moneyAt(c, 'total'),
      products: list(get(c, 'products')).map((p) => readProduct(p, cur)),
    });
  },
};
