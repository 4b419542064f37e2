import { describe, expect, it, vi } from 'vitest';
import { attachSdk } from '../../src/sdk/attach';
import { callingCode, readState } from '../../src/sdk/facts';
import type { TwilightSdk } from '../../src/types';
import { fakeSdk, storeConfig } from '../helpers/fakeSdk';
import { args, state } from './fixture';

const hooksOf = () => ({
  log: vi.fn(),
  ready: vi.fn(),
  consent: vi.fn(),
  signedOut: vi.fn(),
  // The pipeline runs a hook's reading later, in its own task; here at once unless a test holds them.
  later: (run: () => void) => (held ? held.push(run) : run()),
});
let held: Array<() => void> | undefined;

describe('readState: what the normalizers read from the SDK', () => {
  it('store, currency, page, signed-in customer and the stored UTM', () => {
    const f = fakeSdk(
      storeConfig({
        page: { slug: 'product.single', id: 101, title: 'Coffee|Beans' },
        user: { id: 501, type: 'user', first_name: 'Sara', currency_code: 'SAR' },
      }),
    );
    const utm = { 's-utm-source': 'google' };
    (f.sdk.storage as Record<string, unknown>).getWithTTL = (k: string) => (k === 's-utms' ? utm : null);
    const s = state({
      storeCurrency: undefined,
      storeId: undefined,
      storeName: undefined,
      pageSlug: undefined,
    });
    readState(f.sdk, s);
    expect({ ...s, recent: undefined, now: undefined, log: undefined, t: undefined }).toEqual({
      storeCurrency: 'SAR',
      storeId: '1001',
      storeName: 'Demo Store',
      pageSlug: 'product.single',
      pageId: '101',
      pageTitle: 'Coffee|Beans',
      customerId: '501',
      customer: { id: 501, type: 'user', first_name: 'Sara', currency_code: 'SAR' },
      utm,
    });
  });

  it('a storage that throws when read is none (no UTM), not a failed read of the SDK', () => {
    const f = fakeSdk(storeConfig());
    Object.defineProperty(f.sdk, 'storage', {
      get: () => {
        throw new Error('sdk');
      },
    });
    const s = state({ storeId: undefined });
    expect(() => readState(f.sdk, s)).not.toThrow();
    expect([s.storeId, s.utm]).toEqual(['1001', undefined]);
  });

  it('falls back to the raw stored UTM (s-utms_<storeId>)', () => {
    const f = fakeSdk(storeConfig());
    f.storage['s-utms_1001'] = { value: { 's-utm-source': 'x' }, expiry: 1 };
    const s = state();
    readState(f.sdk, s);
    expect(s.utm).toEqual({ value: { 's-utm-source': 'x' }, expiry: 1 });
  });
});

describe('callingCode: the country calling code of local phone numbers', () => {
  it("the customer's code as it is, else a Gulf country's by the table; an unknown country has none", () => {
    const code = (country: string) => callingCode(state({ customer: { country_code: country } }));
    expect(['SA', 'ae', 'KW', 'BH', 'QA', 'OM', 'EG', 'S', 'A9'].map(code)).toEqual([
      '966',
      '971',
      '965',
      '973',
      '974',
      '968',
      undefined,
      undefined,
      undefined,
    ]);
    expect(callingCode(state({ customer: { phone: { code: '+20' }, country_code: 'SA' } }))).toBe('+20');
    const f = fakeSdk(storeConfig({ store: { id: 1, country: 'QA' } }));
    expect(callingCode(state(), f.sdk as TwilightSdk)).toBe('974');
  });
});

