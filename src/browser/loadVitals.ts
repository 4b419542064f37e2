import type { WebVitalMeasured } from '../schema';
import { whenIdleAfterLoad } from './afterLoad';
import { vitalsSupported } from './vitalsSupported';

/** The window event by which `tracker-vitals.js` reports each metric. */
export const VITAL_EVENT = 'twilight-tracker:vital';

/**
 * Core Web Vitals for the script build, without their code in `tracker.js`: after the page's `load`
 * (when the browser is idle) it loads `tracker-vitals.js` from beside `script` (same directory and
 * query string) or from `url`, once per page, and hands on each metric that file reports. The
 * metrics from before it loads come from the browser's buffered performance entries.
 */
export function loadVitals(script: HTMLScriptElement | null) {
  return (report: (m: WebVitalMeasured) => void, url?: string): void => {
    addEventListener(VITAL_EVENT, (e) => report((e as CustomEvent<WebVitalMeasured>).detail));
    const own = script?.src;
    // (a script without a src, inline or none: none beside it)
    const src = url || (own && own.replace(/[^/?#]*(\?[^#]*)?(#.*)?$/, 'tracker-vitals.js$1'));
    if (!src || !vitalsSupported()) return;
    const inject = () => {
      if (document.querySelector('script[data-twilight-vitals]')) return;
      const s = document.createElement('script');
      s.src = src;
      // (No `async = true`: a script element made by script loads async already, force-async in HTML.)
      s.dataset.twilightVitals = '';
      // A page with a nonce-based CSP gave tracker.js a nonce: the second file needs it too ('' is none).
      s.nonce = script?.nonce || '';
      document.head.append(s);
    };
    whenIdleAfterLoad(inject);
  };
}
