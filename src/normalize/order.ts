/** Order hooks → Order Completed (server event on the thank-you page), Product Reordered. */
import { curOf, first, get, list, moneyAt, str, strAt } from '../lib/read';
import { readProduct } from './readProduct';
import type { HookTable } from './types';
import { ev } from './types';

export const order: HookTable = {
  // `(CreateCartFromOrderResponse {data: {cart_id, url, type?, id?}}, order_id)`: a whole order, or
  // one of its products (`type: 'reorder'`, `id`), put back in a cart.
  'order::order.created': ([resp, id]) => {
    const d = get(resp, 'data');
    return ev('Product Reordered', {
      order_id: str(id),
      cart_id: strAt(d, 'cart_id'),
      product_id: str(strAt(d, 'type') === 'reorder' && get(d, 'id')), // (str(false): undefined)
    });
  },
  'Order Completed': ([payload], s) => {
    const o = first(payload);
    const id = strAt(o, 'order_id') || strAt(o, 'id');
    const cur = curOf(o, s.storeCurrency);
    if (!id) {
      if (DEBUG) s.log('no order id');
      return;
    }
    // A reloaded thank-you page sends the same order again: a fixed id lets the core drop it.
    return ev(
      'Order Completed',
      {
        order_id: id,
        checkout_id: strAt(o, 'checkout_id'),
        affiliation: strAt(o, 'affiliation'),
        total: moneyAt(o, 'total'),
        subtotal: moneyAt(o, 'subtotal'),
        revenue: moneyAt(o, 'revenue'),
        shipping: moneyAt(o, 'shipping'),
        tax: moneyAt(o, 'tax'),
        discount: moneyAt(o, 'discount'),
        coupon: strAt(o, 'coupon'),
        currency: cur,
        products: list(get(o, 'products')).map((p) => readProduct(p, cur)),
      },
      // Within the 100 characters engines take for a messageId (Segment).
      'tt-oc-' + id.slice(0, 90),
    );
  },
};
