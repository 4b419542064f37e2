/**
 * Whether web-vitals 5 runs in this browser: it needs ES2022 (`Array.prototype.at`, class fields:
 * Safari 15.4, Chrome 92, Firefox 90); in an older one its observers would throw into the page at each
 * metric (README, Browser support).
 */
export const vitalsSupported = (): boolean => !!([] as { at?: unknown }).at;
