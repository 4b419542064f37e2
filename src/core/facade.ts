import type { ConsentState } from '../schema';
import type { Destination as Callback, RegisterOptions, Tracker } from '../types';
import { VERSION } from '../version';
import { get } from '../lib/read';
import type { Pipeline } from '../pipeline/createPipeline';
import { createCallbackDestination, type CallbackDeps } from '../delivery/callback';
import type { Router } from '../delivery/router';

/** The units behind the facade, and what a registered callback's destination needs. */
export interface FacadeDeps extends CallbackDeps {
  pipeline: Pipeline;
  router: Router;
  consent(next: ConsentState): void;
  /** Whether destroy() was called (then every method does nothing). */
  stopped(): boolean | undefined;
  destroy(): void;
}

/**
 * The public `Tracker`: every method is safe to call with anything, at any time; none throws into
 * the page (an error is a debug line) or returns a rejecting promise, and none acts after destroy().
 */
export function createFacade(d: FacadeDeps): Tracker {
  const { pipeline, log } = d;
  const noop = () => undefined;
  const safe =
    <A extends unknown[]>(fn: (...a: A) => unknown, what: string) =>
    (...a: A): void => {
      try {
        if (!d.stopped()) fn(...a);
      } catch (e) {
        if (DEBUG) log(what + ' failed', e);
      }
    };
  return {
    version: VERSION,
    register(destination: Callback, opts?: RegisterOptions) {
      try {
        const dest = !d.stopped() && createCallbackDestination(destination, opts, d);
        // The events tracked before it are in its replay (the history), or, with replay: false, not for it
        // (its own `replay`, as `pii` and `name`: not a page's Object.prototype.replay).
        pipeline.drain();
        if (dest) {
          const off = d.router.add(dest, get(opts, 'replay') as boolean | undefined);
          // (The events tracked before the unregister, hashed too, are its own: delivered or reported dropped.)
          return () => off(pipeline.busy());
        }
      } catch (e) {
        if (DEBUG) log('register failed', e);
      }
      return noop;
    },
    track: safe(pipeline.track, 'track'),
    page: safe(pipeline.page, 'page'),
    flush: () => pipeline.idle().then(d.router.flush).then(noop, noop),
    consent: safe(d.consent, 'consent'),
    on: d.reports.on,
    stats: () => (pipeline.drain(), { ...d.reports.counts(), queued: d.router.queued() }),
    destroy: d.destroy,
  };
}
