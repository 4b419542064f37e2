// Defects found in review, each pinned by the scenario that showed it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installGlobal } from '../src/browser/installGlobal';
import { createCore } from '../src/core/createCore';
import { fakeEnv } from './helpers/fakeEnv';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';
import { args } from './normalize/fixture';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
});
afterEach(() => vi.useRealTimers());

const names = (events: Array<Record<string, unknown>>) => events.map((e) => e.event || 'page');

describe('review regressions', () => {
  it('an event reported after pagehide (final CLS/INP) is beaconed at once, not lost', async () => {
    const t = fakeEnv();
    const tracker = createCore({ endpoint: '/collect', webVitals: false, autoPage: false }, t.env);
    tracker.track('Before');
    t.hide(true);
    tracker.track('Web Vital Measured', { metric: 'CLS', value: 0.1, delta: 0.1 });
    t.hide(false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.sent.map((s) => s.via)).toEqual(['beacon', 'beacon']);
    expect(names(t.events())).toEqual(['Before', 'Web Vital Measured']);
  });

  it('consent denied: no customer id in wishlist_id and no identity hashes in properties', async () => {
    const s = fakeSdk(storeConfig({ user: { id: 501, type: 'user', currency_code: 'SAR' } }));
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(
      { endpoint: '/collect', consent: 'denied', webVitals: false, autoPage: false },
      t.env,
    );
    s.init();
    s.emit('wishlist::added', ...args('wishlist::added', 0));
    tracker.track('Signed In', { email: 'sara@example.com', phone: '+966501234567', first_name: 'Sara' });
    await tracker.flush();
    const body = JSON.stringify(t.sent);
    expect(names(t.events())).toEqual(['Product Added to Wishlist', 'Signed In']);
    expect(body).not.toMatch(/wishlist_id|_sha256|sara@example|userId|session_id/);
    // Only the page's own anonymous id, stored nowhere.
    const ids = t.events().map((e) => e.anonymousId as string);
    expect(new Set(ids).size).toBe(1);
    expect(JSON.stringify(t.env.kv.keys().map((k) => t.env.kv.get(k)))).not.toContain(ids[0]);
  });

  it('page({email}) keeps the address out of context.page of that event and later ones', async () => {
    const t = fakeEnv();
    const tracker = createCore({ endpoint: '/collect', webVitals: false, autoPage: false }, t.env);
    tracker.page({ email: 'a@b.com', section: 'promo' });
    tracker.track('After');
    await tracker.flush();
    const [page, after] = t.events();
    expect(JSON.stringify(t.sent)).not.toContain('a@b.com');
    expect((page?.context as { page: Record<string, unknown> }).page.section).toBe('promo');
    expect((after?.context as { page: Record<string, unknown> }).page.email).toBeUndefined();
  });

  it('a reference kept to the pre-load array still reaches the tracker after load', async () => {
    const t = fakeEnv();
    const queue: unknown[] = [];
    const win = { twilightTracker: queue as unknown };
    installGlobal(win, { endpoint: '/collect', webVitals: false, autoPage: false }, (o, defaults) =>
      createCore(o, t.env, defaults),
    );
    queue.push(['track', 'Clicked Later']);
    await (win.twilightTracker as { flush(): Promise<void> }).flush();
    expect(names(t.events())).toEqual(['Clicked Later']);
  });

  it('track() with a very long name returns at once, the name cut to 128 bytes (was a loop of one slice per character)', async () => {
    const t = fakeEnv();
    const tracker = createCore({ endpoint: '/collect', webVitals: false, autoPage: false }, t.env);
    // 100,000 characters: cut one character at a time and re-measured each time, this took seconds.
    tracker.track('é'.repeat(50000) + 'x'.repeat(50000), { id: 1 });
    tracker.track('Äx'.repeat(30000));
    await tracker.flush();
    expect(names(t.events())).toEqual(['é'.repeat(64), 'Äx'.repeat(42) + 'Ä']);
  }, 5000);
  it("a customer's profile fetched while the SDK's config still shows a guest keeps their id (the SDK syncs a profile without a phone to its config not at all)", async () => {
    const s = fakeSdk(storeConfig({ user: { type: 'guest' } }));
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(
      { endpoint: '/collect', consent: 'granted', webVitals: false, autoPage: false },
      t.env,
    );
    s.init();
    // Twilight's `syncUserData` returns early for a profile without `phone`: config `user` stays a guest.
    s.emit('profile::info.fetched', { data: { id: 42, first_name: 'Sara', email: 'sara@example.com' } });
    s.emit('scope::changed', { data: { id: 1, name: 'KSA' } });
    s.emit('auth::logged.out');
    s.emit('scope::changed', { data: { id: 2, name: 'UAE' } });
    await tracker.flush();
    expect(t.events().map((e) => [e.event, e.userId])).toEqual([
      ['Market Selected', '42'],
      ['Signed Out', '42'],
      ['Market Selected', undefined],
    ]);
  });

  it('a profile update whose response carries no id keeps the customer id learned from the profile (the config still shows a guest)', async () => {
    const s = fakeSdk(storeConfig({ user: { type: 'guest' } }));
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(
      { endpoint: '/collect', consent: 'granted', webVitals: false, autoPage: false },
      t.env,
    );
    s.init();
    s.emit('profile::info.fetched', { data: { id: 42, first_name: 'Sara', last_name: 'Ali' } });
    s.emit('profile::updated', { data: { first_name: 'Sarah' } });
    s.emit('profile::updated', { data: { last_name: 'Omar' } });
    s.emit('scope::changed', { data: { id: 1, name: 'KSA' } });
    await tracker.flush();
    expect(
      t
        .events()
        .map((e) => [e.event, e.userId, (e.properties as { updated_fields?: unknown }).updated_fields]),
    ).toEqual([
      ['User Profile Updated', '42', ['first_name']],
      ['User Profile Updated', '42', ['last_name']],
      ['Market Selected', '42', undefined],
    ]);
  });
});
