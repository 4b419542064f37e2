import { createCore } from './core/createCore';
import type { Env } from './core/env';
import { warn } from './lib/log';
import { get } from './lib/read';
import { createBrowserEnv } from './browser/createBrowserEnv';
import type { Tracker, TrackerOptions } from './types';

/**
 * Create a tracker: it attaches to the Twilight SDK (given, or found on `window.Salla` /
 * `window.salla`, also when the SDK loads later), normalizes its hooks into typed events and
 * delivers them in batches to the endpoint and to registered destinations.
 *
 * Never throws: bad options give a console warning and their defaults.
 *
 * @example
 * const tracker = createTracker({ endpoint: '/collect', writeKey: 'wk_123' });
 * tracker.register((events) => console.log(events));
 */
export function createTracker(options?: TrackerOptions): Tracker {
  return startTracker(options);
}

/**
 * A tracker on the page: `options` over the `defaults` layer (the script build's baked-in and
 * queued defaults); `vitals` is the script build's web-vitals loader. Never throws.
 */
export const startTracker = (options?: unknown, vitals?: Env['vitals'], defaults?: unknown): Tracker => {
  try {
    return createCore(
      options,
      createBrowserEnv(get(options, 'sdk') as TrackerOptions['sdk'], vitals),
      defaults,
    );
  } catch (e) {
    warn('E1', String(e));
    // A tracker that does nothing: every method is safe to call.
    type Noop = () => Noop;
    const noop: Noop = () => noop;
    return {
      version: '',
      register: noop,
      track: noop,
      page: noop,
      flush: async () => undefined,
      consent: noop,
      on: noop,
      stats: () => ({ delivered: 0, dropped: 0, retried: 0, evicted: 0, queued: 0 }),
      destroy: noop,
    };
  }
};
