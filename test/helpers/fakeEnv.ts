import { createHash } from 'node:crypto';
import { vi } from 'vitest';
import { realClock } from '../../src/browser/clock';
import type { Flight } from '../../src/delivery/queue';
import type { SendResult } from '../../src/delivery/retryPolicy';
import type { Env } from '../../src/core/env';
import { memoryKV, type KV } from '../../src/lib/kv';
import type { TwilightSdk } from '../../src/types';
import { uuid } from '../../src/browser/uuid';

export interface Sent {
  url: string;
  body: { batch: Array<Record<string, unknown>>; sentAt: string; writeKey?: string };
  via: 'fetch' | 'beacon';
}

/**
 * A test environment: real timers (use `vi.useFakeTimers()`), memory storage, a recorded
 * transport answering `status()`, recorded beacons, and manual lifecycle triggers.
 */
export function fakeEnv(
  opts: {
    sdk?: TwilightSdk;
    kv?: KV;
    status?: () => SendResult | number;
    beaconOk?: (body: string) => boolean;
    /** Bytes that can still outlive the page (default: the whole 64 KiB budget). */
    room?: () => number;
    /** Whether a POST goes with keepalive (outlives the page); default true. */
    keepalive?: () => boolean;
  } = {},
) {
  const sent: Sent[] = [];
  let hidden: (final: boolean) => void = () => undefined;
  let shown: (restored: boolean) => void = () => undefined;
  let online: () => void = () => undefined;
  const env: Env = {
    clock: realClock,
    random: () => 0.5,
    uuid,
    kv: opts.kv || memoryKV(),
    page: () => ({ url: 'http://127.0.0.1:4400/p/1', path: '/p/1', title: 'Shirt' }),
    locale: 'ar-SA',
    post: vi.fn(async (url: string, body: string, flight: Flight<unknown>) => {
      flight.kept = opts.keepalive ? opts.keepalive() : true;
      sent.push({ url, body: JSON.parse(body), via: 'fetch' });
      const s = opts.status ? opts.status() : 200;
      return typeof s === 'number' ? { status: s } : s;
    }),
    unload: vi.fn((url: string, body: string) => {
      const ok = opts.beaconOk ? opts.beaconOk(body) : true;
      if (ok) sent.push({ url, body: JSON.parse(body), via: 'beacon' });
      return ok;
    }),
    room: () => (opts.room ? opts.room() : 65536),
    lifecycle(h, s) {
      hidden = h;
      shown = s;
      return () => undefined;
    },
    online(cb) {
      online = cb;
      return () => undefined;
    },
    // The SDK is on the page, or it is clear none is coming.
    waitSdk(found, none) {
      if (opts.sdk) found(opts.sdk);
      else none();
      return () => undefined;
    },
    // The page has loaded and is idle.
    idle: (cb) => cb(),
    sha256: async (s: string) => createHash('sha256').update(s).digest('hex'),
  };
  return {
    env,
    sent,
    /** Every event received by the endpoint, in order. */
    events: () => sent.flatMap((s) => s.body.batch),
    hide: (final = true) => hidden(final),
    show: (restored = true) => shown(restored),
    goOnline: () => online(),
  };
}
