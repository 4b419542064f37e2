import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES } from '../src/event/bounds';
import { normalize } from '../src/normalize';
import type { HookState } from '../src/normalize/types';
import type { EventName, EventProperties, Product } from '../src/schema';
import { validateEvent } from '../src/validate';
import { EVENTS } from '../src/validateSchema';

const base = () => ({
  type: 'track',
  event: 'Product Added',
  properties: { product_id: '101', price: 68, quantity: 2, currency: 'SAR', cart_id: '70001' },
  context: {
    library: { name: 'twilight-tracker', version: '0.1.0' },
    page: { url: 'http://127.0.0.1:4400/p/101', path: '/p/101' },
    session_id: 's-1',
    consent: { categoryPreferences: { analytics: true } } as
      { categoryPreferences: { analytics: boolean } } | undefined,
    consent_state: 'granted',
  },
  anonymousId: 'a-1',
  userId: '501',
  messageId: 'm-1',
  timestamp: '2026-11-22T10:00:00.000Z',
});
type E = ReturnType<typeof base> & Record<string, unknown>;
const check = (fix: (e: E) => void) => {
  const e = base() as E;
  fix(e);
  return validateEvent(e);
};

describe('validateEvent', () => {
  it('accepts a well-formed event, a page event, and events sent while consent is denied or pending', () => {
    expect(validateEvent(base())).toEqual([]);
    expect(
      check((e) =>
        Object.assign(e, {
          type: 'page',
          event: undefined,
          name: 'product.single',
          properties: { slug: 'product.single' },
        }),
      ),
    ).toEqual([]);
    // Denied and pending: the page's own anonymous id, no userId, no session.
    for (const [state, consent] of [
      ['denied', { categoryPreferences: { analytics: false } }],
      ['pending', undefined],
    ] as const)
      expect(
        check((e) => {
          delete (e as Partial<E>).userId;
          e.anonymousId = 'page-id';
          e.context = {
            ...e.context,
            session_id: undefined as unknown as string,
            consent,
            consent_state: state,
          };
        }),
      ).toEqual([]);
  });

  it('reports envelope problems', () => {
    expect(validateEvent(null)).toEqual(['event is not an object']);
    expect(validateEvent([])).toEqual(['event is not an object']);
    expect(check((e) => (e.type = 'identify'))).toEqual(['type must be "track" or "page", got "identify"']);
    expect(check((e) => (e.event = ''))).toEqual(['event must be a non-empty string of at most 128 bytes']);
    expect(check((e) => (e.timestamp = 'yesterday'))).toEqual(['timestamp must be an ISO 8601 string']);
    expect(check((e) => (e.messageId = 5 as unknown as string))).toEqual([
      'messageId must be a non-empty string',
    ]);
    expect(check((e) => (e.extra = 1))).toEqual(['unknown top-level field "extra"']);
    expect(check((e) => (e.properties = [] as unknown as E['properties']))).toEqual([
      'properties must be an object',
    ]);
    expect(check((e) => (e.context.library = { name: 'other', version: '1' }))).toEqual([
      'context.library must be {name: "twilight-tracker", version}',
    ]);
  });

  it('reports identifiers sent without consent, and missing ones with it', () => {
    expect(
      check((e) => {
        e.context.consent_state = 'denied';
        e.context.consent = { categoryPreferences: { analytics: false } };
        Object.assign(e.properties, { email_sha256: 'a'.repeat(64), wishlist_id: '1001_501' });
      }),
    ).toEqual([
      'userId must be absent unless consent is granted',
      'context.session_id must be absent unless consent is granted',
      'properties.email_sha256 must be absent unless consent is granted',
      'properties.wishlist_id must be absent unless consent is granted',
    ]);
    expect(check((e) => delete (e as Partial<E>).anonymousId)).toEqual([
      'anonymousId must be a non-empty string',
    ]);
    expect(check((e) => (e.context.consent_state = 'unknown'))).toEqual([
      'context.consent_state must be "pending", "granted" or "denied", got "unknown"',
      'context.consent must be {categoryPreferences: {analytics: false}}, got {"categoryPreferences":{"analytics":true}}',
      'userId must be absent unless consent is granted',
      'context.session_id must be absent unless consent is granted',
    ]);
    // Segment reserves context.consent for its own object: a string there is wrong.
    expect(check((e) => ((e.context as Record<string, unknown>).consent = 'granted'))).toEqual([
      'context.consent must be {categoryPreferences: {analytics: true}}, got "granted"',
    ]);
    expect(
      check((e) => {
        e.context.consent_state = 'pending';
        delete (e as Partial<E>).userId;
        e.context.session_id = undefined as unknown as string;
      }),
    ).toEqual([
      'context.consent must be absent while consent is pending, got {"categoryPreferences":{"analytics":true}}',
    ]);
  });

  it('reports schema types and required properties', () => {
    expect(
      check((e) =>
        Object.assign(e.properties, {
          product_id: 101,
          price: '68',
          quantity: 1.5,
          currency: 'sar',
          email_sha256: 'abc',
        }),
      ),
    ).toEqual([
      'properties.product_id must be a non-empty string, got 101',
      'properties.price must be a finite number, got "68"',
      'properties.quantity must be a positive integer, got 1.5',
      'properties.currency must be an ISO 4217 code, got "sar"',
      'properties.email_sha256 must be a SHA-256 hex digest, got "abc"',
    ]);
    expect(check((e) => Object.assign(e, { event: 'Order Completed', properties: { total: 5 } }))).toEqual([
      'properties.order_id is required for Order Completed',
      'properties.products is required for Order Completed',
    ]);
    expect(
      check((e) =>
        Object.assign(e, {
          event: 'Cart Viewed',
          properties: { products: [{ product_id: '1', quantity: 0 }, 5] },
        }),
      ),
    ).toEqual(['properties.products must be an array of objects, got [{"product_id":"1","quantity":0},5]']);
    expect(
      check((e) =>
        Object.assign(e, {
          event: 'Cart Viewed',
          properties: { products: [{ product_id: '1', quantity: 0 }] },
        }),
      ),
    ).toEqual(['properties.products[0].quantity must be a positive integer, got 0']);
    // A promotion's position is a string; an empty cart's quantity is 0.
    expect(
      check((e) => Object.assign(e, { event: 'Promotion Viewed', properties: { position: 'hero' } })),
    ).toEqual([]);
    expect(
      check((e) => Object.assign(e, { event: 'Cart Updated', properties: { quantity: 0, products: [] } })),
    ).toEqual([]);
  });

  it('reports values that are not bounded JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(check((e) => Object.assign(e.properties, { n: NaN }))).toEqual([
      'properties.n is not a finite number',
    ]);
    expect(check((e) => Object.assign(e.properties, { f: () => 1 }))).toEqual([
      'properties.f is not JSON (function)',
    ]);
    expect(check((e) => Object.assign(e.properties, { s: 'x'.repeat(2001) }))).toEqual([
      'properties.s is longer than 2000 characters',
    ]);
    expect(check((e) => Object.assign(e.properties, { a: new Array(101).fill(1) }))).toEqual([
      'properties.a has more than 100 items',
    ]);
    expect(check((e) => Object.assign(e.properties, { d: new Date(0) }))).toEqual([
      'properties.d is not a plain object',
    ]);
    // (An own "__proto__" key, as JSON.parse makes it; assigning it would set the prototype instead.)
    expect(check((e) => (e.properties = JSON.parse('{"product_id": "1", "__proto__": {"x": 1}}')))).toEqual([
      'properties has the key "__proto__"',
    ]);
    expect(check((e) => Object.assign(e.properties, { c: cyclic }))).toEqual([
      'properties.c.self.self.self.self.self.self.self.self is nested too deep',
    ]);
    const big = check((e) =>
      Object.assign(
        e.properties,
        Object.fromEntries(Array.from({ length: 20 }, (_, i) => ['k' + i, 'v'.repeat(2000)])),
      ),
    );
    expect(big).toEqual([expect.stringMatching(/^event is \d+ bytes, over 32767$/)]);
  });
});

