// Engine contract (issues 12 and 13): configured as the README recipe says (ENGINE_SETTINGS), the
// tracker sends RudderStack, Segment and Jitsu only what each of them accepts. The tracker's transport
// hands every POST and every beacon body to that engine's own acceptance rules (test/engines/*.mjs),
// as a browser sends it (POST, the endpoint's path and query, `Content-Type: text/plain;charset=UTF-8`,
// and `Sec-Fetch-Mode: no-cors` for a beacon), and answers the tracker with the engine's status.
//
// Every scenario checks the same thing from both ends: the messageIds the engine KEPT are exactly the
// ones the tracker reported `delivered`, which are exactly the ones it put on the wire (each once), and
// nothing was dropped or retried. Then, per consent state, what identifies the shopper in what was kept.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import type { Flight } from '../src/delivery/queue';
import type { DeliveryReport, TrackerEvent } from '../src/index';
import { utf8Length } from '../src/lib/json';
import type { GatewayRequest, GatewayResult } from './engines/common.mjs';
import { accept as jitsu } from './engines/jitsu.mjs';
import { accept as rudderstack } from './engines/rudderstack.mjs';
import { accept as segment, MAX_MESSAGE_BYTES } from './engines/segment.mjs';
import { fakeEnv } from './helpers/fakeEnv';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';
import { args } from './normalize/fixture';

type Engine = 'rudderstack' | 'segment' | 'jitsu';
const ENGINES: Engine[] = ['rudderstack', 'segment', 'jitsu'];

/**
 * The tracker's settings for each engine, as the README recipe gives them (`<…>`: the merchant's own
 * value). The only settings a merchant sets to point the tracker at an engine.
 *
 * - RudderStack: the data plane's BEACON route, with the source's write key in the query. rudder-server
 *   reads the key there and only there on that route (gateway/handle_http_beacon.go), and on its
 *   `/v1/batch` route only from Basic auth, which a browser's `text/plain` POST or beacon cannot send
 *   without a preflight (fetch) or at all (sendBeacon). So no `writeKey` option: the body's is ignored.
 * - Segment: the HTTP Tracking API's batch call, the source's write key in the body (`writeKey` option).
 * - Jitsu: the ingest's batch route on the merchant's Jitsu host, the stream's browser write key in the
 *   body (`writeKey` option; ingest reads it last, after headers and `?writekey=`, none of which a
 *   beacon sets).
 */
export const ENGINE_SETTINGS: Record<Engine, { endpoint: string; writeKey?: string }> = {
  rudderstack: { endpoint: 'https://<dataplane>/beacon/v1/batch?writeKey=<writeKey>' },
  segment: { endpoint: 'https://api.segment.io/v1/batch', writeKey: '<writeKey>' },
  jitsu: { endpoint: 'https://<jitsu-host>/v1/batch', writeKey: '<writeKey>' },
};

/** ENGINE_SETTINGS filled in: a merchant's data plane / Jitsu host and write key. */
export function settingsFor(
  engine: Engine,
  writeKey: string,
  hosts: { dataplane: string; 'jitsu-host': string } = {
    dataplane: 'acme-dataplane.rudderstack.com',
    'jitsu-host': 'acme.jitsu.example',
  },
): { endpoint: string; writeKey?: string } {
  const fill = (s: string) =>
    s.replace(/<(dataplane|jitsu-host|writeKey)>/g, (_, k: string) =>
      k === 'writeKey' ? encodeURIComponent(writeKey) : hosts[k as 'dataplane' | 'jitsu-host'],
    );
  const s = ENGINE_SETTINGS[engine];
  return s.writeKey === undefined
    ? { endpoint: fill(s.endpoint) }
    : { endpoint: fill(s.endpoint), writeKey: fill(s.writeKey) };
}

const ACCEPT: Record<Engine, (req: GatewayRequest) => GatewayResult> = { rudderstack, segment, jitsu };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
});
afterEach(() => vi.useRealTimers());

