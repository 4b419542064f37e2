import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import { parseOptions } from '../src/core/options';
import { fakeEnv } from './helpers/fakeEnv';

const DEFAULTS = {
  endpoint: undefined,
  writeKey: undefined,
  batchSize: 20,
  flushInterval: 2000,
  debug: false,
  events: undefined,
  pii: 'hash',
  consent: undefined,
  deniedMode: 'anonymous',
  webVitals: true,
  autoPage: true,
  callbackTimeout: 10000,
  storagePrefix: 'tt',
  settingsPrefix: 'tracker_',
  vitalsUrl: undefined,
};

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  warn.mockRestore();
  vi.useRealTimers();
});
const warnings = () => warn.mock.calls.map((c: unknown[]) => String(c[0]));

describe('parseOptions', () => {
  it('gives every default without a warning when nothing is passed', () => {
    expect(parseOptions(undefined)).toEqual(DEFAULTS);
    expect(parseOptions(null)).toEqual(DEFAULTS);
    expect(parseOptions({})).toEqual(DEFAULTS);
    expect(warnings()).toEqual([]);
  });

  it('takes valid values, numbers given as strings (data attributes) and rounds them', () => {
    expect(
      parseOptions({
        endpoint: '/collect',
        writeKey: 'wk_1',
        batchSize: '50',
        flushInterval: '0',
        debug: 'true',
        events: { deny: ['Web Vital Measured', 7] },
        pii: 'drop',
        consent: 'pending',
        deniedMode: 'none',
        webVitals: 'false',
        autoPage: false,
        callbackTimeout: 2500.4,
        storagePrefix: 'shop1',
      }),
    ).toEqual({
      ...DEFAULTS,
      endpoint: '/collect',
      writeKey: 'wk_1',
      batchSize: 50,
      flushInterval: 0,
      debug: true,
      events: { deny: ['Web Vital Measured'] },
      pii: 'drop',
      consent: 'pending',
      deniedMode: 'none',
      webVitals: false,
      autoPage: false,
      callbackTimeout: 2500,
      storagePrefix: 'shop1',
    });
    expect(parseOptions({ events: ['Product Added'] }).events).toEqual({ allow: ['Product Added'] });
    expect(parseOptions({ events: { allow: ['Cart Viewed'] } }).events).toEqual({ allow: ['Cart Viewed'] });
    expect(warnings()).toEqual([]);
  });

  it('falls back to defaults with ONE warning that lists every bad option', () => {
    const o = parseOptions({
      batchSize: 0,
      flushInterval: 'soon',
      callbackTimeout: NaN,
      pii: 'md5',
      consent: 'yes',
      deniedMode: 'silent',
      events: 'Product Added',
      endpoint: 42,
      writeKey: {},
    });
    expect(o).toEqual(DEFAULTS);
    expect(warnings()).toEqual([
      'twilight-tracker: E3 endpoint, writeKey, batchSize, flushInterval, pii, consent, deniedMode, callbackTimeout, events' +
        ' (a bad option value; its default applies)',
    ]);
  });

  it('survives options that are not an object, and getters or proxies that throw', () => {
    expect(parseOptions('fast')).toEqual(DEFAULTS);
    expect(parseOptions(42)).toEqual(DEFAULTS);
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(parseOptions(trap)).toEqual(DEFAULTS);
    const getter = Object.defineProperty({ batchSize: 5 }, 'endpoint', {
      enumerable: true,
      get() {
        throw new Error('nope');
      },
    });
    expect(parseOptions(getter)).toEqual({ ...DEFAULTS, batchSize: 5 });
    const events = {
      get allow(): string[] {
        throw new Error('nope');
      },
    };
    expect(parseOptions({ events }).events).toBeUndefined();
    // Not an object (twice): E2; a throwing getter or proxy reads as not given.
    expect(warnings()).toEqual([
      'twilight-tracker: E2 string (the options are not an object; that layer is ignored)',
      'twilight-tracker: E2 number (the options are not an object; that layer is ignored)',
      'twilight-tracker: E3 events (a bad option value; its default applies)',
    ]);
  });

  it('merges layers key by key, later ones winning, and skips empty attributes', () => {
    const o = parseOptions(
      { endpoint: '/low', writeKey: 'wk_low', batchSize: 5 },
      { endpoint: '', writeKey: 'wk_mid', debug: '' },
      { batchSize: '7', events: ['A'] },
    );
    expect(o).toMatchObject({ endpoint: '/low', writeKey: 'wk_mid', batchSize: 7, debug: true });
    expect(o.events).toEqual({ allow: ['A'] });
    expect(warnings()).toEqual([]);
  });

  it('null is not given (no warning, an earlier layer or the default applies); a boolean is no number', () => {
    expect(parseOptions({ batchSize: 5, endpoint: '/e' }, { batchSize: null, endpoint: null })).toMatchObject(
      {
        batchSize: 5,
        endpoint: '/e',
      },
    );
    expect(parseOptions({ batchSize: null, flushInterval: null }).batchSize).toBe(20);
    expect(warnings()).toEqual([]);
    // (true would pass a range test as 1)
    expect(parseOptions({ batchSize: true, flushInterval: false })).toMatchObject({
      batchSize: 20,
      flushInterval: 2000,
    });
    expect(warnings()).toEqual([
      'twilight-tracker: E3 batchSize, flushInterval (a bad option value; its default applies)',
    ]);
  });
});

