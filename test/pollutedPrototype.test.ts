// A host page that adds enumerable properties to Object.prototype (old themes and libraries do):
// nothing of it may reach an event, in any consent state. (e2e/hostile.spec.ts runs the same page in Chromium.)
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../src/core/createCore';
import { fakeEnv } from './helpers/fakeEnv';
import { run, state } from './normalize/fixture';
import { readProduct } from '../src/normalize/readProduct';

const proto = Object.prototype as Record<string, unknown>;
beforeEach(() => {
  proto.foo = 'bar';
  proto.__theme = { x: 1 };
});
afterEach(() => {
  delete proto.foo;
  delete proto.__theme;
});

describe('a polluted Object.prototype', () => {
  for (const consent of ['pending', 'granted', 'denied'] as const)
    it(`adds nothing to a ${consent} event`, async () => {
      const t = fakeEnv();
      const tracker = createCore([{ endpoint: '/c', consent, webVitals: false, autoPage: false }], t.env);
      // @ts-expect-error `email` is not a Product Added property (a JS caller's extra)
      tracker.track('Product Added', { product_id: '7', price: 10, quantity: 1, email: 'a@b.co' });
      await tracker.flush();
      const [e] = t.events();
      expect(Object.keys(e?.properties as object).sort()).toEqual(
        consent === 'granted'
          ? ['email_sha256', 'price', 'product_id', 'quantity']
          : ['price', 'product_id', 'quantity'],
      );
      expect(JSON.stringify(t.sent)).not.toMatch(/foo|__theme/);
    });
});

describe('an Object.prototype polluted with names the schema uses', () => {
  const names = ['price', 'currency', 'sku', 'quantity', 'name', 's', 'i', 'c', 'n', 'q'];
  beforeEach(() => {
    for (const n of names) proto[n] = n === 'price' || n === 'quantity' ? 999 : 'POLLUTED';
  });
  afterEach(() => {
    for (const n of names) delete proto[n];
  });

  it('a product in a hook payload without those properties does not take them from the prototype', () => {
    const p = readProduct({ id: 104 }, 'SAR');
    expect(JSON.parse(JSON.stringify(p))).toEqual({ product_id: '104', currency: 'SAR' });
    const [e] = run(state(), 'wishlist::added', [
      { status: 200, success: true, data: { message: 'ok' } },
      104,
    ]);
    expect(e?.properties).toEqual({ product_id: '104', wishlist_name: 'Twilight Demo Store' });
    expect(JSON.stringify(e)).not.toMatch(/POLLUTED|999/);
  });

  it('a track() event is repaired and sent as usual (the kinds table has no prototype)', async () => {
    const t = fakeEnv();
    const tracker = createCore(
      [{ endpoint: '/c', consent: 'granted', webVitals: false, autoPage: false }],
      t.env,
    );
    // @ts-expect-error values of the wrong types, as a JS caller may give them
    tracker.track('Product Added', { product_id: 7, currency: 'sar', price: '10', quantity: 1 });
    await tracker.flush();
    expect(t.events().map((e) => e.properties)).toEqual([
      { product_id: '7', currency: 'SAR', price: 10, quantity: 1 },
    ]);
  });
});

describe('an Object.prototype with non-enumerable properties of those names', () => {
  beforeEach(() => {
    Object.defineProperty(proto, 'price', { value: 999, configurable: true, writable: true });
    Object.defineProperty(proto, 'sku', { value: 'POLLUTED', configurable: true, writable: true });
    Object.defineProperty(proto, 'category', { get: () => 'POLLUTED', configurable: true });
  });
  afterEach(() => {
    for (const n of ['price', 'sku', 'category']) delete proto[n];
  });

  it('a product in a hook payload takes none of them', () => {
    expect(JSON.parse(JSON.stringify(readProduct({ id: 104 }, 'SAR')))).toEqual({
      product_id: '104',
      currency: 'SAR',
    });
    const [e] = run(state(), 'Product Added', [[{ id: 7, name: 'Mug' }]]);
    expect(e?.properties).toEqual({ product_id: '7', name: 'Mug', currency: 'SAR' });
    expect(JSON.stringify(e)).not.toMatch(/POLLUTED|999/);
  });
});

describe('an Object.prototype with a position', () => {
  beforeEach(() =>
    Object.defineProperty(proto, 'position', { value: 999, configurable: true, writable: true }),
  );
  afterEach(() => delete proto.position);

  it('a server Product Added whose item is not an object takes no position from it', () => {
    const [e] = run(state(), 'Product Added', [['x']]);
    expect(e?.name).toBe('Product Added');
    expect(JSON.stringify(e)).not.toMatch(/999/);
  });
});

describe('an Object.prototype with a `context` (a name of the event envelope)', () => {
  for (const value of [{ x: 1 }, 'POLLUTED'])
    it(`Object.prototype.context = ${JSON.stringify(value)}: events are sent as usual, their context without it`, async () => {
      proto.context = value;
      try {
        const t = fakeEnv();
        const tracker = createCore(
          [{ endpoint: '/c', consent: 'granted', webVitals: false, autoPage: false }],
          t.env,
        );
        tracker.track('Product Added', { product_id: '7', price: 10, quantity: 1 });
        tracker.track('Custom', { a: 1 });
        await tracker.flush();
        expect(t.events().map((e) => e.type === 'track' && e.event)).toEqual(['Product Added', 'Custom']);
        for (const e of t.events()) expect(Object.keys(e.context as object)).not.toContain('context');
        expect(JSON.stringify(t.sent)).not.toMatch(/POLLUTED|"x":1/);
        expect(tracker.stats()).toMatchObject({ delivered: 2, dropped: 0, queued: 0 });
      } finally {
        delete proto.context;
      }
    });
});

describe('an Object.prototype with the names of register() options', () => {
  it('Object.prototype.pii = "keep", .replay = false, .name: a callback registered with options that set none of them gets hashed fields, the history, a name of its own', async () => {
    Object.assign(proto, { pii: 'keep', replay: false, name: 'POLLUTED' });
    try {
      const t = fakeEnv();
      const tracker = createCore({ autoPage: false, webVitals: false }, t.env);
      tracker.track('Lead Captured', { email: 'sara@example.com' });
      // (hashed and in the history before the callbacks come: replayed to them)
      await tracker.flush();
      const got: unknown[] = [];
      const names: string[] = [];
      tracker.on('delivered', (r) => void names.push(r.destination));
      tracker.register((events) => void got.push(...events.map((e) => e.properties)), {});
      // Its own options still count.
      const kept: unknown[] = [];
      tracker.register((events) => void kept.push(...events.map((e) => e.properties)), {
        pii: 'keep',
        name: 'mine',
      });
      await tracker.flush();
      const hash = createHash('sha256').update('sara@example.com').digest('hex');
      expect(got).toEqual([{ email_sha256: hash }]);
      expect(kept).toEqual([{ email: 'sara@example.com' }]);
      expect(names.sort()).toEqual(['callback#1', 'mine']);
    } finally {
      for (const n of ['pii', 'replay', 'name']) delete proto[n];
    }
  });
});
