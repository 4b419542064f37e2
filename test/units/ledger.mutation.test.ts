// The order ledger (src/pipeline/ledger.ts): which deterministic message ids were sent, in memory and
// in storage. Written to kill its mutants (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { memoryKV } from '../../src/lib/kv';
import { createLedger } from '../../src/pipeline/ledger';

const stored = (kv: ReturnType<typeof memoryKV>, key = 'tt:sent') =>
  JSON.parse(kv.get(key) as string) as unknown;

describe('createLedger', () => {
  it('says an id is fresh once, and keeps it in memory only without store', () => {
    const kv = memoryKV();
    const l = createLedger(kv, 'tt');
    expect(l.fresh('tt-oc-1', false)).toBe(true);
    expect(l.fresh('tt-oc-1', false)).toBe(false);
    expect(l.fresh('tt-oc-1', true)).toBe(false);
    expect(kv.keys()).toEqual([]);
    expect(l.fresh('tt-oc-2', false)).toBe(true);
  });

  it('stores an id under <prefix>:sent with store, where another page (tab, reload) sees it', () => {
    const kv = memoryKV();
    expect(createLedger(kv, 'x').fresh('tt-oc-1', true)).toBe(true);
    expect(kv.keys()).toEqual(['x:sent']);
    expect(stored(kv, 'x:sent')).toEqual(['tt-oc-1']);
    const other = createLedger(kv, 'x');
    expect(other.fresh('tt-oc-1', true)).toBe(false);
    expect(other.fresh('tt-oc-2', true)).toBe(true);
    expect(stored(kv, 'x:sent')).toEqual(['tt-oc-1', 'tt-oc-2']);
    expect(createLedger(kv, 'y').fresh('tt-oc-1', true)).toBe(true); // another prefix, another ledger
  });

  it('remembers the last 100 stored ids, oldest out first', () => {
    const kv = memoryKV();
    const l = createLedger(kv, 'tt');
    for (let i = 0; i < 105; i++) l.fresh('id' + i, true);
    const list = stored(kv) as string[];
    expect(list).toHaveLength(100);
    expect(list[0]).toBe('id5');
    expect(list[99]).toBe('id104');
    // This page still knows the five that left storage; another page does not.
    expect(l.fresh('id0', true)).toBe(false);
    expect(createLedger(kv, 'tt').fresh('id0', true)).toBe(true);
    expect(createLedger(kv, 'tt').fresh('id6', true)).toBe(false);
  });

  it('reads a missing, corrupt or non-list value as no id', () => {
    for (const bad of ['{', '{"0":"a"}', '"a"', 'null']) {
      const kv = memoryKV();
      kv.set('tt:sent', bad);
      const l = createLedger(kv, 'tt');
      expect(l.fresh('a', true)).toBe(true);
      expect(stored(kv)).toEqual(['a']);
    }
  });

  it('persist() adds the ids kept in memory to the stored ones, each once', () => {
    const kv = memoryKV();
    createLedger(kv, 'tt').fresh('b', true);
    const l = createLedger(kv, 'tt');
    l.persist(); // nothing of its own yet: no write
    expect(stored(kv)).toEqual(['b']);
    expect(l.fresh('a', false)).toBe(true);
    expect(l.fresh('c', false)).toBe(true);
    expect(stored(kv)).toEqual(['b']);
    l.persist();
    expect(stored(kv)).toEqual(['b', 'a', 'c']);
    l.persist();
    expect(stored(kv)).toEqual(['b', 'a', 'c']);
  });

  it('persist() writes nothing when this page recorded no id', () => {
    const kv = memoryKV();
    createLedger(kv, 'tt').persist();
    expect(kv.keys()).toEqual([]);
  });

  it('persist() keeps the last 100', () => {
    const kv = memoryKV();
    const l = createLedger(kv, 'tt');
    for (let i = 0; i < 120; i++) l.fresh('id' + i, false);
    l.persist();
    const list = stored(kv) as string[];
    expect(list).toHaveLength(100);
    expect(list[0]).toBe('id20');
  });

  it('purge() forgets the stored ids only (this page still remembers its own)', () => {
    const kv = memoryKV();
    kv.set('tt:other', '1');
    const l = createLedger(kv, 'tt');
    l.fresh('a', true);
    l.purge();
    expect(kv.keys()).toEqual(['tt:other']);
    expect(l.fresh('a', true)).toBe(false);
    expect(createLedger(kv, 'tt').fresh('a', true)).toBe(true);
  });
});
