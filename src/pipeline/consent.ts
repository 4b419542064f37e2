import type { ConsentState } from '../schema';

export interface Consent {
  /** The current state. */
  state(): ConsentState;
  /**
   * Change the state. An explicit choice (option, `tracker.consent()`, the cookie bar's hooks) always
   * applies; a `stored` one (the cookie bar's recorded choice, or the store's default) only while no
   * explicit choice was made. Returns true when the state changed.
   */
  set(next: ConsentState, stored?: boolean): boolean;
}

const STATES: ConsentState[] = ['pending', 'granted', 'denied'];

/**
 * The consent state machine: `pending` until a choice is known, then `granted` or `denied`. The
 * `initial` state (the `consent` option) counts as an explicit choice.
 */
export function createConsent(initial?: ConsentState): Consent {
  let state: ConsentState = initial || 'pending';
  let explicit = !!initial;
  return {
    state: () => state,
    set(next, stored) {
      if (STATES.indexOf(next) < 0 || (stored && explicit)) return false;
      if (!stored) explicit = true;
      if (next === state) return false;
      state = next;
      return true;
    },
  };
}
