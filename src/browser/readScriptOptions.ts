/**
 * The options of a script tag: its `data-*` attributes as they are (`data-write-key` is
 * `dataset.writeKey`); the tracker validates them like any other options.
 */
export const readScriptOptions = (script: HTMLScriptElement | null): DOMStringMap | undefined =>
  script?.dataset;
