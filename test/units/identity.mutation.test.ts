// The shopper's ids (src/pipeline/identity.ts): stored anonymous id, sliding session, page id.
// Written to kill its mutants (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/lib/clock';
import { memoryKV, type KV } from '../../src/lib/kv';
import { createIdentity, DENIED, SIGNED_OUT } from '../../src/pipeline/identity';

const MIN = 6e4;
const SESSION = 18e5;

/** A memory KV that records every call, a settable clock and sequential ids. */
function setup(kv: KV = memoryKV(), start = 1e9) {
  const calls: string[] = [];
  const rec: KV = {
    get: (k) => (calls.push('get ' + k), kv.get(k)),
    set: (k, v) => (calls.push('set ' + k + ' ' + v), kv.set(k, v)),
    del: (k) => (calls.push('del ' + k), kv.del(k)),
    keys: () => kv.keys(),
  };
  const clock = { t: start, now: () => clock.t, set: () => 0, clear: () => undefined } as Clock & {
    t: number;
  };
  let n = 0;
  const id = createIdentity(rec, clock, 'tt', () => 'u' + ++n);
  const session = () => JSON.parse(kv.get('tt:sid') as string) as unknown;
  return { id, kv, calls, clock, session };
}

describe('createIdentity: anonymous id', () => {
  it('creates, stores under <prefix>:aid and then reuses one id', () => {
    const { id, kv, calls } = setup();
    expect(id.anonymousId()).toBe('u1');
    expect(id.anonymousId()).toBe('u1');
    expect(kv.get('tt:aid')).toBe('u1');
    // Storage is read once (both ids), written once.
    expect(calls).toEqual(['get tt:aid', 'get tt:sid', 'set tt:aid u1']);
  });

  it('reads a stored id and does not write it again; an empty one is replaced', () => {
    const kv = memoryKV();
    kv.set('tt:aid', 'stored');
    const a = setup(kv);
    expect(a.id.anonymousId()).toBe('stored');
    expect(a.calls.filter((c) => c.startsWith('set'))).toEqual([]);
    kv.set('tt:aid', '');
    expect(setup(kv).id.anonymousId()).toBe('u1');
    expect(kv.get('tt:aid')).toBe('u1');
  });

  it('touches no storage until an id is asked for', () => {
    const { id, calls } = setup();
    id.pageId();
    id.newPage();
    id.persist();
    id.resetSession();
    expect(calls).toEqual([]);
  });
});

describe('createIdentity: page id', () => {
  it('is drawn once per page view, never stored; newPage() draws another', () => {
    const { id, kv } = setup();
    expect(id.pageId()).toBe('u1');
    expect(id.pageId()).toBe('u1');
    id.newPage();
    expect(id.pageId()).toBe('u2');
    expect(kv.keys()).toEqual([]);
  });
});

