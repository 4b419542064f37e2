/**
 * scripts/packed.json: what the build's searches found, kept in the repository so that a clone
 * builds the same tracker.js without searching (seconds, not minutes). Here with a file of the
 * test's own (`TT_PACKED`) and a small program: a build (its cache is `CACHE`) takes a kept entry
 * before searching, only for the input it was found for and only once it passes the same checks as
 * any cached result; the file written holds this process's entries and no others.
 */
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const PROGRAM = [
  '!function(){let o=[];',
  'function h(x){o.push("h"+x)}',
  'let a={v:1},b=()=>a.v,c="c",d=[c],e=()=>d.length;',
  'h(1);',
  'let f=()=>b()+e(),g=1,k="k",l={k};',
  'o.push(f(),g,l.k);globalThis.out=o}();',
].join('');
const OPTS = { iterations: 300, inner: 50 };

type Kept = Record<string, number[][]>;
let dir: string;
let file: string;

/** packOrder and packShared as a new build process loads them. */
async function load() {
  vi.resetModules();
  const shared = await import('../scripts/packShared.mjs');
  const { pack } = await import('../scripts/packOrder.mjs');
  return { ...shared, build: (code: string) => pack(code, { ...OPTS, cache: shared.CACHE }) };
}
const read = () => JSON.parse(readFileSync(file, 'utf8')) as Kept;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tt-kept-'));
  file = path.join(dir, 'packed.json');
  vi.stubEnv('TT_PACKED', file);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('scripts/packed.json (the packing searches kept in the repository)', () => {
  it('a build writes what it found; another build takes it from there, not from a search', async () => {
    const first = await load();
    const searched = first.build(PROGRAM);
    expect(searched.code).not.toBe(PROGRAM); // (the search moved something: else this says nothing)
    first.writeKept();
    const kept = read();
    const id = Object.keys(kept)[0] as string;
    expect(Object.keys(kept)).toEqual([id]);
    // Its node_modules cache entry gone, and the kept order replaced by the order as built (valid,
    // and not what a search finds): the next build gives that order, so it read the kept file.
    unlinkSync(path.join(first.CACHE, id + '.json'));
    writeFileSync(
      file,
      JSON.stringify({ [id]: kept[id]!.map((o: number[]) => [...o].sort((x, y) => x - y)) }),
    );
    const second = await load();
    expect(second.build(PROGRAM).code).toBe(PROGRAM);
  });

  it('an entry that does not pass the checks is searched again; the file then holds the new result', async () => {
    const first = await load();
    const searched = first.build(PROGRAM).code;
    first.writeKept();
    const id = Object.keys(read())[0] as string;
    unlinkSync(path.join(first.CACHE, id + '.json'));
    writeFileSync(file, JSON.stringify({ [id]: [[0, 0, 1]] })); // not an order of the body
    const second = await load();
    expect(second.build(PROGRAM).code).toBe(searched);
    second.writeKept();
    expect(read()[id]).not.toEqual([[0, 0, 1]]);
  });

  it("holds this process's entries only: an old source's are dropped", async () => {
    writeFileSync(file, JSON.stringify({ 'order-0123': [[0]] }));
    const a = await load();
    a.build(PROGRAM);
    a.writeKept();
    const ids = Object.keys(read());
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(/^order-[0-9a-f]{32}$/);
  });

  it("a search with a cache of its own (not a build's) neither reads nor writes it", async () => {
    const { writeKept } = await load();
    const { pack } = await import('../scripts/packOrder.mjs');
    writeFileSync(file, '{}');
    pack(PROGRAM, { ...OPTS, cache: dir });
    writeKept();
    expect(readFileSync(file, 'utf8')).toBe('{}');
  });
});
