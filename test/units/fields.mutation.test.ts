// The repair of track() properties (src/event/fields.ts), as the README promises it: "ids and skus
// become strings, money numbers, quantities positive integers, `currency` an ISO 4217 code, and in
// catalog events every other property a string; a value that cannot be repaired is removed", and a
// catalog event without a required property is dropped (a missing list is empty). Written to kill its
// mutants (`npm run mutation`, docs/mutation.md): exact values, and `toStrictEqual`, which tells a
// removed key from one left undefined.
import { describe, expect, it } from 'vitest';
import { complete, repair } from '../../src/event/fields';

const HEX = 'ab'.repeat(32);
/** `{[k]: v}` repaired in `event`: the object left (the key is gone when the value was removed). */
const one = (event: string, k: string, v: unknown) => repair({ [k]: v }, event);

describe('repair: each kind of value', () => {
  it.each([
    // ids: a non-empty string as it is (not trimmed), a number as a string, else removed
    ['Product Viewed', 'product_id', ' a1 ', ' a1 '],
    ['Product Viewed', 'product_id', 7, '7'],
    ['Product Viewed', 'product_id', '', undefined],
    ['Product Viewed', 'product_id', NaN, undefined],
    ['Product Viewed', 'product_id', {}, undefined],
    ['Product Viewed', 'sku', 12, '12'],
    // money: a finite number as it is, a numeric string as a number, else removed
    ['Product Viewed', 'price', 12.345678, 12.345678],
    ['Product Viewed', 'price', '1,200.5', 1200.5],
    ['Product Viewed', 'price', 'free', undefined],
    ['Order Completed', 'total', Infinity, undefined],
    // quantities: a positive integer as it is (even a large one), else a whole positive number
    ['Product Added', 'quantity', 1, 1],
    ['Product Added', 'quantity', 5e6, 5e6],
    ['Product Added', 'quantity', 2.7, 2],
    ['Product Added', 'quantity', '3', 3],
    ['Product Added', 'quantity', 0, undefined],
    ['Product Added', 'quantity', -2, undefined],
    ['Product Clicked', 'position', 'banner', undefined],
    // counts: whole numbers from 0
    ['Products Searched', 'total_results', 0, 0],
    ['Products Searched', 'total_results', '3', 3],
    ['Products Searched', 'total_results', 2.7, 2],
    ['Products Searched', 'total_results', -1, undefined],
    ['Products Searched', 'total_results', 'x', undefined],
    ['Products Searched', 'total_results', 5e12, 5e12], // (no bound: unlike read.ts's count, not 1e9)
    // an empty cart has 0 units; elsewhere 0 is no quantity
    ['Cart Updated', 'quantity', 0, 0],
    ['Cart Updated', 'quantity', '4', 4],
    // a promotion's position is a name, in a promotion event only
    ['Promotion Viewed', 'position', 'banner', 'banner'],
    ['Promotion Clicked', 'position', 3, '3'],
    ['My Promotion', 'position', 'banner', undefined],
    // currency: ISO 4217, upper-cased
    ['Product Viewed', 'currency', 'sar', 'SAR'],
    ['Product Viewed', 'currency', 'SARR', undefined],
    // SHA-256 hex: 64 lower-case hex digits, exactly
    ['Signed In', 'email_sha256', HEX, HEX],
    ['Signed In', 'email_sha256', HEX.slice(1), undefined],
    ['Signed In', 'email_sha256', HEX + 'a', undefined],
    ['Signed In', 'email_sha256', 'x' + HEX.slice(1), undefined],
    ['Signed In', 'email_sha256', HEX.slice(1) + 'x', undefined],
    ['Signed In', 'email_sha256', HEX.toUpperCase(), undefined],
    ['Signed In', 'email_sha256', 'g'.repeat(64), undefined],
    ['Custom', 'x_sha256', 'not hex', undefined],
    // ratings: 1 to 5, in Product Reviewed
    ['Product Reviewed', 'rating', 1, 1],
    ['Product Reviewed', 'rating', 5, 5],
    ['Product Reviewed', 'rating', '4.5', 4.5],
    ['Product Reviewed', 'rating', 0.9, undefined],
    ['Product Reviewed', 'rating', 5.1, undefined],
    ['Product Reviewed', 'review_body', 5, '5'],
    // web vitals' metric names
    ['Web Vital Measured', 'metric', 'LCP', 'LCP'],
    ['Web Vital Measured', 'metric', 'TTFB', 'TTFB'],
    ['Web Vital Measured', 'metric', 'xLCP', undefined],
    ['Web Vital Measured', 'metric', 'LCPx', undefined],
    ['Web Vital Measured', 'metric', 'lcp', undefined],
    ['Web Vital Measured', 'metric', 1, undefined],
    ['Web Vital Measured', 'id', 5, '5'],
    // every other property of a catalog event is a string (as it is when it is one)
    ['Product Viewed', 'name', ' Shirt ', ' Shirt '],
    ['Product Viewed', 'name', 5, '5'],
    ['Product Viewed', 'name', { a: 1 }, undefined],
    // a custom event's own properties are as given; its `_id`s are ids
    ['Custom', 'name', { a: 1 }, { a: 1 }],
    ['Custom', 'thing_id', 7, '7'],
  ])('%s %s: %j → %j', (event, k, v, out) => {
    expect(one(event, k, v)).toStrictEqual(out === undefined ? {} : { [k]: out });
  });

  it("the exceptions are for their own key in their own events only (Cart Updated's quantity, a promotion's position)", () => {
    expect(repair({ cart_id: 5, value: '5', quantity: 0 }, 'Cart Updated')).toStrictEqual({
      cart_id: '5',
      value: 5,
      quantity: 0,
    });
    expect(repair({ position: 'top', value: '5', quantity: '2' }, 'Promotion Clicked')).toStrictEqual({
      position: 'top',
      value: 5,
      quantity: 2,
    });
  });

  it('keeps a value of the right kind as the same value (no copy)', () => {
    const sorts = [{ type: 'sort', value: 'price' }];
    const fields = ['email', 'phone'];
    const p = repair({ sorts, updated_fields: fields }, 'Product List Viewed');
    expect(p.sorts).toBe(sorts);
    expect(p.updated_fields).toBe(fields);
  });

  it('facets (sorts, filters): {type, value} strings; others repaired or left out', () => {
    expect(one('Product List Filtered', 'filters', [{ type: 'a', value: 2 }])).toStrictEqual({
      filters: [{ type: 'a', value: '2' }],
    });
    expect(
      one('Product List Filtered', 'filters', [{ type: 1, value: 'b' }, { type: 'c' }, { value: 'd' }, 'x']),
    ).toStrictEqual({ filters: [{ type: '1', value: 'b' }] });
    expect(
      one('Product List Viewed', 'sorts', [
        { type: 'sort', value: 'price' },
        { type: 'sort', value: 7 },
      ]),
    ).toStrictEqual({
      sorts: [
        { type: 'sort', value: 'price' },
        { type: 'sort', value: '7' },
      ],
    });
    expect(one('Product List Viewed', 'sorts', 'price')).toStrictEqual({ sorts: [] });
  });

  it('string lists (updated_fields): strings, others as strings, empty ones left out', () => {
    expect(one('User Profile Updated', 'updated_fields', ['email', 1, null, ' '])).toStrictEqual({
      updated_fields: ['email', '1'],
    });
    expect(one('User Profile Updated', 'updated_fields', 'email')).toStrictEqual({ updated_fields: [] });
  });

  it('products: the objects of a list, each repaired as a catalog product (in any event)', () => {
    const products = [{ product_id: 1, price: '2', quantity: 1.5, foo: 5, rating: '3' }, 'x', null, [1]];
    for (const event of ['Order Completed', 'Custom'])
      expect(one(event, 'products', products)).toStrictEqual({
        products: [{ product_id: '1', price: 2, quantity: 1, foo: '5', rating: '3' }],
      });
    expect(one('Cart Viewed', 'products', 'abc')).toStrictEqual({ products: [] });
  });

  it('repairs every key in place and returns the same object', () => {
    const p: Record<string, unknown> = { order_id: 9, total: '10', coupon: 5, bad: {}, products: [] };
    expect(repair(p, 'Order Completed')).toBe(p);
    expect(p).toStrictEqual({ order_id: '9', total: 10, coupon: '5', products: [] });
  });
});