/** A track event named `event` with `properties`, otherwise well-formed. */
const track = (event: string, properties: object) => validateEvent({ ...base(), event, properties });

/** A valid example of every catalog event, typed by schema.ts (so it is what the schema allows). */
const P: Product = {
  product_id: '101',
  sku: 'COF-ETH-250',
  category: 'Coffee',
  name: 'Beans',
  brand: 'Najd',
  variant: 'Red / XL',
  price: 68,
  quantity: 2,
  coupon: 'SAVE10',
  position: 1,
  url: 'http://x/p/101',
  image_url: 'http://x/i.svg',
  currency: 'SAR',
};
const H = 'a'.repeat(64);
const VALID: { [N in EventName]: EventProperties[N] } = {
  'Product Added': { ...P, cart_id: '7', cart_item_id: '9', source: 'pdp_fbt' },
  'Product Removed': { ...P, cart_id: '7', cart_item_id: '9' },
  'Cart Viewed': { cart_id: '7', currency: 'SAR', value: 136, products: [{ ...P, cart_item_id: '9' }] },
  'Cart Updated': {
    cart_id: '7',
    value: 1,
    revenue: 1,
    tax: 0,
    discount: 0,
    shipping: 0,
    currency: 'SAR',
    quantity: 0,
    coupon: 'SAVE10',
    products: [],
  },
  'Order Completed': {
    order_id: '300001',
    checkout_id: 'c1',
    affiliation: 'Demo',
    total: 1,
    subtotal: 1,
    revenue: 1,
    shipping: 0,
    tax: 0,
    discount: 0,
    coupon: 'SAVE10',
    currency: 'SAR',
    products: [P],
  },
  'Product Reordered': { order_id: '300001', product_id: '103', cart_id: '7' },
  'Wishlist Product Added to Cart': { ...P, wishlist_id: '1001_501', wishlist_name: 'Demo', cart_id: '7' },
  'Product Viewed': { ...P, value: 136, source: 'x', request_id: 'r-1' },
  'Product List Viewed': {
    list_id: 'pdp_fbt',
    category: 'Coffee',
    sorts: [{ type: 'sort', value: 'a' }],
    products: [P],
  },
  'Product List Filtered': { products: [P], filters: [{ type: 'brand', value: '' }] },
  'Recommendation List Viewed': { recommendation_type: 'fbt', source: 'pdp_fbt', products: [P] },
  'Products Searched': { query: 'tea', total_results: 0, products: [P] },
  'Product Clicked': { ...P, list_id: 'pdp_fbt', source: 'pdp_fbt' },
  'Product Shared': { ...P, share_via: 'whatsapp', share_message: 'hi', recipient: 'x' },
  'Product Reviewed': { product_id: '101', order_id: '300001', review_body: 'Fruity', rating: 5 },
  'Product Added to Wishlist': { ...P, wishlist_id: '1001_501', wishlist_name: 'Demo' },
  'Product Removed from Wishlist': { product_id: '103' },
  'Signed In': {
    type: 'user',
    method: 'mobile',
    email_sha256: H,
    phone_sha256: H,
    first_name_sha256: H,
    last_name_sha256: H,
  },
  'Signed Up': {
    type: 'user',
    email: 'sara@example.com',
    phone: '+966501234567',
    first_name: 'S',
    last_name: 'A',
  },
  'Signed Out': {},
  'User Profile Updated': { updated_fields: ['email', 'phone'] },
  'Promotion Viewed': { promotion_id: 'p1', creative: 'banner', name: 'Sale', position: 'hero' },
  'Promotion Clicked': { promotion_id: 'p1', position: 'hero' },
  'Coupon Applied': { cart_id: '7', coupon_code: 'SAVE10', discount: 13.7, currency: 'SAR' },
  'Coupon Removed': { cart_id: '7', coupon_code: 'SAVE10', discount: 13.7, currency: 'SAR' },
  'Coupon Denied': { cart_id: '7', coupon_code: 'NOPE', reason: 'The coupon is invalid or expired' },
  'Market Selected': { id: '2', name: 'UAE', country: 'AE', currency: 'AED', locale: 'ar' },
  'Web Vital Measured': {
    metric: 'CLS',
    value: 0.01,
    delta: -0.5,
    rating: 'good',
    id: 'v5-1',
    navigation_type: 'navigate',
  },
};

