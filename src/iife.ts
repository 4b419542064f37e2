/**
 * Script-tag entry (`dist/tracker.js`): creates the tracker from its own `<script>` tag's data
 * attributes and the calls queued on `window.twilightTracker` before it loaded, replays those calls,
 * and exposes the tracker as `window.twilightTracker` and the factory as `window.TwilightTracker`.
 */
import { startTracker } from './createTracker';
import { VERSION } from './version';
import { warn } from './lib/log';
import { installGlobal } from './browser/installGlobal';
import { loadVitals } from './browser/loadVitals';
import type { TrackerOptions } from './types';

try {
  const w = window as Window & { twilightTracker?: unknown; TwilightTracker?: unknown };
  const script = document.currentScript as HTMLScriptElement | null;
  const vitals = loadVitals(script);
  // Two globals only: the factory namespace (kept from a first load) and the tracker.
  w.TwilightTracker = w.TwilightTracker || {
    createTracker: (options?: TrackerOptions) => startTracker(options, vitals),
    version: VERSION,
  };
  // The tag's options: its `data-*` attributes as they are (`data-write-key` is `dataset.writeKey`).
  installGlobal(w, script?.dataset, (options, defaults) => startTracker(options, vitals, defaults));
} catch (e) {
  warn('E1', String(e));
}