type Ev = TrackerEvent & { context: Record<string, unknown>; event?: string; userId?: string };
type Body = { batch: Ev[]; sentAt: string; writeKey?: string };

/** One request the engine answered. */
interface Exchange {
  via: 'fetch' | 'beacon';
  req: GatewayRequest;
  res: GatewayResult;
  /** The messageIds of the body's events (as the tracker sent them). */
  ids: string[];
}

const WK = 'wk_contract_1';
const GRANTED = { categoryPreferences: { analytics: true } };
const DENIED = { categoryPreferences: { analytics: false } };
/** Identity properties (README "Consent"): never on a pending or denied event. */
const IDENTITY = /^((email|phone|mobile|first_name|last_name)(_sha256)?|wishlist_id)$/;

/**
 * A store page with a signed-in customer (501), the tracker configured for `engine` as the README says,
 * and a transport that is that engine. `cookies`: the store's cookie bar is on, with that choice
 * (`'none'`: not chosen yet, so consent is pending); without it the store has no cookie bar (granted).
 * `tamper` rewrites a body before the engine sees it (to inject what the tracker never sends).
 */
function storefront(
  engine: Engine,
  o: {
    cookies?: 'none' | 'accepted' | 'rejected';
    tamper?: (body: Body) => Body;
  } = {},
) {
  const features = o.cookies ? ['website-cookies'] : [];
  const s = fakeSdk(
    storeConfig({
      store: { id: 1001, name: 'Demo Store', url: 'http://127.0.0.1:4400', features },
      user: {
        id: 501,
        type: 'user',
        first_name: 'Sara',
        last_name: 'Ali',
        email: 'sara@example.com',
        mobile: '+966501234567',
        currency_code: 'SAR',
        language_code: 'ar',
      },
      page: { slug: 'product.single', id: 102, title: 'Coffee|Colombian Supremo Beans' },
    }),
  );
  if (o.cookies === 'accepted' || o.cookies === 'rejected') s.storage['cookies-consent'] = o.cookies;
  const t = fakeEnv({ sdk: s.sdk });
  const exchanges: Exchange[] = [];
  /** The request a browser makes for `body` to `url`, through the engine. */
  const send = (url: string, text: string, via: 'fetch' | 'beacon'): GatewayResult => {
    const u = new URL(url);
    let body = text;
    if (o.tamper) body = JSON.stringify(o.tamper(JSON.parse(text) as Body));
    const headers: Record<string, string> = { host: u.host, 'content-type': 'text/plain;charset=UTF-8' };
    if (via === 'beacon') headers['sec-fetch-mode'] = 'no-cors';
    const req: GatewayRequest = { method: 'POST', path: u.pathname, query: u.searchParams, headers, body };
    const res = ACCEPT[engine](req);
    const ids = (JSON.parse(text) as Body).batch.map((e) => e.messageId);
    exchanges.push({ via, req, res, ids });
    return res;
  };
  t.env.post = async (url: string, body: () => string, flight: Flight<unknown>) => {
    flight.kept = true; // a keepalive fetch
    return { status: send(url, body(), 'fetch').status };
  };
  // sendBeacon: queued by the browser (true), its answer never seen by the page.
  t.env.unload = (url: string, body: string) => (send(url, body, 'beacon'), true);
  const tracker = createCore({ ...settingsFor(engine, WK), webVitals: false }, t.env);
  const reports: Record<'delivered' | 'dropped' | 'retry', DeliveryReport[]> = {
    delivered: [],
    dropped: [],
    retry: [],
  };
  for (const k of ['delivered', 'dropped', 'retry'] as const) tracker.on(k, (r) => void reports[k].push(r));
  return { s, t, tracker, exchanges, reports, kv: t.env.kv };
}
type Store = ReturnType<typeof storefront>;

const idsOf = (reports: DeliveryReport[]) => reports.flatMap((r) => r.events.map((e) => e.messageId));
const sorted = (a: string[]) => a.slice().sort();
const accepted = (x: Exchange[]) => x.flatMap((e) => e.res.accepted.map((a) => a.event as unknown as Ev));
const label = (e: { type?: unknown; event?: unknown; name?: unknown }) =>
  e.type === 'page' ? 'page:' + String(e.name) : String(e.event);

