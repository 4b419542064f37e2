/**
 * README (Consent, the session): one session for the store's tabs, a new one after sign-out. A
 * shopper signed in with two tabs open signs out in one: the other tab, still open and never
 * reloaded (its SDK still holds the customer), sends its next events in the new session and without
 * the signed-out customer's id (on a shared computer they would be attributed to them).
 */
import type { Page } from '@playwright/test';
import { expect, label, storefrontReady, test } from './fixtures';

type Win = Window & {
  salla: Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;
  twilightTracker: { track(name: string, p?: object): void; flush(): Promise<void> };
};

const sdk = (page: Page, ns: string, fn: string, a: object) =>
  page.evaluate(([ns, fn, a]) => (window as unknown as Win).salla[ns]![fn]!(a).then(() => null), [
    ns,
    fn,
    a,
  ] as const);
const track = (page: Page, name: string) =>
  page.evaluate((n) => {
    const t = (window as unknown as Win).twilightTracker;
    t.track(n);
    return t.flush();
  }, name);

test('sign-out in one tab: the other open tab sends in the new session, without the customer', async ({
  context,
  collector,
  wk,
}) => {
  const key = wk();
  const url = `/?wk=${key}&wv=0`;
  const a = await context.newPage();
  await a.goto(url);
  await storefrontReady(a);
  const login = { type: 'mobile', phone: '501234567', country_code: 'SA' };
  await sdk(a, 'auth', 'login', login);
  await sdk(a, 'auth', 'verify', { ...login, code: '1234' });
  // A second tab of the store, signed in too.
  const b = await context.newPage();
  await b.goto(url);
  await storefrontReady(b);
  await track(b, 'E2E Before');
  // Sign out in the first tab: the SDK then goes to /logout, which redirects home. (The tab is at
  // home already: waitForURL would be done at once, and the next call in the page could meet the
  // navigation. It failed once so in CI.) The logout's promise is not awaited in the page, whose
  // context the navigation ends.
  await Promise.all([
    a.waitForEvent('framenavigated', (f) => f === a.mainFrame()),
    a.evaluate(() => void (window as unknown as Win).salla.auth!.logout!({})),
  ]);
  await storefrontReady(a);
  await track(a, 'E2E A After');
  await track(b, 'E2E B After');
  const events = (await collector.waitForCount(key, 8)).events.map((l) => l.event);
  const one = (n: string) => events.find((e) => label(e) === n)!;
  const [before, out, afterA, afterB] = ['E2E Before', 'Signed Out', 'E2E A After', 'E2E B After'].map(one);
  expect([before!.userId, out!.userId, afterA!.userId]).toEqual(['501', '501', undefined]);
  expect(before!.context.session_id).toBe(out!.context.session_id);
  expect(afterA!.context.session_id).not.toBe(out!.context.session_id);
  // The other tab: the sign-out's new session, no customer.
  expect({ user: afterB!.userId, session: afterB!.context.session_id }).toEqual({
    user: undefined,
    session: afterA!.context.session_id,
  });
  expect(afterB!.anonymousId).toBe(afterA!.anonymousId);
});
