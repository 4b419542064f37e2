/**
 * Every hook of the normalizer tables with its recorded payloads (test/fixtures/sdk-hooks.json, as the
 * real SDK or a component emitted them, unmutated), and what the page must know first for that hook
 * to give an event at all: the facts its normalizer reads, as recorded hooks (and the SDK's add source).
 */
import { hooks } from '../../src/normalize';
import { args, fired } from '../normalize/fixture';

export interface Setup {
  /** Recorded firings (name, nth) that come first. */
  before: Array<[string, number]>;
  /** The SDK's `cart.api.addToCartSource` during the add (a component's own add). */
  source?: string;
}

/** The hooks that need something known first; every other hook gives an event from its payload alone. */
export const SETUP: Record<string, Setup> = {
  // Units added or removed: the cart before the change (101 × 1) and after it (101 × 3).
  'cart::item.updated': {
    before: [
      ['cart::updated', 3],
      ['cart::updated', 4],
    ],
  },
  // A component's hook reports an add only when the add in progress is its own (the cart: the last one).
  'salla-bought-together::product.added': {
    source: 'pdp_fbt',
    before: [
      ['cart::before.add.item', 4],
      ['cart::updated', 13],
    ],
  },
  'salla-basket-gap::product.added': {
    source: 'basket_gap',
    before: [
      ['cart::before.add.item', 7],
      ['cart::updated', 16],
    ],
  },
  // A sign-in is sent with the customer's profile: the profile completes a sign-in, or comes first.
  'profile::info.fetched': { before: [['auth::registered', 0]] },
  'auth::logged.in': { before: [['profile::info.fetched', 0]] },
  'auth::registered': { before: [['profile::info.fetched', 1]] },
};

export interface Feed {
  /** The hook and which of its recordings (0-based). */
  name: string;
  nth: number;
  setup: Setup;
  /** The recorded firings before it, then the hook itself, each with a fresh copy of its arguments. */
  before: Array<[string, unknown[]]>;
  args: unknown[];
}

/** Every recording of every hook in the tables, in table order; a hook without a recording throws. */
export function feeds(): Feed[] {
  return Object.keys(hooks).flatMap((name) => {
    const n = fired.filter((h) => h.name === name).length;
    if (!n) throw new Error('no recording of ' + name + ' in test/fixtures/sdk-hooks.json');
    const setup = SETUP[name] || { before: [] };
    return Array.from({ length: n }, (_, nth) => ({
      name,
      nth,
      setup,
      before: setup.before.map(([b, i]): [string, unknown[]] => [b, args(b, i)]),
      args: args(name, nth),
    }));
  });
}