/**
 * Catalog hooks of the recorded journey (test/fixtures/sdk-hooks.json, fired by the real SDK on the
 * demo store): [hook, nth firing, page]. In three parts, as a shopper's pages would fire them.
 */
const BROWSE: Array<[string, number, string]> = [
  ['Product Viewed', 0, '/p/102'],
  ['cart::before.add.item', 0, '/p/102'],
  ['Product Added', 0, '/p/102'],
  ['cart::updated', 0, '/p/102'],
  ['cart::item.added', 0, '/p/102'],
  ['share-element', 0, '/p/102'],
  ['salla::offer.promotion.viewed', 0, '/'],
  ['salla::offer.promotion.clicked', 0, '/'],
  ['salla-products-list::products.fetched', 0, '/'],
];
const CART: Array<[string, number, string]> = [
  ['Cart Viewed', 0, '/cart'],
  ['cart::item.updated', 0, '/cart'],
  ['Product Removed', 0, '/cart'],
  ['cart::item.deleted', 0, '/cart'],
  ['cart::coupon.addition.failed', 0, '/cart'],
  ['cart::coupon.added', 0, '/cart'],
  ['cart::coupon.deleted', 0, '/cart'],
  ['scope::changed', 0, '/cart'],
];
const ACCOUNT: Array<[string, number, string]> = [
  ['auth::logged.in', 0, '/account'],
  ['profile::info.fetched', 0, '/account'],
  ['profile::updated', 0, '/account'],
  ['wishlist::added', 0, '/p/103'],
  ['wishlist::removed', 0, '/p/103'],
  ['product::search.results', 0, '/p/103'],
  ['Products Searched', 0, '/search'],
  ['salla-bought-together::list.viewed', 0, '/p/101'],
  ['salla-bought-together::product.clicked', 0, '/p/101'],
  ['rating::products.rated', 0, '/account'],
  ['Order Completed', 0, '/thank-you'],
];
const fire = (st: Store, hooks: Array<[string, number, string]>) => {
  for (const [name, nth, page] of hooks) st.s.emit(name, ...args(name, nth, page));
};

/** Events a merchant's own code sends: one with an identity field, one with an Arabic name, one nested. */
function custom(st: Store) {
  st.tracker.track('Newsletter Subscribed', { email: 'Sara@Example.com', source: 'footer' });
  st.tracker.track('تم فتح دليل المقاسات', { product_id: '102', تصنيف: 'قهوة' });
  st.tracker.track('Size Guide Opened', { product_id: '102', units: ['cm', 'in'], nested: { a: 1 } });
}

/**
 * The whole visit: ready (page view), browse, a custom page view and the cart, the account, then the
 * page goes (what is queued leaves by beacon). Returns once every answer is in.
 */
async function visit(st: Store) {
  st.s.init();
  fire(st, BROWSE);
  custom(st);
  await vi.advanceTimersByTimeAsync(2000);
  st.tracker.page({ section: 'cart' });
  fire(st, CART);
  await vi.advanceTimersByTimeAsync(2000);
  fire(st, ACCOUNT);
  st.tracker.track('Checkout Help Opened', { step: 'payment' });
  // Straight to pagehide: what is queued goes by beacon.
  st.t.hide(true);
  await vi.advanceTimersByTimeAsync(10_000);
}

/** Catalog events the visit must have produced (the mix is realistic only if they are there). */
const MIX = [
  'page:product.single',
  'Product Viewed',
  'Product Added',
  'Product Shared',
  'Promotion Viewed',
  'Promotion Clicked',
  'Product List Viewed',
  'Cart Viewed',
  'Product Removed',
  'Coupon Denied',
  'Coupon Applied',
  'Coupon Removed',
  'Signed In',
  'User Profile Updated',
  'Product Added to Wishlist',
  'Products Searched',
  'Product Reviewed',
  'Order Completed',
  'Newsletter Subscribed',
  'تم فتح دليل المقاسات',
];

