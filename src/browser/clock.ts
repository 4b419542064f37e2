import type { Clock } from '../lib/clock';

/**
 * The page's clock. Looked up at each call, so that fake timers installed later apply. A page's
 * `clearTimeout` that throws is not thrown on (into `stats()`, `flush()` or a hook): the timer may
 * still fire, which costs an early flush at most.
 */
export const realClock: Clock = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => {
    try {
      clearTimeout(h as number);
    } catch {
      /* the page's */
    }
  },
};
