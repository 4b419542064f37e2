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

/**
 * Launch options that keep Chromium on 127.0.0.1 at the network layer: a host resolver that resolves
 * nothing and a dead proxy that only 127.0.0.1 bypasses. Used instead of Playwright's request
 * interception (`context.route`), which cancels a page's in-flight keepalive requests when it
 * navigates away and answers CORS preflights itself; both would falsify what the tests measure.
 */
export const LOCAL_ONLY = {
  args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  proxy: { server: 'http://127.0.0.1:9', bypass: '127.0.0.1' },
};

/** Is this request URL local (127.0.0.1, or not a network URL at all)? */
export const isLocalUrl = (u) => {
  const url = typeof u === 'string' ? new URL(u) : u;
  return !/^(https?|wss?):$/.test(url.protocol) || url.hostname === '127.0.0.1';
};
