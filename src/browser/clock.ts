import type { Clock } from '../lib/clock';

/** The page's clock. Looked up at each call, so that fake timers installed later apply. */
export const realClock: Clock = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as number),
};