describe('createIdentity: back from the bfcache (newPage)', () => {
  it('tells DENIED when the anonymous id this tracker stored is gone (consent denied on another page meanwhile)', () => {
    const { id, kv } = setup();
    expect(id.newPage()).toBe(0); // none asked for: nothing to miss
    id.anonymousId();
    expect(id.newPage()).toBe(0);
    kv.del('tt:aid');
    expect(id.newPage()).toBe(DENIED);
    id.purge(); // (the denial it leads to)
    expect(id.newPage()).toBe(0);
  });

  it('tells SIGNED_OUT when its live session is gone or another took its place (a sign-out there), and ends it; the next event reads the stored one', () => {
    const { id, kv, clock } = setup();
    expect(id.sessionId()).toBe('u1');
    expect(id.newPage()).toBe(0); // (its own session stored: nothing happened)
    expect(id.sessionId()).toBe('u1');
    kv.set('tt:sid', JSON.stringify({ id: 'other', t: 1e9 + 5000 }));
    clock.t += 10000;
    expect(id.sessionId()).toBe('u1'); // (no storage event here: this page does not know)
    expect(id.newPage()).toBe(SIGNED_OUT);
    expect(kv.get('tt:sid')).toContain('other'); // (the other page's session stays)
    clock.t += 10000;
    expect(id.sessionId()).toBe('other');
    kv.del('tt:sid');
    expect(id.newPage()).toBe(SIGNED_OUT);
    expect(id.sessionId()).toBe('u2'); // (not the session that ended)
  });

  it("the late storage events Chromium delivers after the restore end nothing more: the removal of the session it already left is not this one's", () => {
    const { id, kv, clock } = setup();
    expect(id.sessionId()).toBe('u1');
    const old = kv.get('tt:sid');
    kv.set('tt:sid', JSON.stringify({ id: 'next', t: 1e9 + 5000 })); // the sign-out there, and its next session
    clock.t += 10000;
    expect(id.newPage()).toBe(SIGNED_OUT);
    expect(id.sessionId()).toBe('next');
    // Then the events it missed: the removal of its old session, and the next one set.
    expect(id.changed({ key: 'tt:sid', newValue: null, oldValue: old })).toBeFalsy();
    expect(id.changed({ key: 'tt:sid', newValue: kv.get('tt:sid'), oldValue: null })).toBeFalsy();
    expect(id.sessionId()).toBe('next');
    // Its own session removed (or one whose value is not known): over.
    expect(id.changed({ key: 'tt:sid', newValue: null, oldValue: kv.get('tt:sid') })).toBe(true);
    expect(id.sessionId()).toBe('u2');
    expect(id.changed({ key: 'tt:sid', newValue: null })).toBe(true);
    // A storage event a page made, with an old value that is no string: over, not a throw.
    expect(id.changed({ key: 'tt:sid', newValue: null, oldValue: 0 as unknown as string })).toBe(true);
  });

  it('two open tabs: the other started a session (this one has not read it yet), then signed out: its removal ends this one too', () => {
    const { id, kv, clock } = setup();
    expect(id.sessionId()).toBe('u1');
    clock.t += SESSION + 1;
    kv.set('tt:sid', JSON.stringify({ id: 'Y', t: clock.t }));
    expect(id.changed({ key: 'tt:sid', newValue: kv.get('tt:sid'), oldValue: null })).toBeFalsy();
    const y = kv.get('tt:sid');
    kv.del('tt:sid');
    expect(id.changed({ key: 'tt:sid', newValue: null, oldValue: y })).toBe(true);
  });

  it("denied and granted again on another page meanwhile: not a sign-out; the new id is taken, and the late removal of the old one is not this one's", () => {
    const { id, kv, clock } = setup();
    expect(id.anonymousId()).toBe('u1');
    expect(id.sessionId()).toBe('u2');
    kv.set('tt:aid', 'A2');
    kv.set('tt:sid', JSON.stringify({ id: 'S2', t: clock.t }));
    expect(id.newPage()).toBe(0);
    expect(id.anonymousId()).toBe('A2');
    expect(id.ours('u1')).toBe(false);
    expect(id.ours('A2')).toBe(true);
    expect(id.ours(null)).toBe(true); // (not known: may be)
    expect(id.sessionId()).toBe('S2');
  });

  it('an id storage refused (full) is never missed: no DENIED for it', () => {
    const { id, kv } = setup();
    const set = kv.set;
    kv.set = (k, v) => (k === 'tt:aid' ? false : set(k, v));
    expect(id.anonymousId()).toBe('u1');
    expect(id.newPage()).toBe(0);
  });

  it('a session over by the time the page is back was not ended there: 0, and the next event reads the stored one', () => {
    const { id, kv, clock } = setup();
    expect(id.sessionId()).toBe('u1');
    clock.t += SESSION + 1;
    kv.set('tt:sid', JSON.stringify({ id: 'next', t: clock.t }));
    expect(id.newPage()).toBe(0);
    expect(id.sessionId()).toBe('next');
  });
});

