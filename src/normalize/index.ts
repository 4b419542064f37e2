import type { Log } from '../lib/log';
import type { Emitted, HookState, HookTable } from './types';
// (in the order that packs tracker.js smallest: it is where each module's helpers land in the bundle)
import { productHooks } from './product';
import { wishlist } from './wishlist';
import { order } from './order';
import { account } from './account';
import { cart } from './cart';
import { coupon } from './coupon';
import { promotion } from './promotion';

/**
 * Every known Twilight hook → its normalizer (a null-prototype table: `toString` is no hook).
 * Unknown hooks are ignored, and so are the Segment-named events Salla's own engine re-emits on the
 * bus (`Cart Updated`, `Coupon Applied`, `Signed In`…): only the genuinely server-sent ones are in
 * the tables.
 *
 * The tables call nothing when they are built (a shared normalizer is a function their entries
 * call, not one a factory returns), so the minifier writes them all into this one object. (A local
 * in a table named as a top-level function of the bundle, such as `items`, also keeps it out.)
 * Each table's members are in the order that packs tracker.js smallest: only lookups read `hooks`.
 */
export const hooks: HookTable = {
  __proto__: null as never, // the prototype, not a hook
  ...cart,
  ...productHooks,
  ...wishlist,
  ...account,
  ...coupon,
  ...promotion,
  ...order,
};

/**
 * Normalize one SDK hook; never throws (a malformed payload gives a debug line and no event).
 * Properties may hold undefined values: serialization leaves them out, so the hot path does not
 * delete keys (which would also slow every later read of the object).
 */
export function normalize(name: string, args: unknown[], s: HookState, log: Log): Emitted[] {
  try {
    return ([] as Emitted[]).concat(hooks[name]?.(args, s) || []);
  } catch (e) {
    if (DEBUG) log('dropped malformed "' + name + '" payload', e);
    return [];
  }
}
