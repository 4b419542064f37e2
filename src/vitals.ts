/**
 * `twilight-tracker/vitals`: Core Web Vitals for ESM users, in their own entry so that bundlers
 * leave `web-vitals` out when it is not imported.
 *
 * @example
 * import { createTracker } from 'twilight-tracker';
 * import { reportWebVitals } from 'twilight-tracker/vitals';
 * reportWebVitals(createTracker({ endpoint: '/collect' }));
 */
import type { Tracker } from './types';
import { reportVitals } from './browser/vitals';
import { vitalsSupported } from './browser/vitalsSupported';

/** Send LCP, INP, CLS, FCP and TTFB as `Web Vital Measured` events through `tracker`. Never throws. */
export function reportWebVitals(tracker: Pick<Tracker, 'track'>): void {
  if (!vitalsSupported()) return;
  try {
    reportVitals((m) => tracker.track('Web Vital Measured', m));
  } catch {
    /* a browser without what web-vitals needs: no metrics */
  }
}
