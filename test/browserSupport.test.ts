/**
 * The README's browser support: the tracker's files are ES2020 (Chrome and Edge 80, Firefox 74, Safari
 * 13.1), so shoppers on those browsers run it; a newer syntax or built-in that slips in (a TypeScript
 * target raised for bytes: `||=` is 19 B smaller) would stop the tracker there with a SyntaxError or
 * a TypeError. The web-vitals files are web-vitals 5's ES2022, which tracker.js loads only where
 * `Array.prototype.at` exists (e2e/vitals.spec.ts). Reads dist/, which `npm test` builds first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const SCRIPTS = ['tracker.js', 'tracker.debug.js'];
const MODULES = ['index.mjs', 'index.debug.mjs'];
/** Built-ins newer than ES2020 (Chrome 85 to 117, Safari 14 to 17), called unguarded they throw. */
const NEWER =
  /\.(at|replaceAll|findLast|findLastIndex|toSorted|toReversed|toSpliced|with)\(|\b(hasOwn|structuredClone|WeakRef|FinalizationRegistry|AggregateError|groupBy|fromAsync)\b|Promise\.any\b/;

const read = (f: string) => fs.readFileSync(path.join(DIST, f), 'utf8');
const es = (v: 2020 | 2022, code: string, sourceType: 'script' | 'module') => () =>
  parse(code, { ecmaVersion: v, sourceType });
const es2020 = (code: string, sourceType: 'script' | 'module') => es(2020, code, sourceType);

describe('browser support: ES2020', () => {
  it('rejects newer syntax (the check can fail)', () => {
    expect(es2020('let a; a ||= 1;', 'script')).toThrow(SyntaxError);
    expect(es2020('class A { #x = 1 }', 'script')).toThrow(SyntaxError);
    expect(NEWER.test('[1].at(-1)')).toBe(true);
  });
  it.each(SCRIPTS)('%s parses as an ES2020 script', (f) => {
    expect(es2020(read(f), 'script')).not.toThrow();
  });
  it.each(MODULES)('%s parses as an ES2020 module', (f) => {
    expect(es2020(read(f), 'module')).not.toThrow();
  });
  it.each([...SCRIPTS, ...MODULES])('%s calls no built-in newer than ES2020', (f) => {
    expect(read(f).match(NEWER)?.[0]).toBeUndefined();
  });
  it('the web-vitals files are ES2022, as web-vitals 5 is', () => {
    expect(es(2022, read('tracker-vitals.js'), 'script')).not.toThrow();
    expect(es(2022, read('vitals.mjs'), 'module')).not.toThrow();
  });
});
