import type { Log } from '../core/createLog';
import { cart } from './cart';
import type { Emitted, HookState, HookTable } from './types';

/** Every known Twilight hook → its normalizer. Unknown hooks are ignored. */
export const hooks: HookTable = { ...cart };

const has = Object.prototype.hasOwnProperty;

/** Normalize one SDK hook; never throws (a malformed payload gives a debug line and no event). */
export function normalize(name: string, args: unknown[], s: HookState, log: Log): Emitted[] {
  const fn = has.call(hooks, name) ? hooks[name] : undefined;
  if (!fn) return [];
  try {
    const out = fn(args, s);
    return out ? (Array.isArray(out) ? out : [out]) : [];
  } catch (e) {
    log('dropped malformed "' + name + '" payload', e);
    return [];
  }
}
