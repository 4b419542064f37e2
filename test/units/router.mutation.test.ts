// The router (src/delivery/router.ts): destinations, the replay history and consent changes.
// Written to kill its mutants (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { createRouter, type Destination } from '../../src/delivery/router';
import type { Pair } from '../../src/pipeline/orderedProtect';
import type { ConsentState, TrackerEvent } from '../../src/schema';

const ev = (n: number, tag = 'safe') =>
  ({ type: 'track', event: 'E' + n, properties: { tag } }) as unknown as TrackerEvent;
const pair = (n: number): Pair => ({ safe: ev(n, 'safe'), raw: ev(n, 'raw') });
const label = (e: TrackerEvent) =>
  (e as { event: string }).event + ':' + (e.properties as { tag: string }).tag;

/** A destination that records what it is told. */
function dest(name: string, over: Partial<Destination> = {}) {
  const got: string[] = [];
  const log: string[] = [];
  let queue: TrackerEvent[] = [];
  const d: Destination = {
    name,
    keep: false,
    add: (e) => void (got.push(label(e)), queue.push(e)),
    flush: async () => void log.push('flush'),
    queued: () => queue.length,
    map: (fn) => void (log.push('map'), (queue = queue.map(fn))),
    drop: (reason) => void (log.push('drop ' + reason), (queue = [])),
    consent: (s: ConsentState) => void log.push('consent ' + s),
    hidden: (final) => void log.push('hidden ' + final),
    shown: (restored) => void log.push('shown ' + restored),
    stop: () => void log.push('stop'),
    ...over,
  };
  return { d, got, log, queue: () => queue };
}

const anon = (e: TrackerEvent) => ({ ...e, properties: { tag: 'anon' } }) as unknown as TrackerEvent;

describe('createRouter', () => {
  it('gives each destination the safe copy, or the raw one to a destination that keeps identity fields', () => {
    const r = createRouter();
    const a = dest('a');
    const k = dest('k', { keep: true });
    r.add(a.d);
    r.add(k.d);
    r.deliver(pair(1));
    expect(a.got).toEqual(['E1:safe']);
    expect(k.got).toEqual(['E1:raw']);
  });

  it('tells a new destination the consent now: pending at first, then the last state', () => {
    const r = createRouter();
    const a = dest('a');
    r.add(a.d);
    expect(a.log).toEqual(['consent pending']);
    r.consent('granted', anon, false);
    const b = dest('b');
    r.add(b.d);
    expect(b.log).toEqual(['consent granted']);
    // (Every destination has its own consent(): none is read from a page's Object.prototype.consent,
    // test/pollutedNames.test.ts.)
  });

  it('replays the last 100 events to a destination added late, unless replay is false', () => {
    const r = createRouter();
    for (let i = 1; i <= 101; i++) r.deliver(pair(i));
    const late = dest('late');
    r.add(late.d);
    expect(late.got).toHaveLength(100);
    expect(late.got[0]).toBe('E2:safe');
    expect(late.got[99]).toBe('E101:safe');
    const keep = dest('keep', { keep: true });
    r.add(keep.d, true);
    expect(keep.got[0]).toBe('E2:raw');
    const none = dest('none');
    r.add(none.d, false);
    expect(none.got).toEqual([]);
  });

  it('keeps exactly 100 events: the 100th delivered is still replayed', () => {
    const r = createRouter();
    for (let i = 1; i <= 100; i++) r.deliver(pair(i));
    const late = dest('late');
    r.add(late.d);
    expect(late.got).toHaveLength(100);
    expect(late.got[0]).toBe('E1:safe');
  });

  it('the removal stops that destination only, and only it', () => {
    const r = createRouter();
    const a = dest('a');
    const b = dest('b');
    const c = dest('c');
    const removeA = r.add(a.d);
    r.add(b.d);
    r.add(c.d);
    removeA();
    expect(a.log).toContain('stop');
    r.deliver(pair(1));
    expect(a.got).toEqual([]);
    expect(b.got).toEqual(['E1:safe']);
    expect(c.got).toEqual(['E1:safe']);
    removeA(); // again: stops it again, removes no other destination
    r.deliver(pair(2));
    expect(b.got).toEqual(['E1:safe', 'E2:safe']);
    expect(c.got).toEqual(['E1:safe', 'E2:safe']);
    expect(b.log).not.toContain('stop');
  });

  it('consent denied: queued events and the history are made anonymous; every destination is told', () => {
    const r = createRouter();
    const a = dest('a');
    const k = dest('k', { keep: true });
    r.add(a.d);
    r.add(k.d);
    r.deliver(pair(1));
    r.consent('denied', anon, false);
    expect(a.log).toEqual(['consent pending', 'map', 'consent denied']);
    expect(a.queue().map(label)).toEqual(['E1:anon']);
    expect(k.queue().map(label)).toEqual(['E1:anon']);
    const late = dest('late', { keep: true });
    r.add(late.d);
    expect(late.got).toEqual(['E1:anon']); // the raw copy is anonymous too
    const late2 = dest('late2');
    r.add(late2.d);
    expect(late2.got).toEqual(['E1:anon']);
  });

  it('consent denied with drop: queued events are dropped and the history forgotten', () => {
    const r = createRouter();
    const a = dest('a');
    r.add(a.d);
    r.deliver(pair(1));
    r.consent('denied', anon, true);
    expect(a.log).toEqual(['consent pending', 'drop consent denied', 'consent denied']);
    expect(a.queue()).toEqual([]);
    const late = dest('late');
    r.add(late.d);
    expect(late.got).toEqual([]);
  });

  it('consent granted or pending: nothing is changed, every destination is told', () => {
    const r = createRouter();
    const a = dest('a');
    r.add(a.d);
    r.deliver(pair(1));
    r.consent('granted', anon, true);
    r.consent('pending', anon, true);
    expect(a.log).toEqual(['consent pending', 'consent granted', 'consent pending']);
    expect(a.queue().map(label)).toEqual(['E1:safe']);
    const late = dest('late');
    r.add(late.d);
    expect(late.got).toEqual(['E1:safe']);
  });

  it('flush() waits for every destination; hidden, shown, queued and stop reach each', async () => {
    const r = createRouter();
    let release: () => void = () => undefined;
    const slow = dest('slow', { flush: () => new Promise<void>((res) => (release = res)) });
    const a = dest('a');
    r.add(slow.d);
    r.add(a.d);
    let done = false;
    const f = r.flush().then((v) => ((done = true), v));
    await Promise.resolve();
    await Promise.resolve();
    expect(a.log).toContain('flush');
    expect(done).toBe(false);
    release();
    expect(await f).toBeUndefined();
    expect(done).toBe(true);

    r.hidden(true);
    r.hidden(false);
    r.shown(true);
    r.shown(false);
    expect(a.log.slice(-4)).toEqual(['hidden true', 'hidden false', 'shown true', 'shown false']);
    r.deliver(pair(1));
    r.deliver(pair(2));
    expect(r.queued()).toBe(4);
    expect(r.hidden(true)).toBeUndefined();
    expect(r.shown(true)).toBeUndefined();
    expect(r.stop()).toBeUndefined();
    expect(a.log.at(-1)).toBe('stop');
    expect(slow.log.at(-1)).toBe('stop');
  });

  it('queued() is 0 without destinations', () => {
    expect(createRouter().queued()).toBe(0);
  });
});
