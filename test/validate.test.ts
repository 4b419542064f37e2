import { describe, expect, it } from 'vitest';
import { validateEvent } from '../src/validate';

const base = () => ({
  type: 'track',
  event: 'Product Added',
  properties: { product_id: '101', price: 68, quantity: 2, currency: 'SAR', cart_id: '70001' },
  context: {
    library: { name: 'twilight-tracker', version: '0.1.0' },
    page: { url: 'http://127.0.0.1:4400/p/101', path: '/p/101' },
    session_id: 's-1',
    consent: 'granted',
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
  it('accepts a well-formed event, a page event and a consent-denied event', () => {
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
    expect(
      check((e) => {
        delete (e as Partial<E>).anonymousId;
        delete (e as Partial<E>).userId;
        e.context = { ...e.context, session_id: undefined as unknown as string, consent: 'denied' };
      }),
    ).toEqual([]);
  });

  it('reports envelope problems', () => {
    expect(validateEvent(null)).toEqual(['event is not an object']);
    expect(validateEvent([])).toEqual(['event is not an object']);
    expect(check((e) => (e.type = 'identify'))).toEqual(['type must be "track" or "page", got "identify"']);
    expect(check((e) => (e.event = ''))).toEqual([
      'event must be a non-empty string of at most 200 characters',
    ]);
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
    expect(check((e) => (e.context.consent = 'denied'))).toEqual([
      'anonymousId must be absent when consent is denied',
      'userId must be absent when consent is denied',
      'context.session_id must be absent when consent is denied',
    ]);
    expect(check((e) => delete (e as Partial<E>).anonymousId)).toEqual([
      'anonymousId must be a non-empty string',
    ]);
    expect(check((e) => (e.context.consent = 'pending'))).toEqual([
      'context.consent must be "granted" or "denied", got "pending"',
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
    expect(big).toEqual([expect.stringMatching(/^event is \d+ bytes, over 32768$/)]);
  });
});
