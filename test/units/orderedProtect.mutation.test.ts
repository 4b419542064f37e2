// PII protection in order (src/pipeline/orderedProtect.ts): events keep their order while identity
// fields are hashed asynchronously. Written to kill its mutants (`npm run mutation`, docs/mutation.md).
import { describe, expect, it, vi } from 'vitest';
import { createOrderedProtect, type Pair } from '../../src/pipeline/orderedProtect';
import type { PiiPolicy } from '../../src/types';
import type { TrackerEvent } from '../../src/schema';

const ev = (event: string, properties: Record<string, unknown> = {}) =>
  ({ type: 'track', event, properties }) as unknown as TrackerEvent;
const name = (p: Pair) => (p.safe as { event: string }).event;

/** sha256 answering when `release()` is called (all at once), or at once with `instant`. */
function hasher() {
  const waiting: Array<() => void> = [];
  const calls: string[] = [];
  const sha256 = (s: string) =>
    new Promise<string | undefined>((r) => {
      calls.push(s);
      waiting.push(() => r('h(' + s + ')'));
    });
  const release = () => waiting.splice(0).forEach((w) => w());
  return { sha256, release, calls };
}

const flushMicrotasks = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('createOrderedProtect', () => {
  it('hands an event without identity fields on synchronously, as the same object for both copies', () => {
    const h = hasher();
    const o = createOrderedProtect(
      () => 'hash',
      h.sha256,
      () => undefined,
    );
    const got: Pair[] = [];
    const e = ev('A', { x: 1 });
    o.run(e, (p) => void got.push(p));
    expect(got).toHaveLength(1);
    expect(got[0]?.safe).toBe(e);
    expect(got[0]?.raw).toBe(e);
    expect(h.calls).toEqual([]);
  });

  it('an event with identity fields waits for its hash; the events after it wait their turn', async () => {
    const h = hasher();
    const o = createOrderedProtect(
      () => 'hash',
      h.sha256,
      () => undefined,
    );
    const got: string[] = [];
    const safe: Pair[] = [];
    const next = (p: Pair) => void (got.push(name(p)), safe.push(p));
    o.run(ev('Signed In', { email: 'A@x.com' }), next);
    o.run(ev('B'), next);
    o.run(ev('C', { phone: '+966 50 123 4567' }), next);
    o.run(ev('D'), next);
    expect(got).toEqual([]);
    let idle = false;
    const i = o.idle().then(() => (idle = true));
    await flushMicrotasks();
    expect(idle).toBe(false);
    h.release();
    await flushMicrotasks();
    h.release();
    await i;
    expect(got).toEqual(['Signed In', 'B', 'C', 'D']);
    expect(safe[0]?.safe.properties).toEqual({ email_sha256: 'h(a@x.com)' });
    expect(safe[0]?.raw.properties).toEqual({ email: 'A@x.com' });
    expect(safe[2]?.safe.properties).toEqual({ phone_sha256: 'h(+966501234567)' });
    // The chain is empty again: an event without identity fields passes at once.
    o.run(ev('E'), next);
    expect(got).toEqual(['Signed In', 'B', 'C', 'D', 'E']);
  });

  it('reads the policy when the event is protected', async () => {
    let policy: PiiPolicy = 'hash';
    const h = hasher();
    const o = createOrderedProtect(
      () => policy,
      h.sha256,
      () => undefined,
    );
    const got: Pair[] = [];
    o.run(ev('A', { email: 'a@x.com' }), (p) => void got.push(p));
    policy = 'drop';
    await o.idle();
    expect(got[0]?.safe.properties).toEqual({});
    expect(h.calls).toEqual([]);
  });

  it('a failure drops that event only, logs it, and later events still flow', async () => {
    const log = vi.fn();
    const o = createOrderedProtect(
      () => 'hash',
      async () => 'h',
      log,
    );
    const got: string[] = [];
    o.run(ev('Bad', { email: 'a@x.com' }), () => {
      throw new Error('boom');
    });
    o.run(ev('After'), (p) => void got.push(name(p)));
    await o.idle();
    expect(got).toEqual(['After']);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[0]).toBe('dropped "Bad"');
    expect((log.mock.calls[0]?.[1] as Error).message).toBe('boom');
    o.run(ev('Sync'), (p) => void got.push(name(p)));
    expect(got).toEqual(['After', 'Sync']);
  });

  it('a rejected hash drops that event only', async () => {
    const log = vi.fn();
    let n = 0;
    const o = createOrderedProtect(
      () => 'hash',
      async (s) => {
        if (n++ === 0) throw new Error('no crypto');
        return 'h:' + s;
      },
      log,
    );
    const got: Pair[] = [];
    o.run(ev('A', { email: 'a@x.com' }), (p) => void got.push(p));
    o.run(ev('B', { email: 'b@x.com' }), (p) => void got.push(p));
    await o.idle();
    expect(got.map(name)).toEqual(['B']);
    expect(got[0]?.safe.properties).toEqual({ email_sha256: 'h:b@x.com' });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('the chain ends only after the last event: one added while it runs keeps its turn', async () => {
    const h = hasher();
    const o = createOrderedProtect(
      () => 'hash',
      h.sha256,
      () => undefined,
    );
    const got: string[] = [];
    const next = (p: Pair) => void got.push(name(p));
    o.run(ev('A', { email: 'a@x.com' }), next);
    o.run(ev('B', { email: 'b@x.com' }), next);
    await flushMicrotasks();
    h.release(); // A's hash
    await flushMicrotasks();
    expect(got).toEqual(['A']);
    o.run(ev('C'), next); // B still waits: C goes after it
    expect(got).toEqual(['A']);
    h.release();
    await o.idle();
    expect(got).toEqual(['A', 'B', 'C']);
  });

  it('idle() resolves at once when nothing waits', async () => {
    const o = createOrderedProtect(
      () => 'hash',
      async () => 'h',
      () => undefined,
    );
    await expect(o.idle()).resolves.toBeUndefined();
  });
});
