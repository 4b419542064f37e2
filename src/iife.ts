/**
 * Script-tag entry (`dist/tracker.js`): reads its own `<script>` tag's data attributes, creates the
 * tracker, replays calls queued on `window.twilightTracker` before it loaded, and exposes the
 * tracker as `window.twilightTracker` and the factory as `window.TwilightTracker`.
 */
import { createTracker } from './createTracker';
import { VERSION } from './version';
import { warn } from './lib/log';
import { installGlobal } from './browser/installGlobal';
import { readScriptOptions } from './browser/readScriptOptions';

try {
  const w = window as Window & { twilightTracker?: unknown; TwilightTracker?: unknown };
  // Two globals only: the factory namespace (kept from a first load) and the tracker.
  w.TwilightTracker = w.TwilightTracker || { createTracker, version: VERSION };
  installGlobal(w, createTracker, readScriptOptions(document.currentScript as HTMLScriptElement | null));
} catch (e) {
  warn('could not start: ' + String(e));
}
