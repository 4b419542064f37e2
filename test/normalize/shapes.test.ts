// The other shapes the SDK and the components give the same facts in (src/normalize/readProduct.ts,
// cart.ts, order.ts): each fallback key read, each cart change that makes a Cart Updated, and the
// action keys that keep an add and a removal of one product apart. Written to kill their mutants
// (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { readProduct } from '../../src/normalize/readProduct';
import { run, state } from './fixture';

describe('a product in either shape', () => {
  it('reads the image from image_url, image (or image.url) or thumbnail, in that order', () => {
    expect(readProduct({ id: 1, image_url: 'a', image: 'b', thumbnail: 'c' }).image_url).toBe('a');
    expect(readProduct({ id: 1, image: { url: 'b' }, thumbnail: 'c' }).image_url).toBe('b');
    expect(readProduct({ id: 1, thumbnail: 'c' }).image_url).toBe('c');
  });

  it('reads price, else product_price; the variant (200) and coupon (120) bounded', () => {
    const p = readProduct({ id: 1, product_price: '9.5', variant: 'v'.repeat(300), coupon: 'c'.repeat(300) });
    expect(p.price).toBe(9.5);
    expect(p.variant).toBe('v'.repeat(200));
    expect(p.coupon).toBe('c'.repeat(120));
    expect(readProduct({ id: 1, price: { amount: 3 }, product_price: 9 }).price).toBe(3);
  });
});

describe('cart shapes', () => {
  it('Cart Viewed: cart_id else id, value else total', () => {
    const [a] = run(state(), 'Cart Viewed', [
      [{ cart_id: 'c1', id: 'x', value: '10', total: 99, products: [] }],
    ]);
    expect(a?.properties).toMatchObject({ cart_id: 'c1', value: 10 });
    const [b] = run(state(), 'Cart Viewed', [{ id: 'c2', total: '50', products: [] }]);
    expect(b?.properties).toMatchObject({ cart_id: 'c2', value: 50 });
  });

  it('Cart Updated: total_discount, else discount', () => {
    const [a] = run(state(), 'cart::updated', [{ id: 'c', total_discount: 5, discount: 9, items: [] }]);
    expect(a?.properties).toMatchObject({ discount: 5 });
    const [b] = run(state(), 'cart::updated', [{ id: 'c', discount: '9', items: [] }]);
    expect(b?.properties).toMatchObject({ discount: 9 });
  });

  it('Cart Updated when any of id, total, count, coupon or a line changes, not when none does', () => {
    const cart = { id: 'c', total: 10, count: 1, coupon: 'A', items: [{ id: 'l1', quantity: 1 }] };
    for (const change of [
      { id: 'd' },
      { total: 11 },
      { count: 2 },
      { coupon: 'B' },
      { items: [{ id: 'l1', quantity: 2 }] },
      { items: [{ id: 'l2', quantity: 1 }] },
    ]) {
      const s = state();
      expect(run(s, 'cart::updated', [cart]).map((e) => e.name)).toEqual(['Cart Updated']);
      expect(run(s, 'cart::updated', [{ ...cart }])).toEqual([]);
      expect(
        run(s, 'cart::updated', [{ ...cart, ...change }]).map((e) => e.name),
        JSON.stringify(change),
      ).toEqual(['Cart Updated']);
    }
  });

  it("an add and a removal of one product are not taken for each other's second report", () => {
    const s = state();
    const item = { product_id: '101', name: 'Beans', price: 68, quantity: 1, cart_id: 'c' };
    expect(run(s, 'Product Added', [[item]]).map((e) => e.name)).toEqual(['Product Added']);
    const resp = { data: { product_id: '101', cart: { id: 'c', items: [] } } };
    expect(run(s, 'cart::item.deleted', [resp, 'l1']).map((e) => e.name)).toEqual(['Product Removed']);
  });

  it("an add takes its list card's position even without a source, else the page's arrival", () => {
    const s = state({ landing: { position: 9, source: 'search' } });
    s.adding = { position: 3 };
    const [a] = run(s, 'Product Added', [[{ product_id: '1', price: 1, quantity: 1 }]]);
    expect(a?.properties).toMatchObject({ position: 3, source: undefined });
    const [b] = run(s, 'Product Added', [[{ product_id: '2', price: 1, quantity: 1 }]]);
    expect(b?.properties).toMatchObject({ position: 9, source: 'search' });
  });
});

