import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import { hasPii, normalizeIdentity, protect, redactPage } from '../src/event/privacy';
import type { TrackerEvent } from '../src/schema';
import fixture from './fixtures/sdk-hooks.json';
import { fakeEnv } from './helpers/fakeEnv';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const CLEAR = {
  email: ' Sara@Example.com ',
  phone: '+966 50 123 4567',
  mobile: '00966501234567',
  first_name: 'Sara',
  last_name: ' Ali',
};
const HASHED = {
  email_sha256: sha('sara@example.com'),
  phone_sha256: sha('+966501234567'),
  mobile_sha256: sha('+966501234567'),
  first_name_sha256: sha('sara'),
  last_name_sha256: sha('ali'),
};
/** Clear identity of the demo's customer, as it appears in the SDK's payloads. */
const LEAKS = [
  /sara@example\.com/i,
  /501234567/,
  /\bSarah?\b/i,
  /\bAli\b/i,
  /noura@example\.com/i,
  /555000111/,
  /\bNoura\b/i,
  /\bSaleh\b/i,
];

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
});
afterEach(() => vi.useRealTimers());

const names = (events: Array<Record<string, unknown>>) =>
  events.map((e) => (e.type === 'page' ? 'page' : e.event));

describe('identity fields (pii policy)', () => {
  it('hashes email, phone, mobile and names by default, for the endpoint and for callbacks', async () => {
    const t = fakeEnv();
    const tracker = createCore({ endpoint: '/collect', autoPage: false, webVitals: false }, t.env);
    const got: TrackerEvent[] = [];
    tracker.register((events) => void got.push(...events));
    tracker.track('Lead Captured', { ...CLEAR, plan: 'gold' });
    await tracker.flush();
    expect(t.events()).toHaveLength(1);
    expect(t.events()[0]?.properties).toEqual({ plan: 'gold', ...HASHED });
    expect(got.map((e) => e.properties)).toEqual([{ plan: 'gold', ...HASHED }]);
    const wire = JSON.stringify(t.sent);
    for (const re of LEAKS) expect(wire).not.toMatch(re);
  });

  it('drops the fields with pii "drop" and sends them with pii "keep"', async () => {
    for (const pii of ['drop', 'keep'] as const) {
      const t = fakeEnv();
      const tracker = createCore({ endpoint: '/collect', autoPage: false, webVitals: false, pii }, t.env);
      tracker.track('Lead Captured', { ...CLEAR, plan: 'gold' });
      await tracker.flush();
      expect(t.events()[0]?.properties).toEqual(
        pii === 'drop' ? { plan: 'gold' } : { ...CLEAR, plan: 'gold' },
      );
    }
  });

  it('gives clear fields only to a callback registered with {pii: "keep"}', async () => {
    const t = fakeEnv();
    const tracker = createCore({ autoPage: false, webVitals: false }, t.env);
    const kept: TrackerEvent[] = [];
    const hashed: TrackerEvent[] = [];
    tracker.register((events) => void kept.push(...events), { pii: 'keep' });
    tracker.register((events) => void hashed.push(...events));
    tracker.track('Lead Captured', { email: 'sara@example.com' });
    await tracker.flush();
    expect(kept.map((e) => e.properties)).toEqual([{ email: 'sara@example.com' }]);
    expect(hashed.map((e) => e.properties)).toEqual([{ email_sha256: HASHED.email_sha256 }]);
    // The late registration replays history with the same policy.
    const late: TrackerEvent[] = [];
    tracker.register((events) => void late.push(...events));
    await tracker.flush();
    expect(late.map((e) => e.properties)).toEqual([{ email_sha256: HASHED.email_sha256 }]);
  });

  it('keeps the order of events around a hashed one, even when hashing is slow', async () => {
    const t = fakeEnv();
    // Hashing takes 50 ms (a timer): events emitted meanwhile must wait their turn.
    t.env.sha256 = (s) => new Promise((r) => setTimeout(() => r(sha(s)), 50));
    const tracker = createCore({ endpoint: '/collect', autoPage: false, webVitals: false }, t.env);
    const got: TrackerEvent[] = [];
    tracker.register((events) => void got.push(...events));
    tracker.track('A');
    tracker.track('Lead Captured', { email: 'a@b.co' });
    tracker.track('B');
    tracker.track('Lead Captured', { phone: '+1 555 0100' });
    tracker.page();
    tracker.track('C');
    await vi.advanceTimersByTimeAsync(3000);
    await tracker.flush();
    const order = ['A', 'Lead Captured', 'B', 'Lead Captured', 'page', 'C'];
    expect(names(t.events())).toEqual(order);
    expect(names(got as unknown as Array<Record<string, unknown>>)).toEqual(order);
    expect(t.events()[3]?.properties).toEqual({ phone_sha256: sha('+15550100') });
  });

  it('drops a field rather than sending it in clear when hashing is unavailable', async () => {
    const t = fakeEnv();
    t.env.sha256 = async () => undefined;
    const tracker = createCore({ endpoint: '/collect', autoPage: false, webVitals: false }, t.env);
    tracker.track('Lead Captured', { email: 'sara@example.com', plan: 'x' });
    await tracker.flush();
    expect(t.events()[0]?.properties).toEqual({ plan: 'x' });
  });

  it('a hashing failure drops that event only: later events still flow', async () => {
    const t = fakeEnv();
    t.env.sha256 = () => Promise.reject(new Error('broken crypto'));
    const tracker = createCore({ endpoint: '/collect', autoPage: false, webVitals: false }, t.env);
    tracker.track('Lead Captured', { email: 'sara@example.com' });
    tracker.track('After');
    await tracker.flush();
    tracker.track('Later');
    await tracker.flush();
    expect(names(t.events())).toEqual(['After', 'Later']);
  });

  it('never sends the demo customer in clear when the real SDK hooks of a whole visit are replayed', async () => {
    const s = fakeSdk(storeConfig());
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore({ endpoint: '/collect', webVitals: false }, t.env);
    const got: TrackerEvent[] = [];
    tracker.register((events) => void got.push(...events));
    s.init();
    for (const h of fixture as Array<{ name: string; args: unknown[] }>) {
      // Sign-in state as the SDK's config shows it: the customer of the profile fetched, a guest after sign-out.
      const profile = (h.args[0] as { data?: Record<string, unknown> } | undefined)?.data;
      if (h.name === 'profile::info.fetched' && profile) s.config.user = { ...profile, type: 'user' };
      if (h.name === 'auth::logged.out') s.config.user = { type: 'guest' };
      s.emit(h.name, ...h.args);
      await vi.advanceTimersByTimeAsync(10);
    }
    await tracker.flush();
    const wire = JSON.stringify(t.sent) + JSON.stringify(got);
    for (const re of LEAKS) expect(wire).not.toMatch(re);
    expect(wire).not.toMatch(/eyJhbGciOi/); // the sign-in token either
    // The visit: Sara signs in, Noura signs up (and is signed in: one event), Sara signs in again.
    const accounts = t.events().filter((e) => /^Signed (In|Up)$/.test(e.event as string));
    const sara = {
      email_sha256: sha('sara@example.com'),
      phone_sha256: sha('+966501234567'),
      first_name_sha256: sha('sara'),
      last_name_sha256: sha('ali'),
    };
    const noura = {
      email_sha256: sha('noura@example.com'),
      phone_sha256: sha('+966555000111'),
      first_name_sha256: sha('noura'),
      last_name_sha256: sha('saleh'),
    };
    expect(accounts.map((e) => [e.event, e.properties])).toEqual([
      ['Signed In', { type: 'user', method: 'mobile', ...sara }],
      ['Signed Up', { type: 'user', ...noura }],
      ['Signed In', { type: 'user', method: 'mobile', ...sara }],
    ]);
  });

  it('masks email addresses in page URLs and referrers', async () => {
    const t = fakeEnv();
    t.env.page = () => ({
      url: 'http://127.0.0.1:4400/?utm_source=mail&email=sara%40example.com',
      path: '/',
      search: '?utm_source=mail&email=sara%40example.com',
      referrer: 'http://mail.example/read?to=sara.ali+shop@example.com&x=1',
    });
    const tracker = createCore({ endpoint: '/collect', autoPage: false, webVitals: false }, t.env);
    tracker.page();
    await tracker.flush();
    const e = t.events()[0] as {
      properties: Record<string, unknown>;
      context: { page: Record<string, unknown> };
    };
    expect(e.properties).toMatchObject({
      url: 'http://127.0.0.1:4400/?utm_source=mail&email=[email]',
      search: '?utm_source=mail&email=[email]',
      referrer: 'http://mail.example/read?to=[email]&x=1',
    });
    expect(JSON.stringify(e)).not.toMatch(/sara/);
  });

  it('cuts the page url, search and referrer to 2,000 characters (after masking), so a long query string keeps events under 32 KB', async () => {
    // An ad or filter link with a long query string: it is in the url and the search of every
    // event's context (and of a page event's properties), and in the next page's referrer.
    const q = '?fbclid=' + 'A'.repeat(1990) + '&to=sara%40example.com&f=' + 'x'.repeat(12000);
    const t = fakeEnv();
    t.env.page = () => ({
      url: 'http://127.0.0.1:4400/c/5' + q,
      path: '/c/5',
      search: q,
      referrer: 'http://127.0.0.1:4400/c/4' + q,
    });
    const tracker = createCore({ endpoint: '/collect', autoPage: false, webVitals: false }, t.env);
    tracker.page();
    tracker.track('Lead Captured', {});
    await tracker.flush();
    const masked = q.replace('sara%40example.com', '[email]');
    const page = {
      url: ('http://127.0.0.1:4400/c/5' + masked).slice(0, 2000),
      path: '/c/5',
      search: masked.slice(0, 2000),
      referrer: ('http://127.0.0.1:4400/c/4' + masked).slice(0, 2000),
    };
    const events = t.events() as Array<{ properties: object; context: { page: object } }>;
    expect(events.map((e) => e.context.page)).toEqual([page, page]);
    expect(events[0]!.properties).toEqual(page);
    expect(events.map((e) => Buffer.byteLength(JSON.stringify(e)) < 32768)).toEqual([true, true]);
    expect(JSON.stringify(events)).not.toMatch(/sara|example\.com/);
  });

  it('leaves identity fields given to page() out of context.page, hashed ones and wishlist_id too', async () => {
    for (const consent of ['pending', 'denied', 'granted'] as const) {
      const t = fakeEnv();
      const tracker = createCore({ endpoint: '/collect', consent, autoPage: false, webVitals: false }, t.env);
      tracker.page({ ...CLEAR, ...HASHED, wishlist_id: '1001_55', plan: 'gold' });
      tracker.track('Lead Captured', {});
      await tracker.flush();
      for (const e of t.events() as Array<{ context: { page: Record<string, unknown> } }>)
        expect(Object.keys(e.context.page).filter((k) => /email|phone|mobile|name|wishlist/.test(k))).toEqual(
          [],
        );
      expect(t.events()[1]?.context).toMatchObject({ page: { plan: 'gold' } });
    }
  });
});