describe('createIdentity: session', () => {
  it('starts a session, stores it with its time, and keeps it while events come within 30 minutes', () => {
    const { id, clock, session } = setup();
    expect(id.sessionId()).toBe('u1');
    expect(session()).toEqual({ id: 'u1', t: 1e9 });
    clock.t += SESSION; // exactly 30 minutes: still the same session
    expect(id.sessionId()).toBe('u1');
    clock.t += SESSION + 1; // more than 30 minutes without events: a new one
    expect(id.sessionId()).toBe('u2');
    expect(session()).toEqual({ id: 'u2', t: 1e9 + 2 * SESSION + 1 });
  });

  it('continues a stored session (the window slides from its stored time)', () => {
    const kv = memoryKV();
    kv.set('tt:sid', JSON.stringify({ id: 'old', t: 1e9 - SESSION }));
    expect(setup(kv).id.sessionId()).toBe('old');
    kv.set('tt:sid', JSON.stringify({ id: 'old', t: 1e9 - SESSION - 1 }));
    expect(setup(kv).id.sessionId()).toBe('u1');
  });

  it('starts a new session over a corrupt stored one', () => {
    for (const bad of ['{', '"x"', '{"id":5,"t":1}', '{"id":"s","t":"1"}', '{"id":"s"}', '{"t":1}']) {
      const kv = memoryKV();
      kv.set('tt:sid', bad);
      const { id, session } = setup(kv);
      expect(id.sessionId()).toBe('u1');
      expect(session()).toEqual({ id: 'u1', t: 1e9 });
    }
  });

  it('writes the last activity at most once a minute', () => {
    const { id, clock, calls, session } = setup();
    id.sessionId();
    const writes = () => calls.filter((c) => c.startsWith('set tt:sid')).length;
    expect(writes()).toBe(1);
    clock.t += MIN; // a minute exactly: not yet
    id.sessionId();
    expect(writes()).toBe(1);
    expect(session()).toEqual({ id: 'u1', t: 1e9 });
    clock.t += 1;
    id.sessionId();
    expect(writes()).toBe(2);
    expect(session()).toEqual({ id: 'u1', t: 1e9 + MIN + 1 });
  });

  it('a stored session is written again only after a minute of its stored time', () => {
    const kv = memoryKV();
    kv.set('tt:sid', JSON.stringify({ id: 'old', t: 1e9 - MIN }));
    const a = setup(kv);
    a.id.sessionId();
    expect(a.calls.filter((c) => c.startsWith('set'))).toEqual([]);
    a.clock.t += 1;
    a.id.sessionId();
    expect(a.session()).toEqual({ id: 'old', t: 1e9 + 1 });
  });

  it('persist() writes the last activity when it changed since the last write, and only then', () => {
    const { id, clock, calls, session } = setup();
    id.persist(); // no session: nothing to write
    expect(calls).toEqual([]);
    id.sessionId();
    clock.t += 1000;
    id.sessionId();
    expect(session()).toEqual({ id: 'u1', t: 1e9 });
    id.persist();
    expect(session()).toEqual({ id: 'u1', t: 1e9 + 1000 });
    const n = calls.length;
    id.persist();
    expect(calls.length).toBe(n);
  });

  it('resetSession() forgets the session: the next event starts a new one, stored even at the same time', () => {
    const { id, kv, session } = setup();
    expect(id.sessionId()).toBe('u1');
    id.resetSession();
    expect(kv.get('tt:sid')).toBeNull();
    expect(id.sessionId()).toBe('u2');
    expect(session()).toEqual({ id: 'u2', t: 1e9 });
  });

  it('a new session is always written, whatever the time of the last write was', () => {
    // The clock at 1 ms: a new session must not be taken for one written at that time.
    const { id, session } = setup(memoryKV(), 1);
    expect(id.sessionId()).toBe('u1');
    expect(session()).toEqual({ id: 'u1', t: 1 });
  });

  it('resetSession() before any read leaves storage alone', () => {
    const kv = memoryKV();
    kv.set('tt:sid', JSON.stringify({ id: 'old', t: 1e9 }));
    const { id, calls } = setup(kv);
    id.resetSession();
    expect(calls).toEqual([]);
    expect(kv.get('tt:sid')).not.toBeNull();
  });
});

/** Two tabs of one store: one storage and clock; tab A draws a1, a2…, tab B b1, b2… (one counter). */
function twoTabs() {
  const kv = memoryKV();
  const clock = { t: 1e9, now: () => clock.t, set: () => 0, clear: () => undefined };
  let n = 0;
  const tab = (name: string) => createIdentity(kv, clock, 'tt', () => name + ++n);
  return { kv, clock, a: tab('a'), b: tab('b') };
}