describe('attachSdk', () => {
  function attached(source: () => unknown) {
    const f = fakeSdk(storeConfig({ page: { slug: 'product.single', id: 105 } }));
    Object.defineProperty(f.sdk, 'cart', { get: () => ({ api: { addToCartSource: source() } }) });
    const s = state();
    const names: string[] = [];
    const h = hooksOf();
    attachSdk(f.sdk as TwilightSdk, s, h, (name) =>
      names.push(name + (s.addSource ? ' ' + s.addSource : '')),
    );
    return { f, s, names, h };
  }

  it('records the add source the SDK holds when an add starts and when it is reported', () => {
    let src: unknown = 'pdp_fbt';
    const { f, names } = attached(() => src);
    f.emit('cart::before.add.item', { id: 105 });
    src = null; // Salla's engine may have consumed it
    f.emit('Product Added', args('Product Added', 1)[0]);
    f.emit('cart::before.add.item', { id: 101 }); // a new add resets it
    f.emit('cart::item.added', ...args('cart::item.added', 0));
    src = 'basket_gap'; // set by the component after our listener saw before.add.item
    f.emit('Product Added', args('Product Added', 0)[0]);
    expect(names).toEqual([
      'cart::before.add.item pdp_fbt',
      'Product Added pdp_fbt',
      'cart::before.add.item',
      'cart::item.added',
      'Product Added basket_gap',
    ]);
  });

  it("reads the add source and the list card's attribution when the hook comes, the payload later, in order", () => {
    let src: unknown = 'pdp_fbt';
    const session: Record<string, string> = { 's-viewed-position': '3', 's-viewed-source': 'latest' };
    const f = fakeSdk(storeConfig({ page: { slug: 'product.single', id: 105 } }));
    Object.defineProperty(f.sdk, 'cart', { get: () => ({ api: { addToCartSource: src } }) });
    const s = state();
    const seen: string[] = [];
    const read = (name: string) => seen.push(`${name} ${s.addSource} ${s.adding?.position}`);
    held = [];
    try {
      attachSdk(f.sdk, s, { ...hooksOf(), session: (k: string) => session[k] ?? null }, read);
      f.emit('cart::before.add.item', { id: 105 });
      // In the same task, before any reading: the SDK and the page move on to the next add.
      src = 'basket_gap';
      session['s-viewed-position'] = '7';
      f.emit('cart::before.add.item', { id: 101 });
      expect(seen).toEqual([]);
      expect(s.addSource).toBeUndefined();
      for (const run of held.splice(0)) run();
    } finally {
      held = undefined;
    }
    expect(seen).toEqual(['cart::before.add.item pdp_fbt 3', 'cart::before.add.item basket_gap 7']);
  });

  it('an add that failed leaves no list attribution for a later add', () => {
    const f = fakeSdk(storeConfig());
    const s = state();
    const session: Record<string, string> = { 's-viewed-position': '3', 's-viewed-source': 'latest' };
    attachSdk(f.sdk, s, { ...hooksOf(), session: (k: string) => session[k] ?? null }, () => undefined);
    f.emit('cart::before.add.item', {});
    expect(s.adding).toEqual({ position: 3, source: 'latest', request_id: undefined });
    f.emit('cart::item.added.failed', {});
    expect(s.adding).toBeUndefined();
  });

  it('replays the server events the SDK dispatched before it attached, once; those it has yet to dispatch come from the bus', () => {
    const viewed = { id: 7, name: 'Tea', price: 10 };
    const cart = { id: 1 };
    const f = fakeSdk(storeConfig({ events: { 'Product Viewed': viewed, 'Cart Viewed': cart } }));
    f.emit('Product Viewed', viewed); // Salla.init dispatched the first before the tracker attached
    const got: Array<[string, unknown[]]> = [];
    attachSdk(f.sdk, state(), hooksOf(), (name, a) => got.push([name, a]));
    expect(got).toEqual([['Product Viewed', [viewed]]]);
    f.emit('Cart Viewed', cart); // and dispatches the second now
    expect(got).toEqual([
      ['Product Viewed', [viewed]],
      ['Cart Viewed', [cart]],
    ]);
  });

  it('reports sign-out after Signed Out is normalized (it belongs to the session it ends)', () => {
    const order: string[] = [];
    const f = fakeSdk(storeConfig());
    const h = { ...hooksOf(), signedOut: () => order.push('reset session') };
    attachSdk(f.sdk, state(), h, (name) => order.push(name));
    f.emit('auth::logged.out');
    expect(order).toEqual(['auth::logged.out', 'reset session']);
  });

  it('never throws on an onReady that throws or whose getter throws; a ready SDK is ready at once', () => {
    const boom = () => {
      throw new Error('sdk');
    };
    for (const sdk of [{ onReady: boom }, Object.defineProperty({}, 'onReady', { get: boom })]) {
      const h = hooksOf();
      expect(() => attachSdk(sdk as TwilightSdk, state(), h, () => undefined)).not.toThrow();
      expect(h.ready).not.toHaveBeenCalled();
    }
    // A ready SDK reports readiness at once, and its onReady is not asked.
    const onReady = vi.fn();
    const h = hooksOf();
    attachSdk({ status: 'ready', onReady } as unknown as TwilightSdk, state(), h, () => undefined);
    expect(h.ready).toHaveBeenCalledTimes(1);
    expect(onReady).not.toHaveBeenCalled();
  });
});
