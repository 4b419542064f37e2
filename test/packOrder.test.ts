/**
 * scripts/packOrder.mjs, the last step of tracker.js's build: it moves declarations for gzip. The
 * rules must keep what the code does, whatever order the search lands on: here every allowed move
 * is taken (`walk`), from many seeds, on a program where each wrong move shows (a name read before
 * it is made throws; a value read before it is assigned again, or a property before it is set,
 * differs; of a function declared twice, the last one counts). And the shipped file's
 * source map must still lead each piece of text to where it came from in `src/`.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { TraceMap, originalPositionFor, sourceContentFor } from '@jridgewell/trace-mapping';
import * as acorn from 'acorn';
import { describe, expect, it } from 'vitest';
import { pack } from '../scripts/packOrder.mjs';

// Minified as terser leaves it: one IIFE, `let` runs, no `;` before `}`.
const PROGRAM = [
  '!function(){let o=[];',
  'function h(x){o.push("h"+x+M.v)}', // hoisted; reads M when called
  'let M={v:1,f:()=>N},W=()=>o.length;', // made without running anything: may move, but not after h(1)
  'h(1);', // runs: needs M
  'let N="n",P=M,c=0;', // P reads M: after it
  'c=c+1;', // assigns c again
  'let Q=c,R=[N,P.v];', // Q reads c, which is assigned again: Q stays where it is
  'function k(){let a=()=>1,b=()=>a()+1;function d(){return b()+e}let e=5,g=()=>d();return g()}', // an inner body
  'let C={};C.x=2;let{x:X}=C;', // a pattern reads C's properties as it runs: it stays after C.x=2
  'function z(){return 1}function y(){return z()}function z(){return 2}', // declared twice: the last wins
  'o.push(M.f(),R.join(),Q,k(),W(),X,y());',
  'let S=()=>T,T="t";',
  'globalThis.out=o.concat(S())}();',
].join('');

const run = (code: string): unknown => {
  const box = vm.createContext({});
  vm.runInContext(code, box);
  return JSON.parse(JSON.stringify(box.out));
};

describe('the packed declaration order (scripts/packOrder.mjs)', () => {
  it('keeps what the program does, from 40 random walks over the allowed orders', () => {
    const expected = run(PROGRAM);
    expect(expected).toEqual(['h11', 'n', 'n,1', 1, 7, 1, 2, 2, 't']);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const { code } = pack(PROGRAM, { walk: true, seed, iterations: 200, inner: 50 });
      expect(run(code), code).toEqual(expected);
      seen.add(code);
    }
    // The walks did move things (else this test would say nothing): many distinct orders.
    expect(seen.size).toBeGreaterThan(20);
  });

  it('moves only what may move: a statement that runs, and a read of a name assigned again, stay in order', () => {
    const runs = ['h(1)', 'c=c+1', 'Q=c', 'o.push(M.f()', 'globalThis.out'];
    for (let seed = 1; seed <= 40; seed++) {
      const { code } = pack(PROGRAM, { walk: true, seed, iterations: 200, inner: 50 });
      const at = runs.map((s) => code.indexOf(s));
      expect(at.every((x) => x > 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      // `M` is made before `h(1)` runs, as it was.
      expect(code.indexOf('M={')).toBeLessThan(code.indexOf('h(1)'));
    }
  });

  it('packs: the search gives a file no larger, the same for the same seed', () => {
    const a = pack(PROGRAM, { iterations: 300, inner: 50 });
    const b = pack(PROGRAM, { iterations: 300, inner: 50 });
    expect(a.after).toBeLessThanOrEqual(a.before);
    expect(b.code).toBe(a.code);
    expect(run(a.code)).toEqual(run(PROGRAM));
  });

  it('keeps what it found per input, and searches again past a cache file that is not its own', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tt-pack-'));
    try {
      const first = pack(PROGRAM, { ...{ iterations: 300, inner: 50 }, cache: dir });
      const [file] = readdirSync(dir);
      expect(file).toMatch(/^order-[0-9a-f]{32}\.json$/);
      expect(pack(PROGRAM, { ...{ iterations: 300, inner: 50 }, cache: dir }).code).toBe(first.code);
      // (Not JSON, not an order, and one unit twice: a declaration would be lost.)
      const own = JSON.parse(readFileSync(path.join(dir, file!), 'utf8')) as number[][];
      const twice = own.map((o, k) => (k ? o : [o[0], ...o.slice(0, -1)]));
      for (const bad of ['{', '[]', '[[0,0]]', '"x"', JSON.stringify(twice)]) {
        writeFileSync(path.join(dir, file!), bad);
        expect(pack(PROGRAM, { ...{ iterations: 300, inner: 50 }, cache: dir }).code).toBe(first.code);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps what programs with the harder statements do: `var` declared twice, labels, classes, `if` without a block, `for (;;);`, a directive', () => {
    const programs = [
      // A `var` declared again assigns it again: `P` reads the second one.
      [
        '!function(){var x=1;g();var x=2;let P=x;function g(){}let a=()=>1,b=()=>2;globalThis.out=[P,a(),b()]}();',
        [2, 1, 2],
      ],
      // A function, then a `var` of its name: `P` reads the number.
      [
        '!function(){function x(){}g();var x=2;let P=typeof x;function g(){}let a=()=>1;globalThis.out=[P,a()]}();',
        ['number', 1],
      ],
      // A labelled loop, a class, `if` without a block (its text ends with `}`), `for (;;);`.
      [
        '!function(){let o=[],a=()=>1;e:for(let i=0;i<3;i++){if(i==1)continue e;o.push(i)}let b=()=>2;class K{m(){return 3}}' +
          'let c=()=>new K().m();if(o.length)o.x={};for(let j=0;j<1;j++);let d=()=>4;globalThis.out=[o,a(),b(),c(),d()];if(!o)o={}}();',
        [[0, 2], 1, 2, 3, 4],
      ],
      // A function declared twice, also named as a parameter: the last one wins.
      [
        '!function(){function g(a){function a(){return 1}let b=()=>0,c=()=>0;function a(){return 2}return a()+b()+c()}globalThis.out=[g(0)]}();',
        [2],
      ],
      // A directive stays first: `this` in a plain call stays undefined.
      [
        '!function(){"use strict";function f(){return typeof this}let a=()=>1,b=()=>2;globalThis.out=[f(),a(),b()]}();',
        ['undefined', 1, 2],
      ],
    ] as const;
    for (const [program, expected] of programs) {
      expect(run(program)).toEqual(expected);
      for (let seed = 1; seed <= 30; seed++) {
        const { code } = pack(program, { walk: true, seed, iterations: 100, inner: 20 });
        expect(run(code), code).toEqual(expected);
      }
    }
  });

  it('refuses a function declared in a block (in a classic script it also assigns the name around it)', () => {
    expect(() =>
      pack('!function(){function f(){return 1}if(!0){function f(){return 2}}let P=f;globalThis.out=P()}();'),
    ).toThrow(/a function declared in a block/);
  });

  it('refuses a file that is not one IIFE', () => {
    expect(() => pack('let a=1;a++')).toThrow(/not one IIFE/);
  });
});

// (Both packed files; tracker-vitals.js holds web-vitals' code, whose map leads to node_modules.)
for (const [file, least] of [
  ['tracker.js', 300],
  ['tracker-vitals.js', 15],
] as const) {
  const built = new URL(`../dist/${file}`, import.meta.url);
  describe.skipIf(!existsSync(built))(`dist/${file} (built; \`npm test\` builds first)`, () => {
    it('its source map leads every string of the packed file to the same string in its source', () => {
      const code = readFileSync(built, 'utf8');
      const map = new TraceMap(readFileSync(new URL(`../dist/${file}.map`, import.meta.url), 'utf8'));
      const strings: { value: string; start: number }[] = [];
      const visit = (n: unknown): void => {
        if (!n || typeof n != 'object') return;
        if (Array.isArray(n)) return n.forEach(visit);
        const node = n as { type?: string; value?: unknown; start: number };
        if (node.type == 'Literal' && typeof node.value == 'string' && node.value.length >= 4)
          strings.push({ value: node.value, start: node.start });
        for (const v of Object.values(n)) if (v && typeof v == 'object') visit(v);
      };
      visit(acorn.parse(code, { ecmaVersion: 2022 }));
      expect(code.includes('\n')).toBe(false); // (one line: a column is a position)
      expect(strings.length).toBeGreaterThan(least);
      const wrong = strings.filter(({ value, start }) => {
        const o = originalPositionFor(map, { line: 1, column: start });
        const line = (o.source && sourceContentFor(map, o.source)?.split('\n')[(o.line ?? 0) - 1]) || '';
        // (terser may change the quotes: the string's text follows its opening quote)
        return !line.slice((o.column ?? 0) + 1).startsWith(value.slice(0, 12));
      });
      expect(wrong).toEqual([]);
    });
  });
}