describe('createCore with bad options', () => {
  it('warns once, then works with the defaults', async () => {
    vi.useFakeTimers();
    const t = fakeEnv();
    const tracker = createCore(
      { endpoint: '/collect', batchSize: -3, flushInterval: 'x', webVitals: false, autoPage: false } as never,
      t.env,
    );
    expect(warnings()).toHaveLength(1);
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(1999);
    expect(t.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1); // the default flush interval
    expect(t.events().map((e) => e.event)).toEqual(['A']);
    expect(warnings()).toHaveLength(1);
  });
});

// The script tag's options are its `data-*` attributes as they are (`data-write-key` is
// `dataset.writeKey`): iife.ts passes `document.currentScript?.dataset` to the tracker.
describe("a script tag's dataset", () => {
  const script = (dataset: Record<string, string>) => ({ dataset }) as unknown as HTMLScriptElement;

  it('reads the data attributes, and parseOptions turns them into typed options', () => {
    const o = script({
      endpoint: '/collect',
      writeKey: 'wk_9',
      batchSize: '5',
      flushInterval: '100',
      debug: 'true',
      consent: 'denied',
      pii: 'keep',
      deniedMode: 'none',
      webVitals: 'false',
    }).dataset;
    expect(parseOptions(o)).toEqual({
      ...DEFAULTS,
      endpoint: '/collect',
      writeKey: 'wk_9',
      batchSize: 5,
      flushInterval: 100,
      debug: true,
      consent: 'denied',
      pii: 'keep',
      deniedMode: 'none',
      webVitals: false,
    });
    expect(warnings()).toEqual([]);
  });

  it('gives defaults without a script tag or attributes', () => {
    const none = null as HTMLScriptElement | null;
    expect(parseOptions(none?.dataset)).toEqual(DEFAULTS);
    expect(parseOptions(script({ debug: 'false' }).dataset)).toEqual(DEFAULTS);
    expect(warnings()).toEqual([]);
  });
});

describe('parseOptions on a page that changed how arrays concatenate', () => {
  it('Array.prototype[Symbol.isConcatSpreadable] = false: the defaults are still numbers and names', () => {
    const A = Array.prototype as unknown as Record<symbol, unknown>;
    A[Symbol.isConcatSpreadable] = false;
    let o;
    try {
      o = parseOptions({});
    } finally {
      delete A[Symbol.isConcatSpreadable];
    }
    expect([o.batchSize, o.pii, o.callbackTimeout]).toEqual([20, 'hash', 10000]);
  });
});
