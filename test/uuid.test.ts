import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuid } from '../src/browser/uuid';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it("is the browser's crypto.randomUUID(), one call per id", () => {
    const spy = vi.spyOn(crypto, 'randomUUID');
    const ids = Array.from({ length: 10000 }, uuid);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(10000);
    expect(spy).toHaveBeenCalledTimes(10000);
    expect(ids[0]).toBe(spy.mock.results[0]?.value);
  });

  it('gives distinct v4 ids from Math.random where randomUUID throws (an insecure context) or Web Crypto is absent', () => {
    vi.spyOn(crypto, 'randomUUID').mockImplementation(() => {
      throw new TypeError('crypto.randomUUID is not a function');
    });
    const random = vi.spyOn(Math, 'random');
    const ids = Array.from({ length: 2000 }, uuid);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(2000);
    expect(random).toHaveBeenCalled();
    vi.stubGlobal('crypto', undefined);
    expect(uuid()).toMatch(V4);
  });
});
