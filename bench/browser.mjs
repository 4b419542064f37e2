// Chromium for the bench: Debian's build, unable to reach any host but 127.0.0.1.
//
// Non-local requests are blocked at the network layer (a dead proxy that 127.0.0.1 bypasses, and a
// host resolver that resolves nothing) instead of with context.route(): request interception would
// add a round trip through Playwright to each of the bench's thousands of requests, and Playwright
// answers CORS preflights itself while it intercepts, so the collector could not count them.
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, LOCAL_ONLY, isLocalUrl } from '../scripts/chromium.mjs';

export const launchChromium = () =>
  chromium.launch({
    executablePath: CHROMIUM_PATH,
    ...LOCAL_ONLY,
  });

/** A fresh context (fresh storage); every attempt to reach another host is recorded in `blocked`. */
export async function localContext(browser, blocked) {
  const context = await browser.newContext();
  context.on('request', (req) => {
    if (!isLocalUrl(req.url())) blocked.push(req.url());
  });
  return context;
}
