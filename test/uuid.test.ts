import { afterEach, describe, expect, it, vi } from 'vitest';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('gives distinct RFC 4122 v4 ids across pool refills', async () => {
    const { uuid } = await import('../src/browser/uuid');
    const ids = Array.from({ length: 10000 }, uuid);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(10000);
  });

  it('draws its bytes from crypto.getRandomValues, 256 ids per call', async () => {
    const spy = vi.spyOn(crypto, 'getRandomValues');
    const { uuid } = await import('../src/browser/uuid');
    for (let i = 0; i < 512; i++) uuid();
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });

  it('falls back to Math.random for good when getRandomValues fails, never reusing old bytes', async () => {
    const real = crypto.getRandomValues.bind(crypto);
    let calls = 0;
    const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation(((a: Uint8Array) => {
      if (++calls > 1) throw new Error('no entropy');
      return real(a);
    }) as typeof crypto.getRandomValues);
    const { uuid } = await import('../src/browser/uuid');
    const ids = Array.from({ length: 1000 }, uuid);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(1000);
    expect(calls).toBe(2);
    spy.mockRestore();
  });

  it('still gives v4 ids without Web Crypto', async () => {
    vi.stubGlobal('crypto', undefined);
    const { uuid } = await import('../src/browser/uuid');
    const ids = Array.from({ length: 100 }, uuid);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(100);
  });
});
