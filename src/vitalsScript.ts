/**
 * Entry of `dist/tracker-vitals.js`, the second file of the script build: `tracker.js` loads it after
 * the page's `load`. It reports each Core Web Vital as a window event that every tracker on the page
 * listens to (no global is added).
 */
import { VITAL_EVENT } from './browser/loadVitals';
import { reportVitals } from './browser/vitals';

try {
  reportVitals((m) => dispatchEvent(new CustomEvent(VITAL_EVENT, { detail: m })));
} catch {
  /* a browser without what web-vitals needs: no metrics */
}
