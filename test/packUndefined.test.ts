/**
 * scripts/packUndefined.mjs, the first packing step of tracker.js's build: every `void 0` terser
 * wrote becomes one variable declared without a value first in the IIFE's body. Here on programs
 * where a wrong name or place shows: scopes that declare the short names gzip would like best, a
 * global read, a directive prologue, `undefined` in defaults, comparisons and closures.
 */
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pack as packOrder } from '../scripts/packOrder.mjs';
import { packUndefined } from '../scripts/packUndefined.mjs';

// As terser leaves it: `e`, `t`, `r` in every scope, `undefined` written `void 0`.
const PROGRAM = [
  '!function(){let e=(e,t=void 0)=>void 0===e?t:e,t=e=>{let t=e;return void 0!==t&&t},',
  'r=[void 0,1,void 0].map((e,t)=>e===void 0?t:e);',
  'function o(e){let t,r=void 0;return[t===r,e??void 0,typeof void 0]}',
  'let n=(e=>(t,r)=>void 0===t?e:r)(void 0);',
  'globalThis.out=[e(),e(void 0,2),e(3),t(void 0),t(0),r,o(),o(5),n(void 0,1),n(1,2),typeof ro,String(void 0)]}();',
].join('');

const run = (code: string): unknown => {
  const box = vm.createContext({ String });
  vm.runInContext(code, box);
  return JSON.parse(JSON.stringify(box.out));
};
const pack = (code: string) => packUndefined().renderChunk(code);
const identifiers = (code: string) => new Set(code.match(/[A-Za-z_$][\w$]*/g));

describe('undefined as one variable (scripts/packUndefined.mjs)', () => {
  it('keeps what the program does, with no `void 0` left and a name no scope had', () => {
    const expected = run(PROGRAM);
    expect(expected).toEqual([
      null,
      2,
      3,
      false,
      0,
      [0, 1, 2],
      [true, null, 'undefined'],
      [true, 5, 'undefined'],
      null,
      2,
      'undefined',
      'undefined',
    ]);
    const out = pack(PROGRAM);
    if (!out) throw new Error('not packed');
    expect(out.code).not.toContain('void 0');
    expect(run(out.code)).toEqual(expected);
    // Declared first, as one more name of the IIFE's first `let`, and a name the program did not have.
    const name = /^!function\(\)\{let ([\w$]+),e=/.exec(out.code)?.[1];
    expect(name).toBeDefined();
    expect(identifiers(PROGRAM).has(name!)).toBe(false);
    // (The most common names would pack best: they were not free.)
    expect(['e', 't', 'r']).not.toContain(name);
  });

  it('packs: the file is smaller, and the same for the same input', () => {
    const a = pack(PROGRAM);
    expect(gzipSync(a!.code, { level: 9 }).length).toBeLessThan(gzipSync(PROGRAM, { level: 9 }).length);
    expect(pack(PROGRAM)!.code).toBe(a!.code);
  });

  it('declares it after a directive prologue, and before a first statement that runs', () => {
    const code = '!function(){"use strict";globalThis.out=[void 0===void 0,void 0];let e=1}();';
    const out = pack(code)!;
    expect(out.code.startsWith('!function(){"use strict";let ')).toBe(true);
    expect(run(out.code)).toEqual(run(code));
  });

  it('does not use a name the file reads as a global', () => {
    // Every free name of one character but `q` is declared, and `q` is a global the program reads.
    const taken = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$'].filter((c) => c != 'q');
    const code = `!function(){let ${taken.map((c) => c + '=1').join(',')};globalThis.out=[typeof q,void 0===void 0]}();`;
    const out = pack(code)!;
    const name = /^!function\(\)\{let ([\w$]+),/.exec(out.code)?.[1];
    expect(name).not.toBe('q');
    expect(name).toHaveLength(2);
    expect(run(out.code)).toEqual(['undefined', true]);
  });

  it('no read before the declaration, also once the order step moves declarations (40 walks)', () => {
    // The first statement runs nothing (a function), a statement that runs reads `undefined` early,
    // and later `let`s read it: its declaration must stay before the first.
    const code =
      '!function(){function f(){return a}let t=[1];t.push(void 0===1);' +
      'let a=void 0,b=void 0===a;globalThis.out=[f(),t,b]}();';
    const expected = run(code);
    expect(expected).toEqual([null, [1, false], true]);
    const out = pack(code)!;
    expect(out.code).toMatch(/^!function\(\)\{let [\w$]+;function f/);
    for (let seed = 1; seed <= 40; seed++) {
      const moved = packOrder(out.code, { walk: true, seed, iterations: 200 }).code;
      expect(run(moved), moved).toEqual(expected);
    }
  });

  it('declares it as the first name of a first `let` written without a space', () => {
    const code = '!function(){let{a:e}={a:void 0};globalThis.out=[e===void 0]}();';
    const out = pack(code)!;
    expect(out.code).toMatch(/^!function\(\)\{let [\w$]+,\{a:e\}=/);
    expect(run(out.code)).toEqual([true]);
  });

  it('refuses `eval` and `with` (a name may be read from where no scope shows)', () => {
    expect(() => pack('!function(){let e=void 0;eval("e")}();')).toThrow('eval or with');
  });

  it('leaves a file without `void 0` as it is, and refuses one that is not one IIFE', () => {
    expect(pack('!function(){globalThis.out=1}();')).toBeNull();
    expect(() => pack('let a=void 0;globalThis.out=a;')).toThrow('not one IIFE');
  });

  it('leaves a file as it is when the variable would not make it smaller (one `void 0`)', () => {
    // `let a;` (6 characters) for one `void 0` written `a` (5 fewer): larger, raw and in gzip.
    const code = '!function(){globalThis.out=[void 0]}();';
    const written = '!function(){let a;globalThis.out=[a]}();';
    expect(gzipSync(written, { level: 9 }).length).toBeGreaterThan(gzipSync(code, { level: 9 }).length);
    expect(run(written)).toEqual(run(code));
    expect(pack(code)).toBeNull();
  });

  it("leaves a `void 0` outside the function's body as it is (its parameters, the call's arguments)", () => {
    // The declaration is in the body: a parameter's default and the call's argument cannot read it.
    const body = Array.from({ length: 30 }, (_, i) => `x${i}=void 0===a?${i}:void 0`).join(',');
    const code = `!function(a,q=void 0){let ${body};globalThis.out=[a,q,x0,x29,void 0]}(void 0);`;
    const out = pack(code)!;
    expect(out.code).toMatch(/^!function\(a,q=void 0\)\{let [\w$]+,x0=/);
    expect(out.code.endsWith('}(void 0);')).toBe(true);
    expect(out.code.match(/void 0/g)).toHaveLength(2);
    expect(run(out.code)).toEqual(run(code));
  });
});
