/** Coupon hooks → Coupon Applied, Coupon Removed, Coupon Denied. */
import { at, curOf, moneyAt, str, strAt } from '../lib/read';
import { parseJson } from '../lib/json';
import type { HookState, HookTable } from './types';
import { ev } from './types';

/** The coupon facts of a cart summary `c` (`coupon`, `total_discount`, `currency`). */
const facts = (c: unknown, id: unknown, s: HookState) => ({
  cart_id: str(id) || strAt(c, 'id'),
  ...named(strAt(c, 'coupon')),
  discount: moneyAt(c, 'total_discount') ?? moneyAt(c, 'discount'),
  currency: curOf(c, s.storeCurrency),
});

/** A coupon's code, as Salla's Device Mode events (`coupon_name`) and Segment's spec name it, and as `coupon_code`. */
const named = (code: string | undefined) => ({ coupon_name: code, coupon_code: code });

export const coupon: HookTable = {
  // `(CartResponse.update, cart_id)`
  'cart::coupon.added': ([resp, id], s) => ev('Coupon Applied', facts(at(resp, 'data', 'cart'), id, s)),
  // The cart has no coupon any more: the code and the discount removed are the previous cart's.
  'cart::coupon.deleted': ([resp, id], s) =>
    ev('Coupon Removed', facts(s.prev, id ?? at(resp, 'data', 'cart', 'id'), s)),
  // `(RequestError, cart_id)`: the code is in the request body, the reason in the error response.
  'cart::coupon.addition.failed': ([err, id]) =>
    ev('Coupon Denied', {
      cart_id: str(id),
      // (parseJson turns a body that is not a string into one, as JSON.parse does)
      ...named(strAt(parseJson(at(err, 'config', 'data') as string), 'coupon')),
      reason: strAt(err, 'response', 'data', 'error', 'message') || strAt(err, 'message'),
    }),
};
