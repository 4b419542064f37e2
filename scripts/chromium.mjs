// Debian's Chromium for the demo tour, the browser tests and the bench: one path and one set of flags.

/** `PLAYWRIGHT_CHROMIUM_PATH` overrides Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.PLAYWRIGHT_CHROMIUM_PATH || '/usr/bin/chromium';

/** Launch flags: no sandbox (containers), no GPU, and nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
