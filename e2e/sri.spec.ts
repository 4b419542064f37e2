/**
 * Subresource Integrity, as the README promises it: `npm run build` writes each script file's sha384
 * to dist/sri.json, and a page that pins tracker.js with that hash runs it. The same page with a
 * hash one character off does not (the browser refuses the file), so a stale or wrong sri.json fails
 * the first test, and the second shows the pin is really checked.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { test, expect, label } from './fixtures';

const sri = (): Record<string, string> =>
  JSON.parse(readFileSync('dist/sri.json', 'utf8')) as Record<string, string>;
const sha384 = (file: string) => `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;

test('dist/sri.json pins every script file, and a pinned tracker.js runs and delivers', async ({
  page,
  collector,
  server,
  wk,
}) => {
  const hashes = sri();
  for (const file of ['tracker.js', 'tracker.debug.js', 'tracker-vitals.js'])
    expect(hashes[file], file).toBe(sha384(`dist/${file}`));

  const key = wk();
  await page.addInitScript(
    (options) => {
      const w = window as unknown as { twilightTracker?: unknown[] };
      (w.twilightTracker = w.twilightTracker || []).push(['init', options]);
    },
    { endpoint: `${server.collectorOrigin}/collect`, writeKey: key, webVitals: false },
  );
  await page.goto('/lab/tracker?sri=1');
  expect(await page.locator('script[src="/assets/tracker.js"]').getAttribute('integrity')).toBe(
    hashes['tracker.js'],
  );
  await page.evaluate(() =>
    (window as unknown as { twilightTracker: { track(n: string, p: object): void } }).twilightTracker.track(
      'Pinned',
      { ok: true },
    ),
  );
  await page.evaluate(() =>
    (window as unknown as { twilightTracker: { flush(): Promise<void> } }).twilightTracker.flush(),
  );
  await expect
    .poll(async () => (await collector.events(key)).events.map((l) => label(l.event)))
    .toEqual(['Pinned']);
});

test('a wrong pin is refused by the browser: the check is real', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // Serve the same page with the hash's last character changed.
  await page.route('**/lab/tracker?sri=1', async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace(
      /integrity="(sha384-[^"]*?)(.)"/,
      (_, head: string, last: string) => {
        return `integrity="${head}${last === 'A' ? 'B' : 'A'}"`;
      },
    );
    await route.fulfill({ response: res, body: html });
  });
  await page.goto('/lab/tracker?sri=1');
  await page.waitForLoadState('load');
  expect(
    await page.evaluate(() => typeof (window as unknown as { TwilightTracker?: unknown }).TwilightTracker),
  ).toBe('undefined');
  expect(errors.join('\n')).toMatch(/integrity/i);
});
