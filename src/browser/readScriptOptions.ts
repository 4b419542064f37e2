import type { TrackerOptions } from '../types';

/**
 * Options from the script tag's data attributes: `data-endpoint`, `data-write-key`,
 * `data-batch-size`, `data-flush-interval`, `data-debug`, `data-consent`, `data-pii`,
 * `data-web-vitals="false"`. Numbers are validated by the tracker.
 */
export function readScriptOptions(script: HTMLScriptElement | null): TrackerOptions {
  const d = (script && script.dataset) || {};
  const o: Record<string, unknown> = {
    endpoint: d.endpoint,
    writeKey: d.writeKey,
    batchSize: d.batchSize,
    flushInterval: d.flushInterval,
    consent: d.consent,
    pii: d.pii,
    debug: d.debug !== undefined && d.debug !== 'false',
  };
  if (d.webVitals === 'false') o.webVitals = false;
  return o as TrackerOptions;
}
