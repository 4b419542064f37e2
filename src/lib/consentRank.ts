/**
 * How strong a consent signal is; a weaker one never overrides a stronger one (src/pipeline/consent.ts).
 * Here, below every layer, so the SDK adapter that reads the page's signals can name them too.
 * - `INFERRED`: what the page tells without a choice (a store without a cookie bar: granted; a cookie
 *   bar and no choice: pending; no SDK on the page: granted);
 * - `CONFIGURED`: the merchant's default (an App Snippet's baked-in options, the store's app setting);
 * - `SHOPPER`: the choice the shopper made on an earlier page (the cookie bar's stored `cookies-consent`);
 * - `EXPLICIT`: the `consent` option given in code, `data-consent` or a queued `init`,
 *   `tracker.consent()`, and the cookie bar's hooks on this page.
 */
export const INFERRED = 0;
export const CONFIGURED = 1;
export const SHOPPER = 2;
export const EXPLICIT = 3;