describe("the components' adds", () => {
  const product = { id: 5, name: 'Cup', price: 20 };

  it('basket gap: the hook of the add is left to the component, which reports it with its cart and line', () => {
    const s = state({ addSource: 'basket_gap' });
    const resp = {
      data: { product_id: '5', item_id: 'l9', cart: { id: 'c3', items: [{ id: 'l9', product_id: 5 }] } },
    };
    expect(run(s, 'cart::item.added', [resp, 5])).toEqual([]);
    expect(run(s, 'Product Added', [[{ product_id: '5', price: 20, quantity: 1 }]])).toEqual([]);
    const [a] = run(s, 'salla-basket-gap::product.added', [
      { product, position: 2, cartItem: { id: 'l9' }, cartId: 'c3' },
    ]);
    expect(a?.name).toBe('Product Added');
    expect(a?.properties).toMatchObject({
      product_id: '5',
      cart_item_id: 'l9',
      cart_id: 'c3',
      position: 2,
      quantity: 1,
      source: 'basket_gap',
    });
  });

  it('without cartItem and cartId, the line and cart come from the last cart::updated', () => {
    const s = state({ addSource: 'pdp_fbt' });
    run(s, 'cart::updated', [{ id: 'c4', items: [{ id: 'l2', product_id: 5, quantity: 1 }] }]);
    const [a] = run(s, 'salla-bought-together::product.added', [{ product, position: 1 }]);
    expect(a?.properties).toMatchObject({ cart_item_id: 'l2', cart_id: 'c4', source: 'pdp_fbt' });
  });

  it('cart::item.added reads the line by data.item_id: two lines of one product are told apart', () => {
    const s = state();
    const lines = (q4: number, q5: number) => [
      { id: 'l4', product_id: 101, quantity: q4 },
      { id: 'l5', product_id: 101, quantity: q5 },
    ];
    run(s, 'cart::updated', [{ id: 'c', items: lines(1, 1) }]);
    const cart = { id: 'c', items: lines(1, 3) };
    run(s, 'cart::updated', [cart]);
    const [a] = run(s, 'cart::item.added', [{ data: { product_id: '101', item_id: 'l5', cart } }, 101]);
    expect(a?.properties).toMatchObject({ product_id: '101', cart_item_id: 'l5', quantity: 2, cart_id: 'c' });
  });
});

describe('order shapes', () => {
  it('Order Completed: order_id else id; affiliation and coupon; its fixed message id at most 96 characters', () => {
    const [a] = run(state(), 'Order Completed', [
      [{ order_id: 'o1', id: 'x', affiliation: 'web', coupon: 'C' }],
    ]);
    expect(a?.properties).toMatchObject({ order_id: 'o1', affiliation: 'web', coupon: 'C' });
    expect(a?.id).toBe('tt-oc-o1');
    const long = 'x'.repeat(200);
    const [b] = run(state(), 'Order Completed', [{ id: long }]);
    expect(b?.properties).toMatchObject({ order_id: long });
    expect(b?.id).toBe('tt-oc-' + 'x'.repeat(90));
    expect(run(state(), 'Order Completed', [[{ total: 5 }]])).toEqual([]);
  });

  it('Product Reordered: the product only for a one-product reorder', () => {
    const [a] = run(state(), 'order::order.created', [
      { data: { cart_id: 'c', type: 'reorder', id: 'p7' } },
      55,
    ]);
    expect(a?.properties).toStrictEqual({ order_id: '55', cart_id: 'c', product_id: 'p7' });
    const [b] = run(state(), 'order::order.created', [{ data: { cart_id: 'c', id: 'p7' } }, 55]);
    expect(b?.properties).toStrictEqual({ order_id: '55', cart_id: 'c', product_id: undefined });
  });
});

