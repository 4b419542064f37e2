import { describe, expect, it, type Mock } from 'vitest';
import { hooks } from '../../src/normalize';
import type { Emitted } from '../../src/normalize/types';
import { validateEvent } from '../../src/validate';
import { feeds } from '../helpers/hookReplay';
import { fired, run, state } from './fixture';

/** A normalized event in the wire envelope the core gives it (consent granted), as JSON carries it. */
const envelope = (e: Emitted): unknown =>
  JSON.parse(
    JSON.stringify({
      type: 'track',
      event: e.name,
      properties: e.properties,
      context: {
        library: { name: 'twilight-tracker', version: '0.1.0' },
        page: {},
        consent_state: 'granted',
        consent: { categoryPreferences: { analytics: true } },
        session_id: 's-1',
      },
      anonymousId: 'a-1',
      messageId: e.id || 'm-1',
      timestamp: '2026-11-22T10:00:00.000Z',
    }),
  );

describe('normalize()', () => {
  it('ignores unknown hooks and prototype names', () => {
    const s = state();
    for (const n of [
      'cart::submitted',
      'twilight::initiated',
      'toString',
      '__proto__',
      'constructor',
      'Checkout Started',
    ]) {
      expect(run(s, n, [{}])).toEqual([]);
    }
  });

  it('ignores every Segment-named hook Salla’s own engine re-emits', () => {
    const reEmitted = [
      'Cart Updated',
      'Coupon Applied',
      'Coupon Removed',
      'Coupon Denied',
      'Signed In',
      'Signed Up',
      'Signed Out',
      'User Profile Updated',
      'Product Added to Wishlist',
      'Product Removed from Wishlist',
      'Product List Viewed',
      'Product List Filtered',
      'Product Shared',
      'Promotion Viewed',
      'Promotion Clicked',
      'Market Selected',
      'Product Reordered',
      'Product Clicked',
      'Product Reviewed',
      'Recommendation List Viewed',
    ];
    for (const n of reEmitted) expect(Object.keys(hooks)).not.toContain(n);
  });

  it('never throws: a hostile payload gives a debug line or a repaired event', () => {
    const s = state();
    const trap = new Proxy(
      {},
      {
        get: () => {
          throw new Error('getter');
        },
        ownKeys: () => {
          throw new Error('keys');
        },
      },
    );
    for (const name of Object.keys(hooks)) {
      for (const a of [[], [null], [trap, trap], [[trap]], [undefined, 'x'], [42, { products: trap }]]) {
        expect(() => run(s, name, a)).not.toThrow();
      }
    }
    expect(run(s, 'rating::products.rated', [{}, { products: trap }])).toEqual([]);
    expect(s.log).toHaveBeenCalledWith(
      'dropped malformed "rating::products.rated" payload',
      expect.any(Error),
    );
  });

  it('gives every hook of the tables a valid event from its recorded payload, and no "dropped malformed" line', () => {
    const perHook = new Map<string, number>();
    const problems: string[] = [];
    let fed = 0;
    for (const f of feeds()) {
      fed++;
      const s = state({ addSource: f.setup.source });
      for (const [name, a] of f.before) run(s, name, a);
      const events = run(s, f.name, f.args);
      perHook.set(f.name, (perHook.get(f.name) || 0) + events.length);
      for (const e of events) {
        const p = validateEvent(envelope(e));
        if (p.length) problems.push(f.name + ' #' + f.nth + ' → ' + e.name + ': ' + p.join('; '));
      }
      const lines = (s.log as Mock).mock.calls.map((c) => String(c[0]));
      expect(
        lines.filter((l) => l.indexOf('dropped malformed') === 0),
        f.name + ' #' + f.nth,
      ).toEqual([]);
    }
    expect(fed).toBe(fired.filter((h) => h.name in hooks).length); // every recording of every hook
    expect(problems).toEqual([]);
    expect(Array.from(perHook.keys())).toEqual(Object.keys(hooks));
    // Every hook gave at least one event: none is left without.
    expect(Object.keys(hooks).filter((h) => !perHook.get(h))).toEqual([]);
  });

  it('leaves unknown values undefined, so they are not serialized', () => {
    const [e] = run(state(), 'order::order.created', [{}, 300001]);
    expect(JSON.parse(JSON.stringify(e!.properties))).toEqual({ order_id: '300001' });
    expect(Object.values(e!.properties).filter((v) => v !== undefined)).toEqual(['300001']);
  });
});
