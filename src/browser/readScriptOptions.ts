/**
 * The options of a script tag: its `data-*` attributes as they are (`data-write-key` is
 * `dataset.writeKey`); the tracker validates them like any other options.
 * (iife.ts reads `script?.dataset` itself: as a call it cost 3 B of tracker.js, gzip.)
 */
export const readScriptOptions = (script: HTMLScriptElement | null): DOMStringMap | undefined =>
  script?.dataset;