describe('complete: required properties', () => {
  it('drops a catalog event without a required property (after repair)', () => {
    expect(complete({ total: 5 }, 'Order Completed')).toBe(false);
    expect(complete({ order_id: '', products: [] }, 'Order Completed')).toBe(false);
    expect(complete({ total_results: 1 }, 'Products Searched')).toBe(false);
    expect(complete({ products: [] }, 'Product Reviewed')).toBe(false);
    expect(complete({ metric: 'LCP', value: 1 }, 'Web Vital Measured')).toBe(false);
  });

  it('fills a missing list with an empty one, and keeps one given', () => {
    const p: Record<string, unknown> = { order_id: 'o1' };
    expect(complete(p, 'Order Completed')).toBe(true);
    expect(p).toStrictEqual({ order_id: 'o1', products: [] });
    const q: Record<string, unknown> = { query: 'tea' };
    expect(complete(q, 'Product List Filtered')).toBe(true);
    expect(q).toStrictEqual({ query: 'tea', products: [], filters: [] });
    const products = [{ product_id: '1' }];
    const r: Record<string, unknown> = { products };
    expect(complete(r, 'Cart Viewed')).toBe(true);
    expect(r).toStrictEqual({ products: [{ product_id: '1' }] });
  });

  it('requires nothing of an event outside the catalog (nor of a catalog event without requirements)', () => {
    expect(complete({ a: 1 }, 'Custom')).toBe(true);
    expect(complete({}, 'constructor')).toBe(true);
    expect(complete({}, 'Product Viewed')).toBe(true);
  });
});
