import { afterEach, describe, expect, it, vi } from 'vitest';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A fresh copy of the module (its pool is module state). */
const fresh = async () => {
  vi.resetModules();
  return (await import('../src/browser/uuid')).uuid;
};

describe('uuid', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('takes no random bytes at load, then 1 KB of Web Crypto per 64 ids, each id its own 16 bytes', async () => {
    const spy = vi.spyOn(crypto, 'getRandomValues');
    const uuid = await fresh();
    expect(spy).not.toHaveBeenCalled();
    const ids = Array.from({ length: 10000 }, uuid);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(10000);
    expect(spy).toHaveBeenCalledTimes(Math.ceil(10000 / 64));
    // The first id is the first 16 bytes of the first pool, with the version and variant bits set.
    const b = spy.mock.results[0]?.value as Uint8Array;
    const hex = [...b.slice(0, 16)]
      .map((x, i) => (i == 6 ? (x & 15) | 64 : i == 8 ? (x & 63) | 128 : x))
      .map((x) => (x + 256).toString(16).slice(1))
      .join('');
    expect(ids[0]!.replace(/-/g, '')).toBe(hex);
    expect(ids[1]!.replace(/-/g, '')).not.toBe(hex);
  });

  it('gives every hex digit in every free position (no bias from the version and variant bits)', async () => {
    const uuid = await fresh();
    const seen = Array.from({ length: 36 }, () => new Set<string>());
    for (let n = 0; n < 3000; n++) [...uuid()].forEach((c, i) => seen[i]!.add(c));
    seen.forEach((s, i) =>
      expect(s.size, 'position ' + i).toBe([8, 13, 18, 23].includes(i) ? 1 : i == 14 ? 1 : i == 19 ? 4 : 16),
    );
  });

  it('gives distinct v4 ids from Math.random where Web Crypto is absent or throws', async () => {
    vi.stubGlobal('crypto', undefined);
    const random = vi.spyOn(Math, 'random');
    let uuid = await fresh();
    const ids = Array.from({ length: 2000 }, uuid);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(2000);
    expect(random).toHaveBeenCalledTimes(2000 * 16);
    vi.unstubAllGlobals();
    const thrower = vi.spyOn(crypto, 'getRandomValues').mockImplementation(() => {
      throw new Error('QuotaExceededError');
    });
    uuid = await fresh();
    const more = Array.from({ length: 200 }, uuid);
    for (const id of more) expect(id).toMatch(V4);
    expect(new Set(more).size).toBe(200);
    // Tried once, not once per id (a throw costs more than the id).
    expect(thrower).toHaveBeenCalledTimes(1);
  });
});
