// Chromium for the bench: Debian's build, unable to reach any host but 127.0.0.1.
//
// Non-local requests are blocked at the network layer (a dead proxy that 127.0.0.1 bypasses, and a
// host resolver that resolves nothing) instead of with context.route(): request interception would
// add a round trip through Playwright to each of the bench's thousands of requests, and Playwright
// answers CORS preflights itself while it intercepts, so the collector could not count them.
//
// Headless Chromium builds a full browser window for every context, and since ~M13x each window
// loads and keeps re-rendering its WebUI omnibox popup ("WebUI Top Renderer", chrome://omnibox-popup)
// in the background: 0.5–0.8 s of CPU around every page the bench opens, on a 2-core machine a large
// share of what the bench measures. The bench turns those features off. Chromium keeps only the last
// --disable-features switch, so the list Playwright passes is read from a probe launch and extended.
// BENCH_KEEP_BROWSER_UI=1 keeps Chromium's defaults (figures comparable with runs before this).
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, LOCAL_ONLY, isLocalUrl } from '../scripts/chromium.mjs';

/** Chromium's own browser-UI work that only competes with the pages for the cores. */
export const QUIET_FEATURES = [
  'WebUIOmniboxPopup',
  'WebUIOmniboxFullPopup',
  'WebUIOmniboxAimPopup',
  'PreloadTopChromeWebUI',
];

const FLAG = '--disable-features=';

/** The features Playwright disables by default (the last --disable-features of a probe launch). */
async function playwrightDisabledFeatures(options) {
  const server = await chromium.launchServer(options);
  try {
    const argv = fs.readFileSync(`/proc/${server.process().pid}/cmdline`, 'utf8').split('\0');
    const last = argv.filter((a) => a.startsWith(FLAG)).pop();
    return last ? last.slice(FLAG.length).split(',').filter(Boolean) : [];
  } finally {
    await server.close();
  }
}

let launchArgs = null;

export async function launchChromium() {
  const options = { executablePath: CHROMIUM_PATH, ...LOCAL_ONLY };
  if (process.env.BENCH_KEEP_BROWSER_UI) return chromium.launch(options);
  if (!launchArgs) {
    let pw = null;
    try {
      pw = await playwrightDisabledFeatures(options);
    } catch (e) {
      console.warn(
        `bench: could not read Playwright's disabled features (${e}); keeping Chromium's browser UI`,
      );
    }
    launchArgs = pw
      ? [...options.args, FLAG + [...new Set([...pw, ...QUIET_FEATURES])].join(',')]
      : options.args;
  }
  return chromium.launch({ ...options, args: launchArgs });
}

/** A fresh context (fresh storage); every attempt to reach another host is recorded in `blocked`. */
export async function localContext(browser, blocked) {
  const context = await browser.newContext();
  context.on('request', (req) => {
    if (!isLocalUrl(req.url())) blocked.push(req.url());
  });
  return context;
}
