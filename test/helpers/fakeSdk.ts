import type { TwilightSdk } from '../../src/types';

type Listener = (name: string, ...args: unknown[]) => unknown;

/**
 * A stand-in for the Twilight SDK's event bus with the same observable behaviour the tracker relies
 * on: `event.onAny` receives `(name, ...args)`, `emittedEvents` is a Set, `config.get` reads dotted
 * paths, `onReady` calls back once ready. (Browser tests use the real SDK.)
 */
export function fakeSdk(config: Record<string, unknown> = {}) {
  const any: Listener[] = [];
  const emitted = new Set<string>();
  const ready: Array<(c: unknown) => void> = [];
  const storage: Record<string, unknown> = {};
  const get = (key: string): unknown =>
    key
      .split('.')
      .reduce<unknown>(
        (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
        config,
      );
  const sdk = {
    status: 'loading' as string,
    event: {
      emittedEvents: emitted,
      onAny: (fn: Listener) => void any.push(fn),
      offAny: (fn: Listener) => void any.splice(any.indexOf(fn), 1),
    },
    config: {
      get,
      currency: () => ({ code: get('user.currency_code') ?? 'SAR' }),
    },
    storage: { get: (k: string) => storage[k] },
    onReady(cb: (c: unknown) => void) {
      if (sdk.status === 'ready') cb(config);
      else ready.push(cb);
      return Promise.resolve();
    },
  };
  return {
    sdk: sdk as unknown as TwilightSdk,
    storage,
    config,
    emit(name: string, ...args: unknown[]) {
      emitted.add(name);
      for (const fn of any.slice()) fn(name, ...args);
    },
    /** Like `Salla.init`: dispatch `config.events`, then become ready. */
    init() {
      const events = (config.events || {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(events)) this.emit(k, v);
      sdk.status = 'ready';
      for (const cb of ready.splice(0)) cb(config);
    },
  };
}

/** A store config shaped like the one Salla renders into `Salla.init(...)`. */
export function storeConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    store: { id: 1001, name: 'Demo Store', url: 'http://127.0.0.1:4400' },
    user: { type: 'guest', currency_code: 'SAR', language_code: 'ar' },
    page: { slug: 'index', id: null, title: 'Home' },
    ...extra,
  };
}
