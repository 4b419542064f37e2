import { readFileSync } from 'node:fs';
import { vi } from 'vitest';
import { normalize } from '../../src/normalize';
import type { Emitted, HookState } from '../../src/normalize/types';

/** One hook fired on the demo's SDK event bus (see `demo/probe.mjs --write-fixture`). */
export interface Fired {
  name: string;
  args: unknown[];
  /** Path and query of the page it fired on. */
  page: string;
  /**
   * Where the entry came from: `real SDK <version> …` for a hook the real SDK emitted (the probe's step
   * and the demo store API it ran against), `shape from @salla.sa/twilight-components … file:line …` for
   * a component's hook, which the probe replays from that component code through the real SDK.
   */
  source: string;
}

/** Every hook of the recorded journey, in firing order. */
export const fired: Fired[] = JSON.parse(
  readFileSync(new URL('../fixtures/sdk-hooks.json', import.meta.url), 'utf8'),
);

/** The arguments of the `nth` (0-based) firing of `name` on a page whose path starts with `page`. */
export function args(name: string, nth = 0, page = ''): unknown[] {
  const f = fired.filter((h) => h.name === name && h.page.startsWith(page))[nth];
  if (!f) throw new Error(`no firing #${nth} of ${name} on ${page || 'any page'}`);
  return structuredClone(f.args);
}

/** Normalizer state of a demo page (store 1001, SAR), at time `t.now`. */
export function state(extra: Partial<HookState> = {}) {
  const t = { now: 1_000_000 };
  const s: HookState = {
    storeCurrency: 'SAR',
    storeId: '1001',
    storeName: 'Twilight Demo Store',
    pageSlug: 'index',
    recent: new Map(),
    now: () => t.now,
    log: vi.fn(),
    ...extra,
  };
  return Object.assign(s, { t });
}

/** Feed one hook through the normalizer table. */
export const run = (s: HookState, name: string, a: unknown[]): Emitted[] => normalize(name, a, s, s.log);

/** A demo product as the server-sent Segment-style events describe it. */
export const P101 = {
  product_id: '101',
  name: 'Ethiopian Yirgacheffe Beans',
  sku: 'COF-ETH-250',
  category: 'Coffee',
  brand: 'Najd Roasters',
  price: 68,
  currency: 'SAR',
  url: 'http://127.0.0.1:4400/p/101',
  image_url: 'http://127.0.0.1:4400/assets/img/amber.svg',
};

/** Demo product 102, as P101. */
export const P102 = {
  product_id: '102',
  name: 'Colombian Supremo Beans',
  sku: 'COF-COL-500',
  category: 'Coffee',
  brand: 'Najd Roasters',
  price: 85,
  currency: 'SAR',
  url: 'http://127.0.0.1:4400/p/102',
  image_url: 'http://127.0.0.1:4400/assets/img/brown.svg',
};

/** Demo product 103, as P101. */
export const P103 = {
  product_id: '103',
  name: 'Sencha Green Tea',
  sku: 'TEA-GRN-100',
  category: 'Tea',
  brand: 'Leaf & Co',
  price: 42,
  currency: 'SAR',
  url: 'http://127.0.0.1:4400/p/103',
  image_url: 'http://127.0.0.1:4400/assets/img/green.svg',
};