describe('validateEvent: the schema table (validateSchema.ts)', () => {
  it('has exactly the catalog events, and accepts a valid example of each', () => {
    expect(Object.keys(EVENTS).sort()).toEqual(Object.keys(VALID).sort());
    for (const [name, properties] of Object.entries(VALID))
      expect([name, track(name, properties)]).toEqual([name, []]);
  });

  it('rating: a number from 1 to 5 (Product Reviewed)', () => {
    const r = (rating: unknown) => track('Product Reviewed', { product_id: '101', rating });
    expect(r(1)).toEqual([]);
    expect(r(5)).toEqual([]);
    expect(r(0)).toEqual(['properties.rating must be a number from 1 to 5, got 0']);
    expect(r(6)).toEqual(['properties.rating must be a number from 1 to 5, got 6']);
    expect(r('5')).toEqual(['properties.rating must be a number from 1 to 5, got "5"']);
    // Web Vital Measured's rating is web-vitals' verdict, a string.
    const v = (rating: unknown) => track('Web Vital Measured', { metric: 'LCP', value: 1, delta: 1, rating });
    expect(v('poor')).toEqual([]);
    expect(v(3)).toEqual(['properties.rating must be a string, got 3']);
  });

  it('metric: one of LCP, INP, CLS, FCP, TTFB', () => {
    expect(track('Web Vital Measured', { metric: 'XYZ', value: 1, delta: 0 })).toEqual([
      'properties.metric must be one of LCP, INP, CLS, FCP, TTFB, got "XYZ"',
    ]);
    expect(track('Web Vital Measured', { metric: 'lcp', value: 1, delta: 0 })).toEqual([
      'properties.metric must be one of LCP, INP, CLS, FCP, TTFB, got "lcp"',
    ]);
  });

  it('facets: an array of {type, value} strings (filters, sorts)', () => {
    const f = (filters: unknown, sorts?: unknown) =>
      track('Product List Filtered', { products: [], filters, sorts });
    expect(f([{ type: 1 }])).toEqual([
      'properties.filters must be an array of {type, value} strings, got [{"type":1}]',
    ]);
    expect(f([{ type: 1, value: 'x' }])).toEqual([
      'properties.filters must be an array of {type, value} strings, got [{"type":1,"value":"x"}]',
    ]);
    expect(f([{ type: 'brand' }])).toEqual([
      'properties.filters must be an array of {type, value} strings, got [{"type":"brand"}]',
    ]);
    expect(f('brand')).toEqual(['properties.filters must be an array of {type, value} strings, got "brand"']);
    expect(f([], [{ type: 'sort', value: 5 }])).toEqual([
      'properties.sorts must be an array of {type, value} strings, got [{"type":"sort","value":5}]',
    ]);
  });

  it('strings: an array of strings (updated_fields)', () => {
    expect(track('User Profile Updated', { updated_fields: [1] })).toEqual([
      'properties.updated_fields must be an array of strings, got [1]',
    ]);
    expect(track('User Profile Updated', { updated_fields: 'email' })).toEqual([
      'properties.updated_fields must be an array of strings, got "email"',
    ]);
  });

  it('sku: a non-empty string, in single-product events and in products', () => {
    expect(track('Product Added', { product_id: '101', sku: 123 })).toEqual([
      'properties.sku must be a non-empty string, got 123',
    ]);
    expect(track('Product Viewed', { sku: '' })).toEqual([
      'properties.sku must be a non-empty string, got ""',
    ]);
    expect(track('Order Completed', { order_id: '1', products: [{ sku: 123 }] })).toEqual([
      'properties.products[0].sku must be a non-empty string, got 123',
    ]);
  });

  it('required properties', () => {
    expect(track('Web Vital Measured', { metric: 'LCP', value: 1 })).toEqual([
      'properties.delta is required for Web Vital Measured',
    ]);
    expect(track('Web Vital Measured', { delta: 1 })).toEqual([
      'properties.metric is required for Web Vital Measured',
      'properties.value is required for Web Vital Measured',
    ]);
    expect(track('Cart Viewed', { cart_id: '7' })).toEqual([
      'properties.products is required for Cart Viewed',
    ]);
    expect(track('Product List Filtered', { products: [] })).toEqual([
      'properties.filters is required for Product List Filtered',
    ]);
    expect(track('User Profile Updated', {})).toEqual([
      'properties.updated_fields is required for User Profile Updated',
    ]);
    expect(track('Products Searched', { total_results: 1 })).toEqual([
      'properties.query is required for Products Searched',
    ]);
    expect(track('Product Reviewed', { rating: 5 })).toEqual([
      'properties.product_id is required for Product Reviewed',
    ]);
    expect(track('Cart Updated', {})).toEqual(['properties.products is required for Cart Updated']);
    expect(track('Product List Viewed', {})).toEqual([
      'properties.products is required for Product List Viewed',
    ]);
    // Optional ones may be left out.
    expect(track('Products Searched', { query: 'tea' })).toEqual([]);
    expect(track('Signed Out', {})).toEqual([]);
  });

  it('strings, ids, counts, positions and currencies of the catalog', () => {
    expect(track('Product Added', { name: 5, category: null, url: ['u'], source: {} })).toEqual([
      'properties.name must be a string, got 5',
      'properties.category must be a string, got null',
      'properties.url must be a string, got ["u"]',
      'properties.source must be a string, got {}',
    ]);
    expect(track('Products Searched', { query: 5, total_results: -1 })).toEqual([
      'properties.query must be a string, got 5',
      'properties.total_results must be a non-negative integer, got -1',
    ]);
    expect(track('Cart Updated', { quantity: 1.5, products: [{ cart_item_id: 9, position: 0 }] })).toEqual([
      'properties.quantity must be a non-negative integer, got 1.5',
      'properties.products[0].cart_item_id must be a non-empty string, got 9',
      'properties.products[0].position must be a positive integer, got 0',
    ]);
    expect(track('Market Selected', { id: 2, currency: 'aed', locale: 5 })).toEqual([
      'properties.id must be a non-empty string, got 2',
      'properties.currency must be an ISO 4217 code, got "aed"',
      'properties.locale must be a string, got 5',
    ]);
    expect(track('Promotion Viewed', { position: 2 })).toEqual([
      'properties.position must be a string, got 2',
    ]);
    expect(track('Web Vital Measured', { metric: 'INP', value: '1', delta: null, id: '' })).toEqual([
      'properties.value must be a finite number, got "1"',
      'properties.delta must be a finite number, got null',
      'properties.id must be a non-empty string, got ""',
    ]);
    expect(track('Signed In', { email_sha256: 'ABC', method: 1 })).toEqual([
      'properties.email_sha256 must be a SHA-256 hex digest, got "ABC"',
      'properties.method must be a string, got 1',
    ]);
    expect(
      track('Order Completed', { order_id: '1', products: [{ name: 5, price: '1', currency: 'sar' }] }),
    ).toEqual([
      'properties.products[0].name must be a string, got 5',
      'properties.products[0].price must be a finite number, got "1"',
      'properties.products[0].currency must be an ISO 4217 code, got "sar"',
    ]);
  });

  it('checks properties a catalog table does not list by their name; the rest is free-form', () => {
    expect(track('Product Viewed', { cart_item_id: 9, extra: { any: [1] }, rating: 'x' })).toEqual([
      'properties.cart_item_id must be a non-empty string, got 9',
    ]);
  });

  it('custom events: only the well-known names are checked', () => {
    expect(
      track('Lead', {
        product_id: 5,
        price: '1',
        currency: 'sar',
        sku: 5,
        plan_sha256: 'x',
        rating: 9,
        metric: 'XYZ',
        name: 5,
        filters: [{ type: 1 }],
        products: [{ name: 5, quantity: 0 }],
      }),
    ).toEqual([
      'properties.product_id must be a non-empty string, got 5',
      'properties.price must be a finite number, got "1"',
      'properties.currency must be an ISO 4217 code, got "sar"',
      'properties.sku must be a non-empty string, got 5',
      'properties.plan_sha256 must be a SHA-256 hex digest, got "x"',
      'properties.products[0].quantity must be a positive integer, got 0',
    ]);
    expect(track('Lead', { products: 'x' })).toEqual([
      'properties.products must be an array of objects, got "x"',
    ]);
    // Names of Object.prototype are no catalog events.
    expect(track('toString', { a: 1 })).toEqual([]);
  });

  it('accepts every event the normalizers make from the recorded SDK journey (fixture)', () => {
    const fired = JSON.parse(
      readFileSync(new URL('./fixtures/sdk-hooks.json', import.meta.url), 'utf8'),
    ) as Array<{
      name: string;
      args: unknown[];
      page: string;
    }>;
    let s: HookState | undefined;
    let page = '';
    let now = 1_000_000;
    const seen = new Set<string>();
    const bad: unknown[] = [];
    for (const h of fired) {
      if (!s || h.page !== page) {
        page = h.page;
        const cfg = fired.find((x) => x.page === page && x.name === 'twilight::before.ready')?.args[0] as
          { page?: { slug?: string; id?: number | null }; user?: { id?: number; type?: string } } | undefined;
        s = {
          storeCurrency: 'SAR',
          storeId: '1001',
          storeName: 'Twilight Demo Store',
          pageSlug: cfg?.page?.slug,
          pageId: cfg?.page?.id ? String(cfg.page.id) : undefined,
          recent: new Map(),
          now: () => now,
          log: () => undefined,
        };
        if (cfg?.user?.type === 'user')
          Object.assign(s, { user: { ...cfg.user }, userId: String(cfg.user.id) });
      }
      for (const e of normalize(h.name, structuredClone(h.args), s, s.log)) {
        seen.add(e.name);
        const problems = track(e.name, e.properties);
        if (problems.length) bad.push([e.name, problems]);
      }
      now += 10;
    }
    expect(bad).toEqual([]);
    expect(seen.size).toBeGreaterThan(20); // most of the catalog
  });

  it('bounds an event to the tracker’s own 32 KB (MAX_EVENT_BYTES)', () => {
    const sized = (n: number) => {
      // Strings of at most 2000 characters (the validator's own bound), the last one fills up to n bytes.
      const properties: Record<string, string> = {};
      for (let i = 0; i < 16; i++) properties['k' + i] = 'x'.repeat(2000);
      const e = { ...base(), properties: { ...properties, last: '' } };
      e.properties.last = 'x'.repeat(n - JSON.stringify(e).length);
      return validateEvent(e);
    };
    expect(sized(MAX_EVENT_BYTES)).toEqual([]);
    expect(sized(MAX_EVENT_BYTES + 1)).toEqual([
      'event is ' + (MAX_EVENT_BYTES + 1) + ' bytes, over ' + MAX_EVENT_BYTES,
    ]);
  });

  it('is independent of the tracker’s readers and repair: validate.ts and validateSchema.ts import nothing from src/event, src/normalize or src/lib/read', () => {
    for (const file of ['validate.ts', 'validateSchema.ts']) {
      const text = readFileSync(new URL('../src/' + file, import.meta.url), 'utf8');
      const specifiers = [...text.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
      expect(specifiers.length, file).toBeGreaterThan(0);
      for (const spec of specifiers)
        expect([file, spec]).not.toEqual([
          file,
          expect.stringMatching(/(^|\/)(event|normalize)(\/|$)|lib\/read$/),
        ]);
      expect(text, file).not.toMatch(/require\s*\(/);
    }
    // validateSchema.ts takes only types from schema.ts.
    const schema = readFileSync(new URL('../src/validateSchema.ts', import.meta.url), 'utf8');
    expect(
      [...schema.matchAll(/^import\b.*?from\s*'([^']+)'/gms)].map((m) => m[0].slice(0, 12) + ' ' + m[1]),
    ).toEqual(['import type  ./schema']);
  });
});
