import type { TrackerEvent } from '../schema';
import type { PiiPolicy } from '../types';
import { eventName } from '../event/build';
import { hasPii, protect } from '../event/privacy';
import type { Log } from '../lib/log';

/** An event as destinations get it (`safe`, identity fields protected) and as opted-in callbacks do (`raw`). */
export interface Pair {
  safe: TrackerEvent;
  raw: TrackerEvent;
}

export interface OrderedProtect {
  /** Protect `e`'s identity fields, then hand it on; events keep their order even when hashing is async. */
  run(e: TrackerEvent, next: (p: Pair) => void): void;
  /** Resolves when every event given so far has been handed on. */
  idle(): Promise<void>;
  /** The same, or none when no event waits (every event given so far has been handed on). */
  busy(): Promise<void> | undefined;
}

/**
 * Hashing is asynchronous (Web Crypto): an event with identity fields, and every event after it
 * until the chain is empty, waits its turn, so that order is kept. Events without identity fields
 * pass synchronously while nothing waits. `code()` (optional): the country calling code of local phone numbers
 * (an SDK fact), read when an event is hashed.
 */
export const createOrderedProtect = (
  policy: () => PiiPolicy,
  sha256: (s: string) => Promise<string | undefined>,
  log: Log,
  code?: () => string | undefined,
): OrderedProtect => {
  let chain: Promise<void> | undefined;
  return {
    run(e, next) {
      if (!chain && !hasPii(e)) return next({ safe: e, raw: e });
      const mine: Promise<void> = (chain = Promise.resolve(chain)
        .then(() => protect(e, policy(), sha256, code?.()))
        .then(next)
        // A failure drops this event only; the chain never stays rejected (that would stop every later event).
        .catch(DEBUG ? (err) => log('dropped "' + eventName(e) + '"', err) : () => 0)
        .then(() => {
          // The last event's turn is over: the chain is empty.
          if (chain === mine) chain = undefined;
        }));
    },
    // (`Promise.resolve` of the chain is the chain itself)
    idle: () => Promise.resolve(chain),
    busy: () => chain,
  };
};