/**
 * The contract: the engine kept every event the tracker put on the wire, each once, and those are
 * exactly the ones the tracker reported delivered; no request was refused, no event dropped or retried.
 */
function expectAllAccepted(engine: Engine, st: Store) {
  const { exchanges, reports } = st;
  const sent = exchanges.flatMap((x) => x.ids);
  const kept = accepted(exchanges).map((e) => e.messageId);
  expect(exchanges.length).toBeGreaterThan(0);
  for (const x of exchanges) {
    expect(x.res.status, `${engine} answered ${x.res.body}`).toBe(200);
    expect(x.res.accepted.length, `${engine} kept all of a batch: ${x.res.body}`).toBe(x.ids.length);
    expect(x.res.writeKey).toBe(WK);
    if (engine === 'segment') expect(x.res.response.rejected).toEqual([]);
    if (engine === 'jitsu')
      expect(x.res.response).toEqual({ ok: true, receivedEvents: x.ids.length, okEvents: x.ids.length });
  }
  expect(new Set(sent).size, 'no messageId sent twice').toBe(sent.length);
  expect(sorted(kept)).toEqual(sorted(sent));
  expect(sorted(kept)).toEqual(sorted(idsOf(reports.delivered)));
  expect(reports.dropped).toEqual([]);
  expect(reports.retry).toEqual([]);
  expect(st.tracker.stats().queued).toBe(0);
  return accepted(exchanges);
}

const identityProps = (e: Ev) =>
  Object.keys(e.properties as Record<string, unknown>).filter((k) => IDENTITY.test(k));

