import type { TrackerOptions } from '../types';

/**
 * Options from the script tag's data attributes: `data-endpoint`, `data-write-key`,
 * `data-batch-size`, `data-flush-interval`, `data-debug`, `data-consent`, `data-pii`,
 * `data-denied-mode`, `data-web-vitals`. Values are validated by the tracker like any other options.
 */
export function readScriptOptions(script: HTMLScriptElement | null): TrackerOptions {
  const d = script ? script.dataset : {};
  return {
    endpoint: d.endpoint,
    writeKey: d.writeKey,
    batchSize: d.batchSize,
    flushInterval: d.flushInterval,
    consent: d.consent,
    pii: d.pii,
    deniedMode: d.deniedMode,
    webVitals: d.webVitals,
    debug: d.debug !== undefined && d.debug !== 'false',
  } as unknown as TrackerOptions;
}
