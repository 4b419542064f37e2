/**
 * The production script tag with DEFAULT options, as a theme would drop it in: /lab/tracker is a
 * page with `<script src="/assets/tracker.js">` and no attribute at all (no data-debug, no flush
 * interval, no batch size) and no SDK. The only configuration is the documented queue channel,
 * `['init', { endpoint, writeKey }]` pushed onto `window.twilightTracker` before the script loads;
 * the page creates nothing in code. Events go out with the default batching (a batch 2 s after
 * the first queued event, or at once at 20), and the production file writes NOTHING to the
 * console, while tracker.debug.js (`?debug=1`) with `debug: true` does.
 */
import type { Page } from '@playwright/test';
import { test, expect, guardContext, label, type Collector } from './fixtures';

type Win = Window & {
  twilightTracker: {
    track(n: string, p?: object): void;
    stats(): { queued: number };
  };
};

/** Runs before any page script: configure the tracker the documented way, before it loads. */
function queueInit(options: Record<string, unknown>) {
  const w = window as unknown as { twilightTracker?: unknown[] };
  w.twilightTracker = w.twilightTracker || [];
  w.twilightTracker.push(['init', options]);
}

/**
 * Every console message of the page (any type) that comes from a tracker file or names the tracker,
 * with where it came from. (The browser's own reports, such as the lab page's missing favicon, are
 * not the tracker's.)
 */
function recordConsole(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (m) => {
    const line = `${m.type()} ${m.location().url}: ${m.text()}`;
    if (/\/assets\/tracker|twilight-tracker/i.test(line)) lines.push(line);
  });
  return lines;
}

/** Open /lab/tracker (`debug`: the tracker.debug.js build) with `options` queued as `init`. */
async function openLab(page: Page, options: Record<string, unknown>, debug = false) {
  await page.addInitScript(queueInit, options);
  await page.goto(debug ? '/lab/tracker?debug=1' : '/lab/tracker');
  await page.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.track === 'function');
}

/** The collector's request log for `key`, POSTs only. */
const posts = async (collector: Collector, key: string) =>
  (await collector.requests(key)).filter((r) => r.method === 'POST');

test('the production tag with no attributes: the default batching (2 s, 20), and nothing on the console', async ({
  page,
  collector,
  server,
  wk,
}) => {
  test.setTimeout(90_000);
  const key = wk();
  const consoleLines = recordConsole(page);
  await openLab(page, { endpoint: `${server.collectorOrigin}/collect`, writeKey: key });
  // The premise: the production file, from a tag without any attribute, and no SDK on the page.
  expect(
    await page.evaluate(() =>
      Array.from(document.querySelectorAll('script:not([data-twilight-vitals])'), (s) => [
        s.getAttribute('src'),
        s.getAttributeNames().join(','),
      ]),
    ),
  ).toEqual([['/assets/tracker.js', 'src']]);
  expect(await page.evaluate(() => 'Salla' in window || 'salla' in window)).toBe(false);

  // With the default web vitals on, FCP and TTFB come first, by themselves (a batch of their own).
  await expect
    .poll(
      async () =>
        (await collector.events(key)).events
          .filter((l) => label(l.event) === 'Web Vital Measured')
          .map((l) => (l.event.properties as { metric: string }).metric)
          .sort(),
      { timeout: 15_000 },
    )
    .toEqual(['FCP', 'TTFB']);
  await page.waitForFunction(() => (window as unknown as Win).twilightTracker.stats().queued === 0);
  const before = (await posts(collector, key)).length;

  // Two events half a second apart: one batch, sent 2 s after the first was queued.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const t = (window as unknown as Win).twilightTracker;
        t.track('Default Batching', { i: 0 });
        setTimeout(() => {
          t.track('Default Batching', { i: 1 });
          resolve();
        }, 500);
      }),
  );
  await expect.poll(async () => (await posts(collector, key)).length, { timeout: 10_000 }).toBe(before + 1);
  const batch = (await posts(collector, key))[before]!;
  expect(batch.count).toBe(2);
  const sent = (await collector.events(key)).events.filter((l) => label(l.event) === 'Default Batching');
  expect(sent.map((l) => (l.event.properties as { i: number }).i)).toEqual([0, 1]);
  // The batch's sentAt and the events' timestamps are the page's clock: 2 s after the first (timers may be late, never early).
  const wait = Date.parse(batch.sentAt as string) - Date.parse(sent[0]!.event.timestamp);
  expect(wait).toBeGreaterThanOrEqual(1990);
  expect(wait).toBeLessThan(4000);

  // 20 events at once: the default batch size sends them at once, in one request.
  await page.evaluate(() => {
    for (let i = 0; i < 20; i++)
      (window as unknown as Win).twilightTracker.track('Default Batch Size', { i });
  });
  await expect.poll(async () => (await posts(collector, key)).length, { timeout: 10_000 }).toBe(before + 2);
  const full = (await posts(collector, key))[before + 1]!;
  expect(full.count).toBe(20);
  const first = (await collector.events(key)).events.find((l) => label(l.event) === 'Default Batch Size')!;
  expect(Date.parse(full.sentAt as string) - Date.parse(first.event.timestamp)).toBeLessThan(1000);

  const report = await collector.events(key);
  expect(report.invalid).toBe(0);
  expect((await posts(collector, key)).every((r) => r.status === 200 && r.listener === 'collector')).toBe(
    true,
  );
  // The production build wrote nothing at all to the console.
  await page.goto('/lab/plain'); // pagehide too
  expect(consoleLines).toEqual([]);
});

test('tracker.debug.js with debug: true logs its lines; tracker.js with debug: true logs nothing', async ({
  page,
  browser,
  collector,
  server,
  guard,
  wk,
}) => {
  const endpoint = `${server.collectorOrigin}/collect`;

  // The debug build, asked for debug lines.
  const debugKey = wk();
  const debugLines = recordConsole(page);
  await openLab(page, { endpoint, writeKey: debugKey, debug: true }, true);
  expect(
    await page.evaluate(() =>
      Array.from(document.querySelectorAll('script:not([data-twilight-vitals])'), (s) =>
        s.getAttribute('src'),
      ),
    ),
  ).toEqual(['/assets/tracker.debug.js']);
  await page.evaluate(() => (window as unknown as Win).twilightTracker.track('Debug Probe', { n: 1 }));
  await collector.waitForCount(debugKey, 1);
  // Its lines, prefixed, from the debug file: among them the delivery report of that batch.
  const own = () => debugLines.filter((l) => /twilight-tracker: /.test(l));
  await expect
    .poll(() => own().some((l) => /twilight-tracker: delivered \d+ → endpoint/.test(l)), { timeout: 10_000 })
    .toBe(true);
  expect(own().filter((l) => !l.includes('/assets/tracker.debug.js'))).toEqual([]);

  // The production build, asked for the same: its debug text is not even in the file.
  const prodKey = wk();
  const ctx = await browser.newContext();
  await guardContext(ctx, guard);
  const prod = await ctx.newPage();
  const prodLines = recordConsole(prod);
  await openLab(prod, { endpoint, writeKey: prodKey, debug: true });
  await prod.evaluate(() => (window as unknown as Win).twilightTracker.track('Debug Probe', { n: 1 }));
  await collector.waitForCount(prodKey, 1);
  await prod.evaluate(() =>
    (window as unknown as { twilightTracker: { flush(): Promise<void> } }).twilightTracker.flush(),
  );
  await prod.goto('/lab/plain');
  expect(prodLines).toEqual([]);
  await ctx.close();
});
