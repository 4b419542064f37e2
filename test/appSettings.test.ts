import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import { fakeEnv, sdkAfterNone } from './helpers/fakeEnv';
import { memoryKV } from '../src/lib/kv';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

/** A store whose app (the App Snippet's) has public settings, as `salla.config.get('app.…')` reads them. */
const withApp = (app: Record<string, unknown>) => fakeSdk(storeConfig({ app }));
const APP = {
  tracker_endpoint: 'https://app.example/collect',
  tracker_write_key: 'wk_app',
  tracker_batch_size: 2,
};

describe('the store app settings (the App Snippet channel)', () => {
  it('configure the endpoint, write key and batching once Salla.init loads the store config', async () => {
    const s = fakeSdk({}); // on the page, its config not loaded yet
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore([{ webVitals: false, autoPage: false, consent: 'granted' }], t.env);
    tracker.track('One');
    await tracker.flush(); // not configured yet: nothing to send to
    expect(t.sent).toEqual([]);
    Object.assign(s.config, storeConfig({ app: APP }));
    s.init();
    tracker.track('Two'); // the second event fills a batch of 2 (tracker_batch_size)
    await vi.advanceTimersByTimeAsync(0); // finished in the pipeline's task, the batch sent at its end
    expect(t.sent.map((x) => [x.url, x.body.writeKey, x.body.batch.map((e) => e.event)])).toEqual([
      ['https://app.example/collect', 'wk_app', ['One', 'Two']],
    ]);
  });

  it('an explicit option wins over the app setting of the same name; the rest still come from the app', async () => {
    const s = withApp(APP);
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore([{ webVitals: false, autoPage: false, writeKey: 'wk_tag' }], t.env);
    s.init();
    tracker.track('One');
    tracker.track('Two');
    await vi.advanceTimersByTimeAsync(0); // finished in the pipeline's task, the batch sent at its end
    expect(t.sent.map((x) => [x.url, x.body.writeKey, x.body.batch.length])).toEqual([
      ['https://app.example/collect', 'wk_tag', 2],
    ]);
  });

  /** The write keys of what a tracker with option `layers` sends, in a store with the app settings. */
  async function writeKeysSent(layers: object[]) {
    const s = withApp(APP);
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(layers, t.env);
    s.init();
    tracker.track('One');
    tracker.track('Two');
    await vi.advanceTimersByTimeAsync(0);
    return t.sent.map((x) => x.body.writeKey);
  }

  it("an option given by any one layer (a script tag's attribute, not its queued init call) wins over the app setting", async () => {
    // The script tag's dataset gives the write key; the queued `init` call does not.
    expect(
      await writeKeysSent([
        { webVitals: false, autoPage: false, writeKey: 'wk_tag' },
        { consent: 'granted' },
      ]),
    ).toEqual(['wk_tag']);
  });

  it('an option set to null is not given: the app setting applies', async () => {
    expect(
      await writeKeysSent([{ webVitals: false, autoPage: false, writeKey: null, consent: 'granted' }]),
    ).toEqual(['wk_app']);
  });

  it('an SDK that comes after the no-SDK decision (a second after load) still brings its settings', async () => {
    const s = withApp(APP);
    const t = fakeEnv();
    const arrive = sdkAfterNone(t);
    const tracker = createCore([{ webVitals: false, autoPage: false }], t.env);
    tracker.track('Before The SDK');
    await tracker.flush();
    expect(t.sent).toEqual([]); // no endpoint yet, and none is invented
    arrive(s.sdk);
    s.init();
    tracker.track('After The SDK');
    await vi.advanceTimersByTimeAsync(0); // finished in the pipeline's task, the batch sent at its end
    expect(t.sent.map((x) => [x.url, x.body.writeKey, x.body.batch.map((e) => e.event)])).toEqual([
      ['https://app.example/collect', 'wk_app', ['Before The SDK', 'After The SDK']],
    ]);
  });

  it('a baked-in default endpoint is used without an SDK, and replaced by the app setting when it comes', async () => {
    const s = withApp(APP);
    const t = fakeEnv();
    const arrive = sdkAfterNone(t);
    const tracker = createCore([{ webVitals: false, autoPage: false }], t.env, [
      { endpoint: 'https://baked.example/c' },
    ]);
    tracker.track('Baked');
    await tracker.flush();
    arrive(s.sdk);
    s.init();
    tracker.track('A');
    tracker.track('B');
    await vi.advanceTimersByTimeAsync(0); // finished in the pipeline's task, the batch sent at its end
    expect(t.sent.map((x) => [x.url, x.body.batch.map((e) => e.event)])).toEqual([
      ['https://baked.example/c', ['Baked']],
      ['https://app.example/collect', ['A', 'B']],
    ]);
  });

  it('another settingsPrefix changes every key: myapp_ reads app.myapp_endpoint…, not the tracker_ ones', async () => {
    const s = withApp({ ...APP, myapp_endpoint: 'https://app.example/mine', myapp_batch_size: 3 });
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore([{ webVitals: false, autoPage: false, settingsPrefix: 'myapp_' }], t.env);
    s.init();
    for (const name of ['One', 'Two', 'Three']) tracker.track(name);
    await vi.advanceTimersByTimeAsync(0); // a whole batch of 3 goes at once
    expect(t.sent.map((x) => [x.url, x.body.writeKey, x.body.batch.map((e) => e.event)])).toEqual([
      ['https://app.example/mine', undefined, ['One', 'Two', 'Three']],
    ]);
  });

  it('an SDK without an event bus (no onAny) still brings its settings when ready', async () => {
    const s = withApp(APP);
    delete (s.sdk as { event?: unknown }).event;
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore([{ webVitals: false, autoPage: false, consent: 'granted' }], t.env);
    tracker.track('One');
    s.init();
    tracker.track('Two');
    await vi.advanceTimersByTimeAsync(0); // finished in the pipeline's task, the batch sent at its end
    expect(t.sent.map((x) => [x.url, x.body.writeKey, x.body.batch.map((e) => e.event)])).toEqual([
      ['https://app.example/collect', 'wk_app', ['One', 'Two']],
    ]);
  });

  describe('tracker_consent and a baked-in consent are the merchant’s default: the shopper’s choice wins', () => {
    /** A cookie-bar store whose shopper chose `choice` on an earlier page (the bar's stored value). */
    const cookieBar = (choice: string | undefined, app: Record<string, unknown>) => {
      const s = fakeSdk(storeConfig({ store: { id: 1001, features: ['website-cookies'] }, app }));
      if (choice) s.storage['cookies-consent'] = choice;
      return s;
    };
    const sent = async (t: ReturnType<typeof fakeEnv>) => {
      await vi.advanceTimersByTimeAsync(2500);
      return t.sent.flatMap((x) =>
        x.body.batch.map((e) => [e.event, (e.context as { consent_state?: string }).consent_state]),
      );
    };

    it('the app setting granted on a store whose shopper rejected: denied', async () => {
      const s = cookieBar('rejected', { ...APP, tracker_batch_size: 20, tracker_consent: 'granted' });
      const t = fakeEnv({ sdk: s.sdk });
      const tracker = createCore([{ webVitals: false, autoPage: false }], t.env);
      s.init();
      tracker.track('After Ready');
      expect(await sent(t)).toEqual([['After Ready', 'denied']]);
      expect(t.env.kv.keys().filter((k) => k.startsWith('tt:'))).toEqual([]); // nothing stored
    });

    it('a snippet’s baked-in granted on a store whose shopper rejected: denied', async () => {
      const s = cookieBar('rejected', { tracker_endpoint: APP.tracker_endpoint });
      const t = fakeEnv({ sdk: s.sdk });
      const tracker = createCore([{ webVitals: false, autoPage: false }], t.env, [{ consent: 'granted' }]);
      s.init();
      tracker.track('After Ready');
      expect(await sent(t)).toEqual([['After Ready', 'denied']]);
    });

    it('a snippet’s baked-in denied on a store whose shopper accepted: nothing stored is deleted, the stored ids are used', async () => {
      const kv = memoryKV();
      kv.set('tt:aid', 'aid-stored');
      kv.set('tt:sent', JSON.stringify(['tt-oc-9']));
      kv.set('tt:q:earlier-page', JSON.stringify({ t: Date.now(), c: 1, e: [] }));
      const s = cookieBar('accepted', { tracker_endpoint: APP.tracker_endpoint });
      const t = fakeEnv({ sdk: s.sdk, kv });
      const tracker = createCore([{ webVitals: false, autoPage: false }], t.env, [{ consent: 'denied' }]);
      s.init();
      tracker.track('After Ready');
      expect(await sent(t)).toEqual([['After Ready', 'granted']]);
      expect(t.events()[0]?.anonymousId).toBe('aid-stored');
      expect(kv.get('tt:aid')).toBe('aid-stored');
      expect(kv.get('tt:sent')).toBe(JSON.stringify(['tt-oc-9']));
    });

    it('a snippet’s baked-in denied where the shopper has not chosen: denied, and what was stored goes', async () => {
      const kv = memoryKV();
      kv.set('tt:aid', 'aid-stored');
      const s = cookieBar(undefined, { tracker_endpoint: APP.tracker_endpoint });
      const t = fakeEnv({ sdk: s.sdk, kv });
      const tracker = createCore([{ webVitals: false, autoPage: false }], t.env, [{ consent: 'denied' }]);
      s.init();
      tracker.track('After Ready');
      expect(await sent(t)).toEqual([['After Ready', 'denied']]);
      expect(kv.get('tt:aid')).toBe(null);
    });

    it('the app setting granted where the shopper has not chosen: granted (the merchant decides)', async () => {
      const s = cookieBar(undefined, { ...APP, tracker_batch_size: 20, tracker_consent: 'granted' });
      const t = fakeEnv({ sdk: s.sdk });
      const tracker = createCore([{ webVitals: false, autoPage: false }], t.env);
      s.init();
      tracker.track('After Ready');
      expect(await sent(t)).toEqual([['After Ready', 'granted']]);
    });

    it('the cookie bar clicked on this page overrides the app setting', async () => {
      const s = cookieBar(undefined, { ...APP, tracker_batch_size: 20, tracker_consent: 'granted' });
      const t = fakeEnv({ sdk: s.sdk });
      const tracker = createCore([{ webVitals: false, autoPage: false }], t.env);
      s.init();
      s.emit('salla-cookies-bar::rejected');
      tracker.track('After Rejection');
      expect(await sent(t)).toEqual([['After Rejection', 'denied']]);
    });

    it('a snippet’s baked-in granted waits for the store config: the stored rejection is not overridden before Salla.init', async () => {
      // The components' module build: the SDK is on the page before `Salla.init` loads its config.
      const s = fakeSdk({});
      s.storage['cookies-consent'] = 'rejected';
      const t = fakeEnv({ sdk: s.sdk });
      const tracker = createCore([{ webVitals: false, autoPage: false }], t.env, [{ consent: 'granted' }]);
      const got: unknown[] = [];
      tracker.register(
        (events) => void got.push(...events.map((e) => ['event' in e && e.event, e.context.consent_state])),
      );
      tracker.track('Between');
      await vi.advanceTimersByTimeAsync(2500); // the callback's batch
      // Not yet known: pending, and no id written to the device.
      expect(got).toEqual([['Between', 'pending']]);
      expect(t.env.kv.keys().filter((k) => k.startsWith('tt:'))).toEqual([]);
      Object.assign(s.config, cookieBar('rejected', { tracker_endpoint: APP.tracker_endpoint }).config);
      s.init();
      tracker.track('After Ready');
      // (the endpoint comes with the settings: the queued event leaves made anonymous, as denied)
      expect(await sent(t)).toEqual([
        ['Between', 'denied'],
        ['After Ready', 'denied'],
      ]);
    });

    it('an explicit consent option (code, data-consent, init) still wins over the stored choice', async () => {
      const s = cookieBar('rejected', { tracker_endpoint: APP.tracker_endpoint });
      const t = fakeEnv({ sdk: s.sdk });
      const tracker = createCore([{ webVitals: false, autoPage: false, consent: 'granted' }], t.env);
      s.init();
      tracker.track('After Ready');
      expect(await sent(t)).toEqual([['After Ready', 'granted']]);
    });
  });

  it('tracker_denied_mode none applies to what was made before the store config loaded (the SDK after the tracker)', async () => {
    // The components' module build: the SDK is on the page before its config (`Salla.init` later).
    const s = fakeSdk({});
    s.storage['cookies-consent'] = 'rejected'; // the shopper rejected on an earlier page
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore([{ webVitals: false }], t.env);
    const got: unknown[] = [];
    tracker.register((events) => void got.push(...events));
    tracker.track('Early');
    await vi.advanceTimersByTimeAsync(0);
    Object.assign(
      s.config,
      storeConfig({
        store: { id: 1001, features: ['website-cookies'] },
        app: { ...APP, tracker_denied_mode: 'none' },
      }),
    );
    s.init();
    tracker.track('Late');
    await vi.advanceTimersByTimeAsync(12000);
    // Denied with deniedMode none: nothing is sent, not even the event made before the settings came.
    expect(t.sent).toEqual([]);
    expect(got).toEqual([]);
  });
});
