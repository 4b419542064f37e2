// Consent granted after pagehide, the page back from the bfcache, then pagehide again before any save:
// another page's closed queue, adopted by that final save after it read what to store, was lost (review).
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { realClock } from '../../src/browser/clock';
import { createEndpoint, type EndpointDeps } from '../../src/delivery/endpoint';
import type { Reports } from '../../src/delivery/reports';
import { memoryKV } from '../../src/lib/kv';
import type { TrackerEvent } from '../../src/schema';
import { fakeLocks } from '../delivery/fakeLocks';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

const ev = (id: string) =>
  ({ type: 'track', event: 'E', messageId: id, properties: {} }) as unknown as TrackerEvent;

it('a closed queue of another page is not lost by a pagehide after consent-after-pagehide and a bfcache return', async () => {
  const kv = memoryKV();
  const reports: unknown[] = [];
  const deps: EndpointDeps = {
    options: { endpoint: '/collect', storagePrefix: 'tt' },
    post: () => new Promise(() => undefined),
    unload: () => true,
    room: () => 65536,
    online: () => () => undefined,
    idle: () => undefined,
    kv,
    uuid: () => 'A',
    queue: {
      clock: realClock,
      random: () => 0.5,
      limits: { batchSize: 10, flushInterval: 60000 },
      maxItems: 100,
    },
    reports: {
      reporter: () => (kind: string, events: TrackerEvent[], reason?: string) =>
        void reports.push([kind, events.map((e) => e.messageId), reason]),
    } as unknown as Reports,
    json: (e) => JSON.stringify(e),
    log: () => undefined,
  } as EndpointDeps;
  const d = createEndpoint(deps);
  d.hidden?.(true); // pagehide, consent still pending
  d.consent?.('granted'); // granted while the page is gone
  d.shown?.(true); // back from the bfcache
  // Another tab (no Web Locks) closes, its queue stored closed for the next page to adopt.
  kv.set('tt:q:B', JSON.stringify({ t: 0, c: 1, e: [ev('b1'), ev('b2')] }));
  d.hidden?.(true); // this page goes again
  await vi.advanceTimersByTimeAsync(5000);
  const stored = kv
    .keys()
    .filter((k) => k.startsWith('tt:q:'))
    .flatMap((k) => (JSON.parse(kv.get(k) as string) as { e: TrackerEvent[] }).e.map((e) => e.messageId));
  // b1, b2: still in storage for the next page (or reported), not only in a gone page's memory.
  expect({ stored, reports }).toEqual({ stored: ['b1', 'b2'], reports: [] });
});

it('with Web Locks: a queue of another page is not lost by a pagehide after consent-after-pagehide and a bfcache return', async () => {
  const kv = memoryKV();
  const reports: unknown[] = [];
  const deps: EndpointDeps = {
    options: { endpoint: '/collect', storagePrefix: 'tt' },
    post: () => new Promise(() => undefined),
    unload: () => true,
    room: () => 65536,
    online: () => () => undefined,
    idle: () => undefined,
    kv,
    locks: fakeLocks().tab().locks,
    uuid: () => 'A',
    queue: {
      clock: realClock,
      random: () => 0.5,
      limits: { batchSize: 10, flushInterval: 60000 },
      maxItems: 100,
    },
    reports: {
      reporter: () => (kind: string, events: TrackerEvent[], reason?: string) =>
        void reports.push([kind, events.map((e) => e.messageId), reason]),
    } as unknown as Reports,
    json: (e) => JSON.stringify(e),
    log: () => undefined,
  } as EndpointDeps;
  const d = createEndpoint(deps);
  d.hidden?.(true); // pagehide, consent still pending
  d.consent?.('granted'); // granted while the page is gone
  d.shown?.(true); // back from the bfcache
  await vi.advanceTimersByTimeAsync(0);
  // Another tab (no Web Locks) closes, its queue stored closed for the next page to adopt.
  kv.set('tt:q:B', JSON.stringify({ t: 0, c: 1, e: [ev('b1'), ev('b2')] }));
  d.hidden?.(true); // this page goes again
  await vi.advanceTimersByTimeAsync(5000);
  const stored = kv
    .keys()
    .filter((k) => k.startsWith('tt:q:'))
    .flatMap((k) => (JSON.parse(kv.get(k) as string) as { e: TrackerEvent[] }).e.map((e) => e.messageId));
  // b1, b2: still in storage for the next page (or reported), not only in a gone page's memory.
  expect({ stored, reports }).toEqual({ stored: ['b1', 'b2'], reports: [] });
});
