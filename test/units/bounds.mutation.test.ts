// Bounded copies of untrusted data and the 32 KB bound (src/event/bounds.ts), as the README promises
// them: "strings ≤ 500 characters, arrays ≤ 100 items, ≤ 100 keys of ≤ 100 characters, depth ≤ 5;
// cycles, throwing getters, `__proto__`/`constructor`/`prototype` keys, functions, symbols, bigints,
// NaN and Infinity are dropped; dates become ISO strings", and "an event with a `products` list over
// 32,767 bytes of JSON has its `products` halved until it fits, else it is dropped". Written to kill
// its mutants (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { fit, MAX_EVENT_BYTES, sanitize } from '../../src/event/bounds';
import { createJsonCache } from '../../src/lib/json';
import type { TrackerEvent } from '../../src/schema';

describe('sanitize', () => {
  it('keeps null, booleans, finite numbers and strings (cut to 500 characters)', () => {
    for (const v of [null, true, false, 0, -1.5, 1e300, '', 'a']) expect(sanitize(v)).toBe(v);
    expect(sanitize('x'.repeat(600))).toBe('x'.repeat(500));
  });

  it('drops what JSON cannot carry', () => {
    for (const v of [undefined, NaN, Infinity, -Infinity, () => 1, Symbol('s'), BigInt(1)])
      expect(sanitize(v)).toBeUndefined();
    expect(sanitize({ a: NaN, b: () => 1, c: undefined, d: 1 })).toStrictEqual({ d: 1 });
    expect(sanitize([NaN, 1, () => 1, 2])).toStrictEqual([1, 2]);
  });

  it('writes dates as ISO strings; an invalid one is dropped', () => {
    expect(sanitize(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(sanitize({ d: new Date(NaN), e: 1 })).toStrictEqual({ e: 1 });
  });

  it('leaves out holes, and keeps the first 100 items of an array', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(sanitize([1, , 3])).toStrictEqual([1, 3]);
    const out = sanitize(Array.from({ length: 150 }, (_, i) => i)) as number[];
    expect(out).toHaveLength(100);
    expect(out[99]).toBe(99);
  });

  it('keeps the first 100 keys of an object, each cut to 100 characters', () => {
    const big = Object.fromEntries(Array.from({ length: 150 }, (_, i) => ['k' + i, i]));
    const out = sanitize(big) as Record<string, number>;
    expect(Object.keys(out)).toHaveLength(100);
    expect(out.k99).toBe(99);
    expect(sanitize({ ['k'.repeat(150)]: 1 })).toStrictEqual({ ['k'.repeat(100)]: 1 });
  });

  it('keeps five levels below the top one, whatever the number of siblings', () => {
    const nest = (n: number): unknown => (n ? { a: nest(n - 1) } : 'end');
    expect(sanitize(nest(7))).toStrictEqual({ a: { a: { a: { a: { a: {} } } } } });
    const six = { a: {}, b: {}, c: {}, d: {}, e: {}, f: { g: [1] } };
    expect(sanitize(six)).toStrictEqual(six);
  });

  it('cuts a cycle, but copies an object met twice on different paths', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(sanitize(cyclic)).toStrictEqual({ a: 1 });
    const shared = { x: 1 };
    expect(sanitize({ a: shared, b: [shared] })).toStrictEqual({ a: { x: 1 }, b: [{ x: 1 }] });
  });

  it('drops prototype keys and throwing getters, and keeps the rest of the object', () => {
    const poisoned = JSON.parse('{"__proto__":{"p":1},"constructor":1,"prototype":2,"ok":3}') as object;
    const getter = Object.defineProperty({ ok: 1 }, 'x', {
      enumerable: true,
      get() {
        throw new Error('x');
      },
    });
    expect(sanitize({ poisoned, getter })).toStrictEqual({ poisoned: { ok: 3 }, getter: { ok: 1 } });
  });

  it('drops an object whose keys cannot be listed (a throwing Proxy)', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no');
        },
      },
    );
    expect(sanitize({ hostile, ok: 1 })).toStrictEqual({ ok: 1 });
  });
});

describe('fit: the 32 KB bound', () => {
  const event = (products: unknown[] | undefined, extra = '') =>
    ({
      type: 'track',
      event: 'Cart Viewed',
      properties: { products, note: extra },
      context: {},
    }) as unknown as TrackerEvent;
  const product = (i: number, bytes: number) => ({ product_id: String(i), name: 'n'.repeat(bytes) });

  it('keeps an event that fits as it is', () => {
    const e = event([product(1, 100)]);
    expect(fit(e, createJsonCache())).toBe(true);
    expect((e.properties as { products: unknown[] }).products).toHaveLength(1);
  });

  it('halves a long products list until the event fits, writing the JSON again each time', () => {
    const e = event(Array.from({ length: 100 }, (_, i) => product(i, 500)));
    const json = createJsonCache();
    expect(fit(e, json)).toBe(true);
    const kept = (e.properties as { products: Array<{ product_id: string }> }).products;
    expect(kept).toHaveLength(50);
    expect(kept[49]?.product_id).toBe('49');
    expect(new TextEncoder().encode(json(e)).length).toBeLessThanOrEqual(MAX_EVENT_BYTES);
  });

  it('counts UTF-8 bytes: 11,000 three-byte characters do not fit, though 11,000 units would', () => {
    const e = event([product(1, 10), { product_id: '2', name: '€'.repeat(11000) }]);
    expect(fit(e, createJsonCache())).toBe(true);
    expect((e.properties as { products: unknown[] }).products).toHaveLength(1);
  });

  it('halves down to one product, and drops an event that still does not fit', () => {
    const two = event([product(1, 20000), product(2, 20000)]);
    expect(fit(two, createJsonCache())).toBe(true);
    expect((two.properties as { products: unknown[] }).products).toHaveLength(1);
    expect(fit(event([product(1, 40000)]), createJsonCache())).toBe(false);
    expect(fit(event(undefined, 'x'.repeat(40000)), createJsonCache())).toBe(false);
  });
});