describe('product, coupon and account shapes', () => {
  it('Product Viewed: the value given, else price × quantity', () => {
    const [a] = run(state(), 'Product Viewed', [[{ product_id: '1', price: 10, quantity: 2, value: 15 }]]);
    expect(a?.properties).toMatchObject({ value: 15 });
    const [b] = run(state(), 'Product Viewed', [[{ product_id: '1', price: 10, quantity: 2 }]]);
    expect(b?.properties).toMatchObject({ value: 20 });
  });

  it('a products list: filters[k] and filters[k][bound] params, positions restarting on page 1, category on category pages only', () => {
    const s = state({ pageSlug: 'product.index', pageTitle: 'Coffee | Store' });
    const data = [{ id: 1 }, { id: 2 }];
    const fetched = (nextPage?: string, source = 'categories') =>
      run(s, 'salla-products-list::products.fetched', [{ data, source, sourceValue: 7, nextPage }]);
    const [a] = fetched('http://x/c?filters[brand]=najd&filters[price][min]=5&xfilters[a]=1&page=1');
    expect(a?.name).toBe('Product List Filtered');
    expect(a?.properties).toMatchObject({
      category: 'Coffee',
      filters: [
        { type: 'brand', value: 'najd' },
        { type: 'price.min', value: '5' },
      ],
    });
    const [b] = fetched('http://x/c?page=1');
    expect(
      (b?.properties as { products: Array<{ position: number }> }).products.map((p) => p.position),
    ).toEqual([1, 2]);
    const [c] = fetched('http://x/c?page=2');
    expect(
      (c?.properties as { products: Array<{ position: number }> }).products.map((p) => p.position),
    ).toEqual([3, 4]);
    const [d] = fetched(undefined, 'search');
    expect(d?.name).toBe('Product List Viewed');
    expect(d?.properties).toMatchObject({ category: undefined });
  });

  it('Product Reviewed: a rating from 1 to 5, else none', () => {
    const rated = (rating: unknown) =>
      run(state(), 'rating::products.rated', [
        {},
        { products: [{ product_id: '1', rating }], order_id: 9 },
      ])[0]?.properties;
    expect(rated(1)).toMatchObject({ rating: 1 });
    expect(rated('5')).toMatchObject({ rating: 5 });
    expect(rated(0)).toMatchObject({ rating: undefined });
    expect(rated(5.5)).toMatchObject({ rating: undefined });
  });

  it("coupons: the cart id given, else the cart's; total_discount, else discount; a removal's cart from the response", () => {
    const [a] = run(state(), 'cart::coupon.added', [
      { data: { cart: { id: 'c1', coupon: 'A', discount: '3' } } },
      undefined,
    ]);
    expect(a?.properties).toMatchObject({ cart_id: 'c1', coupon_name: 'A', discount: 3 });
    const [b] = run(state(), 'cart::coupon.added', [
      { data: { cart: { id: 'c1', total_discount: 2, discount: 3 } } },
      'c9',
    ]);
    expect(b?.properties).toMatchObject({ cart_id: 'c9', discount: 2 });
    const s = state();
    s.prev = { id: 'old', coupon: 'A', total_discount: 4 };
    const [c] = run(s, 'cart::coupon.deleted', [{ data: { cart: { id: 'c2' } } }]);
    expect(c?.properties).toMatchObject({ cart_id: 'c2', coupon_name: 'A', discount: 4 });
  });

  it('account: a phone from {code, number}, the user type by default, the changed fields among phone, birthday and gender', () => {
    const s = state();
    expect(run(s, 'profile::info.fetched', [{}])).toEqual([]);
    run(s, 'auth::logged.in', [{ data: { verification: { type: 'otp' } } }]);
    const [a] = run(s, 'profile::info.fetched', [
      { data: { id: 5, email: 'a@b.co', phone: { code: '+966', number: '501234567' } } },
    ]);
    expect(a?.properties).toMatchObject({ type: 'user', phone: '+966501234567', method: 'otp' });
    const [b] = run(s, 'profile::updated', [
      {
        data: {
          id: 5,
          email: 'a@b.co',
          phone: { code: '+966', number: '501234568' },
          birthday: '2000-01-01',
        },
      },
    ]);
    expect(b?.properties).toStrictEqual({ updated_fields: ['phone'] });
    s.customer = { id: 5, birthday: '2000-01-01', gender: 'f' };
    const [c] = run(s, 'profile::updated', [{ data: { id: 5, birthday: '2000-01-02', gender: 'm' } }]);
    expect(c?.properties).toStrictEqual({ updated_fields: ['birthday', 'gender'] });
  });

  it("account: the user's own type; a changed last name; a field the update leaves out is no change; each update is compared with the last", () => {
    const s = state();
    run(s, 'auth::logged.in', [{ data: { verification: { type: 'otp' } } }]);
    const [a] = run(s, 'profile::info.fetched', [
      { data: { id: 5, type: 'customer', first_name: 'Sara', last_name: 'Ali' } },
    ]);
    expect(a?.properties).toMatchObject({ type: 'customer', first_name: 'Sara', last_name: 'Ali' });
    // Only the last name is in the update: the first name is not reported as changed.
    const [b] = run(s, 'profile::updated', [{ data: { id: 5, last_name: 'Saleh' } }]);
    expect(b?.properties).toStrictEqual({ updated_fields: ['last_name'] });
    // An update without data keeps the last known customer (here: the one just updated), and a
    // field it did not know before (the email) is no change.
    run(s, 'profile::updated', [{}]);
    const [c] = run(s, 'profile::updated', [{ data: { id: 5, last_name: 'Omar', email: 'x@y.co' } }]);
    expect(c?.properties).toStrictEqual({ updated_fields: ['last_name'] });
  });

  it("two lists on one page keep their own positions: page 2 of one follows its own page 1, not the other's", () => {
    const s = state({ pageSlug: 'product.index' });
    const positions = (source: string, page: number, n: number) =>
      (
        run(s, 'salla-products-list::products.fetched', [
          {
            data: Array.from({ length: n }, (_, i) => ({ id: page * 100 + i })),
            source,
            nextPage: `http://x/l?page=${page}`,
          },
        ])[0]?.properties as { products: Array<{ position: number }> }
      ).products.map((p) => p.position);
    expect(positions('categories', 1, 3)).toEqual([1, 2, 3]);
    expect(positions('search', 1, 2)).toEqual([1, 2]);
    expect(positions('categories', 2, 2)).toEqual([4, 5]);
    expect(positions('search', 2, 1)).toEqual([3]);
  });

  it("Market Selected: the market's country code", () => {
    const [a] = run(state(), 'scope::changed', [
      { data: { id: 2, name: 'KSA', countries: [{ code: 'SA' }] } },
    ]);
    expect(a?.properties).toMatchObject({ id: '2', name: 'KSA', country: 'SA' });
  });
});
