import type { ConsentState, TrackerEvent } from '../schema';
import { anonymize } from '../event/privacy';
import type { Log } from '../lib/log';
import { CONFIGURED, INFERRED, type Consent } from '../pipeline/consent';
import type { Identity } from '../pipeline/identity';
import type { Ledger } from '../pipeline/ledger';
import type { Router } from '../delivery/router';

export interface ConsentControl {
  /** A consent signal of strength `rank` (src/pipeline/consent.ts; default explicit). */
  set(next: ConsentState, rank?: number): void;
  /**
   * The store's app settings came: `state`, the merchant's default, decides where the page tells nothing
   * stronger; a denial already made applies again, under the store's `deniedMode`.
   */
  configure(state?: ConsentState): void;
}

export interface ConsentControlDeps {
  consent: Consent;
  identity: Identity;
  ledger: Ledger;
  router: Router;
  options: {
    /** Read when consent is denied (the store's settings may change it). */
    deniedMode: 'anonymous' | 'none';
    /**
     * Read at creation: a snippet's baked-in consent, the merchant's default. It waits until the page
     * tells what it knows (the cookie bar's recorded choice, that there is none, or no SDK) and decides
     * only where that is a guess. Until then the state is pending: nothing stored is read, written or
     * deleted.
     */
    consent?: ConsentState;
  };
  log: Log;
}

/**
 * What a consent change does: the units that keep ids (identity, the order ledger) store or forget,
 * and the destinations, through the router, store, strip or drop what they hold. The state at
 * creation is applied at once.
 */
export function createConsentControl(d: ConsentControlDeps): ConsentControl {
  const { consent, identity, ledger } = d;
  let fallback = d.options.consent;
  const apply = (state: ConsentState) => {
    if (state === 'granted') ledger.persist();
    if (state === 'denied') {
      identity.purge();
      ledger.purge();
    }
    // Queued events were identified under the old state: when denied, made anonymous (or dropped).
    const anon = (e: TrackerEvent) => anonymize(e, identity.pageId(), 'denied');
    d.router.consent(state, anon, d.options.deniedMode === 'none');
  };
  function set(next: ConsentState, rank?: number) {
    // The page tells nothing stronger than a guess: the merchant's default decides.
    if (rank === INFERRED && fallback) {
      next = fallback;
      rank = CONFIGURED;
    }
    if (!consent.set(next, rank)) return;
    if (DEBUG) d.log('consent → ' + next);
    apply(next);
  }
  apply(consent.state());
  return {
    set,
    configure(state) {
      if (state) set((fallback = state), CONFIGURED);
      // (`tracker_denied_mode: 'none'` drops what a denial before the settings only made anonymous)
      if (consent.state() == 'denied') apply('denied');
    },
  };
}