describe('createIdentity: two tabs', () => {
  it('a tab idle for over 30 minutes continues the session another tab kept going, and writes no other', () => {
    const { kv, clock, a, b } = twoTabs();
    const session = () => JSON.parse(kv.get('tt:sid') as string) as unknown;
    const at = (m: number) => (clock.t = 1e9 + m * MIN);
    expect([a.sessionId(), b.sessionId()]).toEqual(['a1', 'a1']);
    // Tab A has an event every 10 minutes for 40 minutes; tab B has none.
    for (let m = 10; m <= 40; m += 10) {
      at(m);
      expect(a.sessionId()).toBe('a1');
    }
    at(41);
    expect(b.sessionId()).toBe('a1');
    expect(session()).toEqual({ id: 'a1', t: 1e9 + 40 * MIN });
    at(42);
    expect([a.sessionId(), b.sessionId()]).toEqual(['a1', 'a1']);
    expect(session()).toEqual({ id: 'a1', t: 1e9 + 42 * MIN });
    // Both idle over 30 minutes: the first tab back starts the new session, the other joins it.
    at(73);
    expect([b.sessionId(), a.sessionId()]).toEqual(['b2', 'b2']);
    expect(session()).toEqual({ id: 'b2', t: 1e9 + 73 * MIN });
  });
  it('with storage full (nothing written), a tab idle for over 30 minutes keeps its anonymous id; the session is new', () => {
    const kv = memoryKV();
    kv.set = () => false;
    const clock = { t: 1e9, now: () => clock.t, set: () => 0, clear: () => undefined };
    let n = 0;
    const a = createIdentity(kv, clock, 'tt', () => 'u' + ++n);
    expect([a.anonymousId(), a.sessionId()]).toEqual(['u1', 'u2']);
    clock.t += SESSION + MIN;
    expect([a.sessionId(), a.anonymousId(), a.anonymousId()]).toEqual(['u3', 'u1', 'u1']);
  });
});

describe('createIdentity: a sign-out in another tab', () => {
  it('its session removed (the storage event): this tab ends its own, then shares the next; a write is read again', () => {
    const { kv, clock, a, b } = twoTabs();
    expect([a.sessionId(), b.sessionId()]).toEqual(['a1', 'a1']);
    // Another key, or the session written again: nothing ends.
    expect([b.changed({ key: 'tt:aid', newValue: null }), b.sessionId()]).toEqual([undefined, 'a1']);
    expect(b.changed({ key: 'tt:sid', newValue: kv.get('tt:sid') })).toBeFalsy();
    clock.t += MIN;
    a.resetSession();
    expect(kv.get('tt:sid')).toBeNull();
    expect(b.changed({ key: 'tt:sid', newValue: null })).toBe(true);
    // Tab A's next event starts the new session; tab B, told of the write, joins it.
    expect(a.sessionId()).toBe('a2');
    expect(b.changed({ key: 'tt:sid', newValue: kv.get('tt:sid') })).toBeFalsy();
    expect([b.sessionId(), a.sessionId()]).toEqual(['a2', 'a2']);
    // Tab B first: tab A, told of its write, joins its session.
    a.resetSession();
    b.changed({ key: 'tt:sid', newValue: null });
    expect(b.sessionId()).toBe('b3');
    a.changed({ key: 'tt:sid', newValue: kv.get('tt:sid') });
    expect([a.sessionId(), b.sessionId()]).toEqual(['b3', 'b3']);
  });
  it("the other tab's own renewal racing the sign-out (it wrote the old session back before it heard of the removal): neither tab keeps the session that ended", () => {
    const { kv, clock, a, b } = twoTabs();
    expect([a.sessionId(), b.sessionId()]).toEqual(['a1', 'a1']);
    clock.t += 2 * MIN;
    a.resetSession(); // the sign-out in tab A
    // Tab B's event, before the storage event reached it: its renewal writes the old session back.
    expect(b.sessionId()).toBe('a1');
    expect(kv.get('tt:sid')).toContain('a1');
    // Then each tab hears of the other's write.
    b.changed({ key: 'tt:sid', newValue: null });
    a.changed({ key: 'tt:sid', newValue: kv.get('tt:sid') });
    expect(a.sessionId()).not.toBe('a1');
    expect(b.sessionId()).not.toBe('a1');
  });
});

describe('createIdentity: purge', () => {
  it('forgets both stored ids; new ones are drawn, not read back', () => {
    const { id, kv } = setup();
    expect(id.anonymousId()).toBe('u1');
    expect(id.sessionId()).toBe('u2');
    kv.set('tt:other', 'x');
    id.purge();
    expect(kv.keys()).toEqual(['tt:other']);
    // Storage is not read again after a purge (what another tab wrote meanwhile is not taken).
    kv.set('tt:aid', 'theirs');
    kv.set('tt:sid', JSON.stringify({ id: 'theirs', t: 1e9 }));
    expect(id.anonymousId()).toBe('u3');
    expect(id.sessionId()).toBe('u4');
  });

  it('before any read: deletes what is stored and never reads it', () => {
    const kv = memoryKV();
    kv.set('tt:aid', 'stored');
    const { id, calls } = setup(kv);
    id.purge();
    expect(kv.keys()).toEqual([]);
    expect(id.anonymousId()).toBe('u1');
    expect(calls.filter((c) => c.startsWith('get'))).toEqual([]);
  });
});
