import type { Log } from '../core/createLog';
import { account } from './account';
import { cart } from './cart';
import { coupon } from './coupon';
import { order } from './order';
import { productHooks } from './product';
import { promotion } from './promotion';
import type { Emitted, HookState, HookTable } from './types';
import { clean } from './values';
import { wishlist } from './wishlist';

/**
 * Every known Twilight hook → its normalizer. Unknown hooks are ignored, and so are the Segment-named
 * events Salla's own engine re-emits on the bus (`Cart Updated`, `Coupon Applied`, `Signed In`…):
 * only the genuinely server-sent ones are in the tables.
 */
export const hooks: HookTable = {
  ...cart,
  ...productHooks,
  ...wishlist,
  ...account,
  ...coupon,
  ...promotion,
  ...order,
};

const has = Object.prototype.hasOwnProperty;

/**
 * Normalize one SDK hook, dropping undefined properties; never throws (a malformed payload gives a
 * debug line and no event).
 */
export function normalize(name: string, args: unknown[], s: HookState, log: Log): Emitted[] {
  const fn = has.call(hooks, name) ? hooks[name] : undefined;
  if (!fn) return [];
  try {
    const out = fn(args, s);
    const events = out ? (Array.isArray(out) ? out : [out]) : [];
    for (const e of events) clean(e.properties);
    return events;
  } catch (e) {
    log('dropped malformed "' + name + '" payload', e);
    return [];
  }
}
