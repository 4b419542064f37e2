// SDK discovery (src/browser/waitSdk.ts, README "How it finds the SDK"): the window events, the poll of
// about a minute, and the settle without an SDK a second after the page's load.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitSdk } from '../src/browser/waitSdk';

/** The window's listeners by event type (a stand-in for the browser's `addEventListener`). */
let listeners: Record<string, Array<() => void>>;
const fire = (type: string) => (listeners[type] || []).slice().forEach((f) => f());
const win = () => window as unknown as { Salla?: unknown; salla?: unknown };

beforeEach(() => {
  vi.useFakeTimers();
  listeners = {};
  vi.stubGlobal('window', {});
  vi.stubGlobal('document', { readyState: 'loading' });
  vi.stubGlobal('addEventListener', (type: string, f: () => void) => (listeners[type] ||= []).push(f));
  vi.stubGlobal('removeEventListener', (type: string, f: () => void) => {
    const l = listeners[type] || [];
    if (l.indexOf(f) >= 0) l.splice(l.indexOf(f), 1);
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('waitSdk', () => {
  it('without an SDK, settles (none) once, a second after the page’s load, and goes on looking', async () => {
    const found = vi.fn();
    const none = vi.fn();
    waitSdk(found, none);
    await vi.advanceTimersByTimeAsync(5000);
    expect(none).not.toHaveBeenCalled(); // not loaded yet
    fire('load');
    await vi.advanceTimersByTimeAsync(999);
    expect(none).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(none).toHaveBeenCalledTimes(1);
    // An SDK that comes later (here by the poll) is found all the same.
    const sdk = { event: {} };
    win().salla = sdk;
    await vi.advanceTimersByTimeAsync(1000);
    expect(found.mock.calls).toEqual([[sdk]]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(none).toHaveBeenCalledTimes(1);
  });

  it('polls for about a minute: an SDK that appears at 55 s with no event is found; one at 70 s only by its event', async () => {
    (document as { readyState: string }).readyState = 'complete';
    const found = vi.fn();
    waitSdk(found, () => undefined);
    await vi.advanceTimersByTimeAsync(55_000);
    const sdk = { event: {} };
    win().Salla = sdk;
    await vi.advanceTimersByTimeAsync(1000);
    expect(found.mock.calls).toEqual([[sdk]]);

    const late = vi.fn();
    delete win().Salla;
    waitSdk(late, () => undefined);
    await vi.advanceTimersByTimeAsync(70_000);
    const sdk2 = { event: {} };
    win().Salla = sdk2;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(late).not.toHaveBeenCalled(); // the poll has stopped
    fire('salla::created'); // the components' bundle defined it
    expect(late.mock.calls).toEqual([[sdk2]]);
  });

  it('takes the SDK once it has its event bus, on `salla::created` or `twilight::initiated`, once', async () => {
    (document as { readyState: string }).readyState = 'complete';
    const found = vi.fn();
    waitSdk(found, () => undefined);
    const sdk: { event?: unknown } = {};
    win().Salla = sdk; // defined, its bus not yet
    fire('salla::created');
    await vi.advanceTimersByTimeAsync(100);
    expect(found).not.toHaveBeenCalled();
    sdk.event = {};
    fire('twilight::initiated');
    expect(found.mock.calls).toEqual([[sdk]]);
    fire('salla::created');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(found).toHaveBeenCalledTimes(1);
  });
  it('a page that breaks the Array iterator after the tracker started: the SDK is still found, nothing thrown, no listener left', async () => {
    (document as { readyState: string }).readyState = 'complete';
    // (plain records: vitest's own mocks and matchers go through the iterator)
    const found: unknown[] = [];
    let thrown: unknown;
    waitSdk(
      (s) => found.push(s),
      () => undefined,
    );
    const iterator = Object.getOwnPropertyDescriptor(Array.prototype, Symbol.iterator)!;
    Object.defineProperty(Array.prototype, Symbol.iterator, {
      configurable: true,
      value() {
        throw new Error('hostile iterator');
      },
    });
    const sdk = { event: {} };
    try {
      win().Salla = sdk;
      (listeners['twilight::initiated'] || []).slice().forEach((f) => f());
    } catch (e) {
      thrown = e;
    } finally {
      Object.defineProperty(Array.prototype, Symbol.iterator, iterator);
    }
    expect(thrown).toBeUndefined();
    expect(found).toEqual([sdk]);
    expect(Object.values(listeners).flat()).toEqual([]);
  });
});
