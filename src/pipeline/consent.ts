import type { ConsentState } from '../schema';
import { EXPLICIT } from '../lib/consentRank';

/** The ranks of consent signals (src/lib/consentRank.ts), for this unit's users. */
export { CONFIGURED, EXPLICIT, INFERRED, SHOPPER } from '../lib/consentRank';

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
    set(next, r = EXPLICIT) {
      if (STATES.indexOf(next) >= 0 && r >= level) {
        level = r;
        // (set either way: true when it was another)
        return state !== (state = next);
      }
      return false;
    },
    state: () => state,
  };
}
