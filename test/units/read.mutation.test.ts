// The readers of untrusted payloads (src/lib/read.ts) and the JSON helpers (src/lib/json.ts): clean
// values or undefined, never a throw, UTF-8 counted exactly. Written to kill their mutants
// (`npm run mutation`, docs/mutation.md).
import { afterEach, describe, expect, it } from 'vitest';
import { count, curOf, get, list, money, num, str, whole } from '../../src/lib/read';
import { createJsonCache, stringify, utf8Cut, utf8Length } from '../../src/lib/json';

describe('get', () => {
  it('reads own and inherited keys of objects and arrays only', () => {
    expect(get({ a: 1 }, 'a')).toBe(1);
    expect(get(Object.create({ a: 2 }) as object, 'a')).toBe(2);
    expect(get([5, 6], 1)).toBe(6);
    expect(get('abc', 'length')).toBeUndefined();
    expect(get(null, 'a')).toBeUndefined();
    expect(get(0, 'a')).toBeUndefined();
  });

  it('never reads __proto__, constructor or prototype', () => {
    for (const k of ['__proto__', 'constructor', 'prototype'])
      expect(get({ [k]: 1, prototype: 1 }, k)).toBeUndefined();
    expect(get({}, '__proto__')).toBeUndefined();
    expect(get({}, 'constructor')).toBeUndefined();
  });

  it('gives undefined for a throwing getter', () => {
    const o = Object.defineProperty({}, 'x', {
      get() {
        throw new Error('x');
      },
    });
    expect(get(o, 'x')).toBeUndefined();
  });
});

describe('str, num, money, count, curOf, list', () => {
  it('str: trimmed, bounded, from strings and finite numbers', () => {
    expect(str(' a ')).toBe('a');
    expect(str('   ')).toBeUndefined();
    expect(str('abcdef', 3)).toBe('abc');
    expect(str(12.5)).toBe('12.5');
    expect(str(NaN)).toBeUndefined();
    expect(str(true)).toBeUndefined();
  });

  it('num: numbers and numeric strings (thousands commas), else undefined', () => {
    expect(num('1,200.5')).toBe(1200.5);
    expect(num(' 12.50 ')).toBe(12.5);
    expect(num(' ')).toBeUndefined();
    expect(num('')).toBeUndefined();
    expect(num('abc')).toBeUndefined();
    expect(num({})).toBeUndefined();
    expect(num(Infinity)).toBeUndefined();
    expect(num(-3)).toBe(-3);
  });

  it('money: rounded to 4 decimals, also from {amount}', () => {
    expect(money({ amount: '12.345678' })).toBe(12.3457);
    expect(money(1.00005)).toBe(1.0001);
    expect(money({ amount: 'x' })).toBeUndefined();
    expect(money(2e15 + 0.5)).toBe(2e15 + 0.5);
  });

  it('count: whole numbers from 0, at most 1e9', () => {
    expect(count(0)).toBe(0);
    expect(count('7.9')).toBe(7);
    expect(count(-1)).toBeUndefined();
    expect(count(-0.5)).toBeUndefined();
    expect(count(5e12)).toBe(1e9);
  });

  it('whole: whole numbers from 0, however large', () => {
    expect(whole(0)).toBe(0);
    expect(whole('7.9')).toBe(7);
    expect(whole(-1)).toBeUndefined();
    expect(whole(-0.5)).toBeUndefined();
    expect(whole('x')).toBeUndefined();
    expect(whole(5e12)).toBe(5e12);
  });

  it('curOf: the object currency (upper-cased ISO code), else the default', () => {
    expect(curOf({ currency: 'sar' }, 'USD')).toBe('SAR');
    expect(curOf({ currency: { code: 'kwd' } })).toBe('KWD');
    expect(curOf({ currency: 'riyal' }, 'USD')).toBe('USD');
    expect(curOf(undefined)).toBeUndefined();
  });

  it('list: the first 100 items of an array, holes left out; anything else, even a revoked proxy, is empty', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(list([1, , 3])).toStrictEqual([1, 3]);
    expect(list(Array.from({ length: 150 }, (_, i) => i))).toHaveLength(100);
    expect(list({ length: 2, 0: 'a', 1: 'b' })).toStrictEqual([]);
    const { proxy, revoke } = Proxy.revocable([1], {});
    revoke();
    expect(list(proxy)).toStrictEqual([]);
  });
});

describe('UTF-8 lengths and cuts', () => {
  it('counts 1 byte to U+007F, 2 to U+07FF, 3 above, 4 for a surrogate pair', () => {
    expect(utf8Length('a\x7f')).toBe(2);
    expect(utf8Length('\x7fé')).toBe(3);
    expect(utf8Length('\u0080')).toBe(2);
    expect(utf8Length('\u07ff')).toBe(2);
    expect(utf8Length('\u0800')).toBe(3);
    expect(utf8Length('€a')).toBe(4);
    expect(utf8Length('😀')).toBe(4);
    expect(utf8Length('a😀b')).toBe(6);
  });

  it('cuts at whole characters, never half a surrogate pair', () => {
    expect(utf8Cut('abc', 2)).toBe('ab');
    expect(utf8Cut('aé', 2)).toBe('a');
    expect(utf8Cut('ab😀', 5)).toBe('ab');
    expect(utf8Cut('ab😀', 6)).toBe('ab😀');
    expect(utf8Cut('😀ab', 100)).toBe('😀ab');
  });
});

describe('stringify and the JSON cache', () => {
  const saved = Object.getOwnPropertyDescriptor(Array.prototype, 'toJSON');
  afterEach(() => {
    if (!saved) delete (Array.prototype as { toJSON?: unknown }).toJSON;
  });

  it('ignores a toJSON a page gave Array.prototype (Prototype.js)', () => {
    expect(stringify({ a: [1, 'x'], d: new Date(0) })).toBe('{"a":[1,"x"],"d":"1970-01-01T00:00:00.000Z"}');
    Object.defineProperty(Array.prototype, 'toJSON', {
      configurable: true,
      // (Prototype.js 1.6: the array's own JSON text, which JSON.stringify then writes as a string)
      value(this: unknown[]) {
        return '[' + this.join(',') + ']';
      },
    });
    expect(JSON.stringify({ a: [1] })).toBe('{"a":"[1]"}');
    expect(stringify({ a: [1, 'x'], b: { c: [2] } })).toBe('{"a":[1,"x"],"b":{"c":[2]}}');
  });

  it('writes an object once, again when asked; its object context last; a context that is no object as it is', () => {
    const json = createJsonCache();
    const o: Record<string, unknown> = { a: 1, context: { b: 2 }, c: 3 };
    expect(json(o)).toBe('{"a":1,"c":3,"context":{"b":2}}');
    o.c = 4;
    expect(json(o)).toBe('{"a":1,"c":3,"context":{"b":2}}');
    expect(json(o, true)).toBe('{"a":1,"c":4,"context":{"b":2}}');
    expect(o.context).toStrictEqual({ b: 2 });
    expect(json({ a: 1 })).toBe('{"a":1}');
    expect(json({ a: 1, context: 'x' })).toBe('{"a":1,"context":"x"}');
    expect(json({ a: 1, context: null })).toBe('{"a":1,"context":null}');
  });
});