describe.each(ENGINES)('%s: every event the tracker sends is accepted', (engine) => {
  it('the endpoint settings are the README recipe’s, and reach the engine as a browser sends them', async () => {
    const st = storefront(engine);
    st.s.init();
    st.tracker.track('A');
    await st.tracker.flush();
    st.tracker.track('B');
    st.t.hide(true);
    await vi.advanceTimersByTimeAsync(1000);
    const [post, beacon] = st.exchanges;
    expect(st.exchanges.map((x) => x.via)).toEqual(['fetch', 'beacon']);
    const path = { rudderstack: '/beacon/v1/batch', segment: '/v1/batch', jitsu: '/v1/batch' }[engine];
    for (const x of [post, beacon]) {
      expect(x?.req.path).toBe(path);
      expect(x?.req.headers?.['content-type']).toBe('text/plain;charset=UTF-8');
      const body = JSON.parse(x?.req.body as string) as Body;
      // RudderStack: the key only in the query (the body's would be ignored); the others: only in the body.
      expect(body.writeKey).toBe(engine === 'rudderstack' ? undefined : WK);
      expect((x?.req.query as URLSearchParams).get('writeKey')).toBe(engine === 'rudderstack' ? WK : null);
    }
    expect(beacon?.req.headers?.['sec-fetch-mode']).toBe('no-cors');
    expectAllAccepted(engine, st);
  });

  it('consent granted (no cookie bar), a signed-in customer: the stored ids, the session', async () => {
    const st = storefront(engine);
    await visit(st);
    const kept = expectAllAccepted(engine, st);
    expect(kept.length).toBeGreaterThanOrEqual(30);
    for (const l of MIX) expect(kept.map(label)).toContain(l);
    // Some went by fetch, the rest by beacon at pagehide: both accepted.
    expect(new Set(st.exchanges.map((x) => x.via))).toEqual(new Set(['fetch', 'beacon']));
    const aid = st.kv.get('tt:aid');
    for (const e of kept) {
      expect(e.anonymousId).toBe(aid);
      expect(e.userId).toBe('501');
      expect(e.context.session_id).toEqual(expect.any(String));
      expect(e.context.consent).toEqual(GRANTED);
      expect(e.context.consent_state).toBe('granted');
    }
    // Identity fields are hashed, never in clear.
    const clear = /^(email|phone|mobile|first_name|last_name)$/;
    for (const e of kept) expect(Object.keys(e.properties).filter((k) => clear.test(k))).toEqual([]);
    const signedIn = kept.find((e) => e.event === 'Signed In');
    expect(Object.keys(signedIn?.properties || {})).toEqual(expect.arrayContaining(['email_sha256']));
    const subscribed = kept.find((e) => e.event === 'Newsletter Subscribed');
    expect(subscribed?.properties).toEqual({
      source: 'footer',
      email_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it.each([
    ['pending', 'none', undefined],
    ['denied', 'rejected', DENIED],
  ] as const)(
    'consent %s: the page’s own id, nothing that identifies the shopper',
    async (state, cookies, consent) => {
      const st = storefront(engine, { cookies });
      await visit(st);
      const kept = expectAllAccepted(engine, st);
      expect(kept.length).toBeGreaterThanOrEqual(30);
      for (const l of MIX) expect(kept.map(label)).toContain(l);
      expect(new Set(st.exchanges.map((x) => x.via))).toEqual(new Set(['fetch', 'beacon']));
      expect(new Set(kept.map((e) => e.anonymousId)).size).toBe(1);
      for (const e of kept) {
        expect(e.anonymousId).toEqual(expect.any(String));
        expect(e.userId).toBeUndefined();
        expect(e.context.session_id).toBeUndefined();
        expect(e.context.consent).toEqual(consent);
        expect(e.context.consent_state).toBe(state);
        expect(identityProps(e)).toEqual([]);
      }
      expect(st.kv.get('tt:aid')).toBeNull();
    },
  );

  it('granted, then rejected before the flush: the queued events leave anonymous, all accepted', async () => {
    const st = storefront(engine, { cookies: 'accepted' });
    st.s.init();
    fire(st, BROWSE);
    custom(st);
    await vi.advanceTimersByTimeAsync(100); // hashed and queued, not sent (under the batch size and the interval)
    expect(st.exchanges).toEqual([]);
    const queued = st.tracker.stats().queued;
    expect(queued).toBeGreaterThanOrEqual(10);
    st.s.emit('salla-cookies-bar::rejected');
    fire(st, CART);
    await st.tracker.flush();
    const kept = expectAllAccepted(engine, st);
    expect(kept.length).toBeGreaterThan(queued);
    for (const e of kept) {
      expect(e.userId).toBeUndefined();
      expect(e.context.session_id).toBeUndefined();
      expect(e.context.consent).toEqual(DENIED);
      expect(e.context.consent_state).toBe('denied');
      expect(identityProps(e)).toEqual([]);
    }
    expect(new Set(kept.map((e) => e.anonymousId)).size).toBe(1);
  });

  it('pending, then accepted before the flush: one batch of pending and granted events, all accepted', async () => {
    const st = storefront(engine, { cookies: 'none' });
    st.s.init();
    fire(st, BROWSE.slice(0, 5));
    await vi.advanceTimersByTimeAsync(100);
    expect(st.exchanges).toEqual([]);
    const queued = st.tracker.stats().queued;
    expect(queued).toBeGreaterThanOrEqual(3);
    st.s.emit('salla-cookies-bar::accepted');
    fire(st, BROWSE.slice(5));
    custom(st);
    await st.tracker.flush();
    const kept = expectAllAccepted(engine, st);
    // The events queued before the choice left as they were built (pending), the later ones granted.
    const states = kept.map((e) => e.context.consent_state);
    expect(states.filter((x) => x === 'pending')).toHaveLength(queued);
    expect(states.filter((x) => x === 'granted')).toHaveLength(kept.length - queued);
    // The two states share a request.
    expect(
      st.exchanges[0]?.res.accepted.map((a) => (a.event.context as Ev['context']).consent_state),
    ).toEqual(expect.arrayContaining(['pending', 'granted']));
    const aid = st.kv.get('tt:aid');
    for (const e of kept) {
      if (e.context.consent_state === 'pending') {
        expect(e.anonymousId).not.toBe(aid);
        expect(e.userId).toBeUndefined();
        expect(e.context.consent).toBeUndefined();
        expect(identityProps(e)).toEqual([]);
      } else {
        expect(e.anonymousId).toBe(aid);
        expect(e.userId).toBe('501');
        expect(e.context.consent).toEqual(GRANTED);
      }
    }
  });
});

// ------------------------------------------------------------------------------------------------
// A poison event: one event the engine refuses, in a 20-event batch, must cost only itself.

/** Track 20 events in one burst (one count-triggered batch of 20); the `bad`-th is `poison`. */
async function burst(st: Store, bad: number, poison: () => void) {
  st.s.init();
  await vi.advanceTimersByTimeAsync(2000); // the page view goes first, on its own
  st.exchanges.length = 0;
  st.reports.delivered.length = 0;
  for (let i = 0; i < 20; i++) {
    if (i === bad) poison();
    else st.tracker.track('Filter Applied', { i, filter: 'price', value: '10-50' });
  }
  await vi.advanceTimersByTimeAsync(5000);
}

/**
 * `{ pad0: 'x'.repeat(500), …, padA, padB }` making the `name` event's JSON exactly `bytes` long, on a
 * store set up as `make()` sets it up (a probe tracker measures the event without padding first).
 */
async function sizedProps(make: () => Store, name: string, bytes: number) {
  const probe = make();
  const base: Record<string, string> = { padA: '', padB: '' };
  probe.s.init();
  probe.tracker.track(name, base);
  await probe.tracker.flush();
  const ev = probe.exchanges
    .flatMap((x) => (JSON.parse(x.req.body as string) as Body).batch)
    .find((e) => e.event === name);
  const b = utf8Length(JSON.stringify(ev));
  probe.tracker.destroy();
  // Each `"pNN":"<500 x>",` adds 509 bytes; padA and padB take the rest (at most 508, 500 each at most).
  const full = Math.floor((bytes - b) / 509);
  const rest = bytes - b - full * 509;
  const props: Record<string, string> = {};
  for (let i = 0; i < full; i++) props['p' + String(i).padStart(2, '0')] = 'x'.repeat(500);
  props.padA = 'x'.repeat(Math.min(rest, 500));
  props.padB = 'x'.repeat(rest - Math.min(rest, 500));
  return props;
}

describe('a poison event costs only itself', () => {
  it('RudderStack: the tracker never sends an event it refuses, so one is injected: the batch is split until it is alone, 19 accepted, it is dropped with status 400', async () => {
    // rudder-server refuses a WHOLE request (400 "request neither has anonymousId nor userId") when one
    // event has neither id, and one over 4,000 KB (413). The tracker stamps an anonymousId on every event
    // (a uuid: never blank after rudder-go-kit's sanitize) and caps a batch at 30,000 bytes, so neither
    // can happen: the gateway gets an event stripped of its ids in the body instead.
    const st = storefront('rudderstack', {
      tamper: (body) => ({
        ...body,
        batch: body.batch.map((e) => {
          if (e.event !== 'Broken Event') return e;
          const bad = { ...e };
          delete (bad as { anonymousId?: string }).anonymousId;
          delete bad.userId;
          return bad;
        }),
      }),
    });
    await burst(st, 7, () => st.tracker.track('Broken Event', { i: 7 }));
    const first = st.exchanges[0];
    expect(first?.ids).toHaveLength(20);
    expect(first?.res.status).toBe(400);
    expect(first?.res.body).toBe('request neither has anonymousId nor userId\n');
    const kept = accepted(st.exchanges);
    expect(kept).toHaveLength(19);
    expect(kept.map((e) => e.event)).not.toContain('Broken Event');
    expect(st.reports.dropped.map((r) => [r.reason, r.events.map((e) => (e as Ev).event)])).toEqual([
      ['status 400', ['Broken Event']],
    ]);
    expect(sorted(kept.map((e) => e.messageId))).toEqual(sorted(idsOf(st.reports.delivered)));
    // Split in halves: every refused request held the bad event, the last one it alone.
    const refused = st.exchanges.filter((x) => x.res.status === 400);
    expect(refused.map((x) => x.ids.length)).toEqual([20, 10, 5, 3, 2, 1]);
    expect(st.reports.retry).toEqual([]);
    expect(st.tracker.stats().queued).toBe(0);
  });

  it('Segment: an event of 32 KB (32,768 bytes) is over Segment’s bound ("less than 32KB"): the tracker never sends it and reports it dropped; the other 19 are accepted', async () => {
    const make = () => storefront('segment');
    const props = await sizedProps(make, 'Quote Requested', MAX_MESSAGE_BYTES);
    const st = make();
    await burst(st, 9, () => st.tracker.track('Quote Requested', props));
    expect(st.exchanges.every((x) => x.res.status === 200)).toBe(true);
    const kept = accepted(st.exchanges);
    expect(kept).toHaveLength(19);
    expect(kept.map((e) => e.event)).not.toContain('Quote Requested');
    expect(
      st.reports.dropped.map((r) => [r.destination, r.reason, r.events.map((e) => (e as Ev).event)]),
    ).toEqual([['tracker', 'over 32 KB', ['Quote Requested']]]);
    expect(sorted(kept.map((e) => e.messageId))).toEqual(sorted(idsOf(st.reports.delivered)));
    expect(st.reports.retry).toEqual([]);
  });

  it('Segment: the bound either side: 32,767 bytes is sent and accepted; 32,768 is never sent, and reported dropped', async () => {
    const make = () => storefront('segment');
    for (const [bytes, sent] of [
      [MAX_MESSAGE_BYTES - 1, true],
      [MAX_MESSAGE_BYTES, false],
    ] as const) {
      const props = await sizedProps(make, 'Quote Requested', bytes);
      const st = make();
      st.s.init();
      st.tracker.track('Quote Requested', props);
      await st.tracker.flush();
      const kept = accepted(st.exchanges).filter((e) => e.event === 'Quote Requested');
      expect(kept.length, `${bytes} bytes`).toBe(sent ? 1 : 0);
      expect(st.exchanges.every((x) => x.res.status === 200)).toBe(true);
      expect(
        st.reports.dropped.map((r) => [r.destination, r.reason]),
        `${bytes} bytes`,
      ).toEqual(sent ? [] : [['tracker', 'over 32 KB']]);
    }
  });

  it('Jitsu: a track name over 128 bytes (which Jitsu refuses inside a 200) is cut to 128 bytes of whole characters: all 20 kept', async () => {
    // Jitsu ingest (router.go patchEvent) refuses a track event whose name is over 128 BYTES, as an
    // event error inside a 200 answer, which no status handling could isolate: the tracker cuts names.
    const name = 'تم تطبيق قسيمة الخصم الخاصة بعروض شهر رمضان المبارك على سلة المشتريات الحالية';
    expect(utf8Length(name)).toBeGreaterThan(128);
    const st = storefront('jitsu');
    await burst(st, 12, () => st.tracker.track(name, { code: 'RAMADAN' }));
    expect(st.exchanges.map((x) => [x.ids.length, x.res.status])).toEqual([[20, 200]]);
    expect(st.exchanges[0]?.res.response).toEqual({ ok: true, receivedEvents: 20, okEvents: 20 });
    const cut = accepted(st.exchanges).find(
      (e) => e.properties && (e.properties as { code?: string }).code === 'RAMADAN',
    );
    expect(cut?.event).toBe(name.slice(0, (cut?.event as string).length));
    expect(utf8Length(cut?.event as string)).toBeLessThanOrEqual(128);
    expect(utf8Length(cut?.event as string)).toBeGreaterThan(124); // whole two-byte characters
    expect(accepted(st.exchanges)).toHaveLength(20);
    expect(st.reports.dropped).toEqual([]);
  });
});