describe('protect helpers', () => {
  it('normalizes identity values before hashing', () => {
    expect(normalizeIdentity('email', '  Sara@Example.COM ')).toBe('sara@example.com');
    expect(normalizeIdentity('phone', '+966 (50) 123-4567')).toBe('+966501234567');
    expect(normalizeIdentity('mobile', '00966501234567')).toBe('+966501234567');
    expect(normalizeIdentity('phone', 'n/a')).toBe('');
    expect(normalizeIdentity('first_name', ' SARA ')).toBe('sara');
  });

  it('sees identity fields at the top level of properties only', () => {
    const e = (properties: object) => ({ type: 'track', event: 'X', properties }) as unknown as TrackerEvent;
    expect(hasPii(e({ email: 'a' }))).toBe(true);
    expect(hasPii(e({ mobile: '1' }))).toBe(true);
    expect(hasPii(e({ name: 'Beans', product_id: '1' }))).toBe(false);
  });

  it('returns the original next to the protected copy, untouched', async () => {
    const e = { type: 'track', event: 'X', properties: { email: 'A@b.co', k: 1 } } as unknown as TrackerEvent;
    const { safe, raw } = await protect(e, 'hash', async (s) => 'h:' + s);
    expect(raw).toBe(e);
    expect(raw.properties).toEqual({ email: 'A@b.co', k: 1 });
    expect(safe.properties).toEqual({ k: 1, email_sha256: 'h:a@b.co' });
  });

  it('redacts only url-like page fields', () => {
    expect(redactPage({ url: '/a?e=x@y.io', title: 'x@y.io' })).toEqual({
      url: '/a?e=[email]',
      title: 'x@y.io',
    });
  });
});
