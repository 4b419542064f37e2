// Prototype.js 1.6.0.x (still on some old themes) replaces Array.prototype.reduce with a function that
// returns the array itself (or its only item), and Array.from with its $A, which ignores a map function
// and gives [] for an iterator. Options, the queue bound, the queued count, hex digests and the memory
// store's keys must not depend on them: each is a plain loop or a spread.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { realClock } from '../src/browser/clock';
import { parseOptions } from '../src/core/options';
import { createQueue } from '../src/delivery/queue';
import { createRouter, type Destination } from '../src/delivery/router';
import { hex } from '../src/lib/hex';
import { memoryKV } from '../src/lib/kv';

const nativeReduce = Array.prototype.reduce;
const nativeFrom = Array.from;
beforeEach(() => {
  // Prototype.js 1.6.0.3, src/array.js: `Array.from = $A` (array-likes copied by length, no map function).
  Array.from = function (iterable: { length?: number; [i: number]: unknown }) {
    const n = iterable.length || 0;
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out[i] = iterable[i];
    return out;
  } as typeof Array.from;
  // Prototype.js 1.6.0.3, src/array.js: `reduce: function() { return this.length > 1 ? this : this[0]; }`
  Object.defineProperty(Array.prototype, 'reduce', {
    configurable: true,
    writable: true,
    value: function (this: unknown[]) {
      return this.length > 1 ? this : this[0];
    },
  });
});
afterEach(() => {
  Array.from = nativeFrom;
  Object.defineProperty(Array.prototype, 'reduce', {
    configurable: true,
    writable: true,
    value: nativeReduce,
  });
});

describe("a page with Prototype.js 1.6's Array.prototype.reduce and Array.from", () => {
  it('hex digests are hex', () => {
    expect(hex(new Uint8Array([0, 15, 16, 255]))).toBe('000f10ff');
  });

  it('the memory store lists its keys', () => {
    const kv = memoryKV();
    kv.set('a', '1');
    kv.set('b', '2');
    expect(kv.keys()).toEqual(['a', 'b']);
  });

  it('options: layers merge key by key, later ones winning', () => {
    const o = parseOptions(
      undefined,
      { endpoint: 'https://c.example/collect', batchSize: 5 },
      { batchSize: '7' },
    );
    expect(o).toMatchObject({
      endpoint: 'https://c.example/collect',
      batchSize: 7,
      debug: false,
      webVitals: true,
    });
    expect(o.events).toBeUndefined();
  });

  it('the queue evicts beyond its bound', () => {
    const dropped: number[] = [];
    const q = createQueue<number>({
      send: () => new Promise(() => undefined),
      clock: realClock,
      random: () => 0.5,
      limits: { batchSize: 100, flushInterval: 60000 },
      timeout: 30000,
      concurrency: 1,
      changed: () => undefined,
      maxItems: 3,
      report: (kind, items) => void (kind === 'dropped' && dropped.push(...items)),
    });
    for (let i = 1; i <= 5; i++) q.add(i);
    expect(dropped).toEqual([1, 2]);
    expect(q.items()).toEqual([3, 4, 5]);
    q.stop();
  });

  it("the router's queued count adds up every destination's", () => {
    const r = createRouter();
    const dest = (n: number): Destination =>
      ({
        add() {},
        flush: () => Promise.resolve(),
        queued: () => n,
        map() {},
        drop() {},
        consent() {},
        hidden() {},
        shown() {},
        stop() {},
      }) as unknown as Destination;
    r.add(dest(2));
    r.add(dest(3));
    expect(r.queued()).toBe(5);
  });
});
