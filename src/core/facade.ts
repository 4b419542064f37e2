import type { ConsentState } from '../schema';
import type { Destination as Callback, RegisterOptions, Tracker } from '../types';
import { VERSION } from '../version';
import type { Log } from '../lib/log';
import type { Pipeline } from '../pipeline/createPipeline';
import type { Reports } from '../delivery/reports';
import type { Destination, Router } from '../delivery/router';

export interface FacadeDeps {
  pipeline: Pipeline;
  router: Router;
  reports: Reports;
  /** A destination for a registered callback or Salla-style tracker; undefined when it is not one. */
  destination(d: Callback, opts?: RegisterOptions): Destination | undefined;
  consent(next: ConsentState): void;
  /** Whether destroy() was called (then every method does nothing). */
  stopped(): boolean;
  destroy(): void;
  log: Log;
}

/**
 * The public `Tracker`: every method is safe to call with anything, at any time; none throws into
 * the page (an error is a debug line) or returns a rejecting promise, and none acts after destroy().
 */
export function createFacade(d: FacadeDeps): Tracker {
  const { pipeline, router, reports, log } = d;
  const noop = () => undefined;
  const safe =
    <A extends unknown[]>(what: string, fn: (...a: A) => unknown) =>
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
        const dest = d.stopped() ? undefined : d.destination(destination, opts);
        if (dest) return router.add(dest, !opts || opts.replay !== false);
      } catch (e) {
        if (DEBUG) log('register failed', e);
      }
      return noop;
    },
    track: safe('track', pipeline.track),
    page: safe('page', pipeline.page),
    flush: () => pipeline.idle().then(router.flush).then(noop, noop),
    consent: safe('consent', d.consent),
    on: reports.on,
    stats: () => ({ ...reports.counts(), queued: router.queued() }),
    destroy: d.destroy,
  };
}
