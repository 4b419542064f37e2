/**
 * scripts/packNames.mjs, after scripts/packOrder.mjs in tracker.js's build: it renames a scope's
 * variables for gzip (swaps two names, or moves one to a name its scope does not have). No rename may
 * make a name hide another or be hidden: here every allowed one is taken (`walk`), from many seeds,
 * on programs where a wrong one shows (a closure reading an inner variable, a global read through a
 * scope and a local of its name elsewhere, a shorthand property's key, a parameter's default reading
 * another, an unused parameter before a used one, a catch parameter, a loop's own variable). The
 * result is also checked by the module itself (the same syntax tree but for the names, each read
 * resolving as before, as many variables in each scope).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as acorn from 'acorn';
import { minify } from 'terser';
import { pack } from '../scripts/packNames.mjs';

// Minified as terser leaves it: short names, reused from scope to scope.
const PROGRAM = [
  '!function(){let e=1,t=2,r=3,o=[];',
  'function n(e,t=e+1){let r=e*10;return()=>r+t+i}', // a closure over an inner r and the outer i
  'let i=100,a=n(4);', // (i is read inside n's closure: only once a() runs)
  'function s(t,r){try{throw t}catch(e){return{e,t,r}}}', // shorthand keys: e, t and r stay
  'let l=(e)=>{let t=0;for(let r=0;r<e;r++)t+=r;return t};',
  'let c=(t)=>Math.max(t,r)+e;', // globals (Math) and outer names read through an inner scope
  'o.push(a(),JSON.stringify(s(5,6)),l(4),c(2),e+t+r);',
  'globalThis.out=o}();',
].join('');

const run = (code: string, page: object = {}): unknown => {
  const box = vm.createContext({ Math, JSON, ...page });
  vm.runInContext(code, box);
  return JSON.parse(JSON.stringify(box.out));
};

describe('the packed names (scripts/packNames.mjs)', () => {
  it('keeps what the program does, from 40 random walks over the allowed renames', () => {
    const expected = run(PROGRAM);
    expect(expected).toEqual([145, '{"e":5,"t":5,"r":6}', 6, 4, 6]);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const { code } = pack(PROGRAM, { walk: true, seed, iterations: 300 });
      expect(run(code), code).toEqual(expected);
      seen.add(code);
    }
    // The walks did rename (else this test would say nothing): many distinct files.
    expect(seen.size).toBeGreaterThan(20);
  });

  it('moves a variable to a name its scope did not have (half the tries; `moves: 0`, swaps only, never does)', () => {
    // The names each scope declares, all scopes together: swaps keep them, moves do not.
    const declared = (code: string) => {
      const out: string[] = [];
      const visit = (n: unknown): void => {
        if (!n || typeof n != 'object') return;
        if (Array.isArray(n)) return n.forEach(visit);
        const node = n as Record<string, unknown> & { type?: string };
        const id = (x: unknown) => {
          const i = x as { type?: string; name?: string; left?: unknown } | null;
          if (i?.type == 'Identifier') out.push(i.name!);
          if (i?.type == 'AssignmentPattern') id(i.left);
        };
        if (node.type == 'VariableDeclarator') id(node.id);
        if (node.type == 'CatchClause') id(node.param);
        if (/Function/.test(node.type ?? '')) [node.id, ...(node.params as unknown[])].forEach(id);
        for (const v of Object.values(node)) visit(v);
      };
      visit(acorn.parse(code, { ecmaVersion: 2022 }));
      return out.sort().join();
    };
    const expected = run(PROGRAM);
    const moved = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const swapped = pack(PROGRAM, { walk: true, seed, iterations: 300, moves: 0 }).code;
      expect(declared(swapped)).toBe(declared(PROGRAM));
      const { code } = pack(PROGRAM, { walk: true, seed, iterations: 300, moves: 1 });
      expect(run(code), code).toEqual(expected);
      moved.add(declared(code));
    }
    expect(moved.size).toBeGreaterThan(10);
  });

  it('moves hide nothing: a global read where another scope has a local of its name, an unused parameter', () => {
    // `p` is the page's in o() and a local in n(): a variable of the IIFE's or o's called `p` would
    // hide the page's. In r(e,t) a `t` called `e` would be a second `e` (the reads find the first).
    const program =
      '!function(){let e=1,t=2;function r(e,t){return e}function o(){return p}' +
      'function n(){let p=3,e=4;return p+e}function i(e){let a=5;return a+e}' +
      'globalThis.out=[r(e,t),o(),n(),i(t),e+t]}();';
    const page = { p: 9 };
    const expected = run(program, page);
    expect(expected).toEqual([1, 9, 7, 7, 3]);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++)
      for (const moves of [0.5, 1]) {
        const { code } = pack(program, { walk: true, seed, iterations: 200, moves });
        expect(run(code, page), code).toEqual(expected);
        seen.add(code);
      }
    expect(seen.size).toBeGreaterThan(20);
  });

  it('keeps the names of shorthand properties, and the globals', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { code } = pack(PROGRAM, { walk: true, seed, iterations: 300 });
      expect(code).toContain('return{e,t,r}');
      expect(code).toContain('Math.max(');
      expect(code).toContain('JSON.stringify(');
    }
  });

  it('packs: the search gives a file no larger, the same for the same seed', () => {
    const a = pack(PROGRAM, { iterations: 500 });
    const b = pack(PROGRAM, { iterations: 500 });
    expect(a.after).toBeLessThanOrEqual(a.before);
    expect(b.code).toBe(a.code);
    expect(run(a.code)).toEqual(run(PROGRAM));
  });

  it("swaps the properties terser's mangler renamed, and only those (not one terser wrote from a string)", async () => {
    // `alpha`, `beta`, `delta` and `eps` renamed; `ext[P + 'queue']` and `ext['gamma']`, read from
    // an object of the page's, become `ext.tt_queue` and `ext.gamma`, names the code did not have
    // as names before terser: no swap may touch them.
    const before =
      '!function(){const P="tt_";let q={alpha:1,beta:2,delta:(x)=>x.alpha},eps=9,w={eps};globalThis.q=q;globalThis.w=w;' +
      'globalThis.out=[q.alpha,q.beta,ext[P+"queue"],ext["gamma"],q.delta(q),w.eps]}();';
    const nameCache: { props?: { props?: Record<string, string> } } = {};
    const { code: after } = await minify(before, {
      mangle: { properties: { builtins: true, regex: /^(alpha|beta|delta|eps)$/ } },
      nameCache,
    });
    const mangled = new Set(Object.values(nameCache.props?.props ?? {}));
    expect(mangled.size).toBe(4);
    expect(after).toContain('ext.tt_queue'); // (terser wrote them as names)
    expect(after).toContain('ext.gamma');
    const page = () => ({ ext: { tt_queue: 5, gamma: 6 } });
    const expected = run(after!, page());
    expect(expected).toEqual([1, 2, 5, 6, 1, 9]);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const { code } = pack(after!, { walk: true, seed, iterations: 0, propIterations: 50, mangled });
      expect(run(code, page()), code).toEqual(expected);
      seen.add(code);
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it('keeps what it found per input, and searches again past a cache file that is not its own', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tt-pack-'));
    try {
      const first = pack(PROGRAM, { ...{ iterations: 300 }, cache: dir });
      const [file] = readdirSync(dir);
      expect(file).toMatch(/^names-[0-9a-f]{32}\.json$/);
      expect(pack(PROGRAM, { ...{ iterations: 300 }, cache: dir }).code).toBe(first.code);
      // (Not JSON, not names, and one name twice in a scope: a variable would hide another.)
      const own = JSON.parse(readFileSync(path.join(dir, file!), 'utf8')) as string[];
      const twice = own.map((n, k) => (k == 1 ? own[0]! : n));
      for (const bad of ['{', '[]', '[[0,0]]', '"x"', JSON.stringify(twice)]) {
        writeFileSync(path.join(dir, file!), bad);
        expect(pack(PROGRAM, { ...{ iterations: 300 }, cache: dir }).code).toBe(first.code);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps what programs with classes, BigInts and names of two letters do', () => {
    const programs = [
      [
        '!function(){let e=1,t=2;class r{m(){return e+t}}let o=new r;globalThis.out=[o.m(),String(10n),typeof r]}();',
        [3, '10', 'function'],
      ],
      [
        '!function(){let ee=1,t=2,rr=3;function o(t,ee){let n=t*ee;return n+rr}globalThis.out=[o(ee,t),o(rr,rr),ee+t+rr]}();',
        [5, 12, 6],
      ],
    ] as const;
    for (const [program, expected] of programs) {
      expect(run(program)).toEqual(expected);
      const seen = new Set<string>();
      for (let seed = 1; seed <= 30; seed++) {
        const { code } = pack(program, { walk: true, seed, iterations: 100 });
        expect(run(code), code).toEqual(expected);
        seen.add(code);
      }
      expect(seen.size).toBeGreaterThan(1);
    }
  });

  it('refuses a function declared in a block', () => {
    expect(() => pack('!function(){let e=1;if(e){function t(){}}globalThis.out=e}();')).toThrow(
      /a function declared in a block/,
    );
  });

  it('refuses code with `eval` (a name may be read that no scope shows)', () => {
    expect(() => pack('!function(){let e=1;eval("e")}()')).toThrow(/eval or with/);
  });
});
