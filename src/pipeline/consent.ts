import type { ConsentState } from '../schema';

/**
 * How strong a consent signal is; a weaker one never overrides a stronger one:
 * - `INFERRED`: what the page tells without a choice (a store without a cookie bar: granted; a cookie
 *   bar and no choice: pending; no SDK on the page: granted);
 * - `CONFIGURED`: the merchant's default (an App Snippet's baked-in options, the store's app setting);
 * - `SHOPPER`: the choice the shopper made on an earlier page (the cookie bar's stored `cookies-consent`);
 * - `EXPLICIT`: the `consent` option given in code, `data-consent` or a queued `init`,
 *   `tracker.consent()`, and the cookie bar's hooks on this page.
 */
export const INFERRED = 0;
export const CONFIGURED = 1;
export const SHOPPER = 2;
export const EXPLICIT = 3;

export interface Consent {
  /** The current state. */
  state(): ConsentState;
  /**
   * Change the state, from a signal of strength `rank` (default `EXPLICIT`): it applies unless a
   * stronger signal set the state before. Returns true when the state changed.
   */
  set(next: ConsentState, rank?: number): boolean;
}

const STATES: ConsentState[] = ['pending', 'granted', 'denied'];

/**
 * The consent state machine: `pending` until a choice is known, then `granted` or `denied`. The
 * `initial` state (the `consent` option; none: undefined or false) has strength `rank` (default `EXPLICIT`).
 */
export function createConsent(initial?: ConsentState | false, rank = EXPLICIT): Consent {
  let state: ConsentState = initial || 'pending';
  let level = initial ? rank : -1;
  return {
    state: () => state,
    set(next, r = EXPLICIT) {
      if (STATES.indexOf(next) < 0 || r < level) return false;
      level = r;
      if (next === state) return false;
      state = next;
      return true;
    },
  };
}
