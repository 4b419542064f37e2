// What the packing steps (scripts/packUndefined.mjs, packOrder.mjs, packNames.mjs) share: the
// measure (gzip -9 bytes), the parser, the IIFE's function, the refusals of what they cannot handle,
// a seeded generator, and the cache of what a search found for an input.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as acorn from 'acorn';
import * as eslintScope from 'eslint-scope';

export const gz = (code) => gzipSync(code, { level: 9 }).length;
export const parse = (code) => acorn.parse(code, { ecmaVersion: 2022, sourceType: 'script', ranges: true });
/** The scopes of a parsed file (a classic script). */
export const scopesOf = (ast) => eslintScope.analyze(ast, { ecmaVersion: 2022, sourceType: 'script' });

/** Calls `enter(node, list)` for each node of a syntax tree, parents first (`list`: the array holding it). */
export function visit(node, enter, list) {
  if (!node || typeof node != 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => visit(n, enter, node));
  enter(node, list);
  for (const k in node) if (k != 'type' && k != 'range') visit(node[k], enter);
}

/** Mulberry32: a small seeded generator, so that a build is reproducible. */
export const random = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Where the builds keep what a search found (ignored by git, gone with node_modules). */
export const CACHE = fileURLToPath(new URL('../node_modules/.cache/twilight-tracker', import.meta.url));

/**
 * What the last build's searches found, kept in the repository as a lock file is (`npm run build`
 * writes it; commit it with the source it was found for): a clone builds the same files without
 * searching (seconds, not minutes). An entry is used only for the exact input it was found for, and
 * checked as any cached result is; a build whose entry is missing or does not fit searches.
 */
export const KEPT = process.env.TT_PACKED || fileURLToPath(new URL('./packed.json', import.meta.url));
let kept;
/** The entries this process's builds used or found (with CACHE as their cache), by their file name. */
const used = {};
/** A search ran for a build: scripts/packed.json changes, to be committed with the source. */
let searched = false;
/** Writes `KEPT`: the entries of this process's builds, and no others (an old source's are gone). */
export function writeKept() {
  const names = Object.keys(used).sort();
  const text = `{\n${names.map((n) => `  ${JSON.stringify(n)}: ${JSON.stringify(used[n])}`).join(',\n')}\n}\n`;
  if (!names.length || (existsSync(KEPT) && readFileSync(KEPT, 'utf8') == text)) return;
  const part = `${KEPT}.${process.pid}`;
  writeFileSync(part, text);
  renameSync(part, KEPT);
  if (searched) console.log(`packed for gzip by a new search: commit ${relative('.', KEPT)} with its source`);
  searched = false;
}

/**
 * The cache entry of a search for `input` in `dir`, or none. Its key is everything the result
 * depends on: `input` and the searching module's own text (`module`, its URL), so a changed search
 * does not find the old one's results. `read()` gives what was kept (undefined when nothing, or a
 * file not ours), `write(v)` keeps it (written whole, then renamed: a build reading at the same time
 * finds all of it or nothing).
 */
export function cached(dir, kind, input, module) {
  const key = createHash('sha256')
    .update(JSON.stringify(input))
    .update(process.versions.zlib) // (the measure: another zlib may pack differently)
    .update(`acorn ${acorn.version}, eslint-scope ${eslintScope.version}`)
    .update(readFileSync(new URL(module)))
    .update(readFileSync(new URL(import.meta.url)))
    .digest('hex')
    .slice(0, 32);
  const file = dir && `${dir}/${kind}-${key}.json`;
  const id = `${kind}-${key}`;
  const build = dir == CACHE;
  return {
    read() {
      if (build) {
        if (!kept)
          try {
            kept = JSON.parse(readFileSync(KEPT, 'utf8'));
          } catch {
            kept = {};
          }
        // (not a prototype's: only an entry of the file itself)
        if (Object.hasOwn(kept, id)) return (used[id] = kept[id]);
      }
      try {
        const value = file ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
        if (build && value !== undefined) used[id] = value;
        return value;
      } catch {
        return undefined;
      }
    },
    write(value) {
      if (build) {
        used[id] = value;
        searched = true;
      }
      if (!file) return;
      const part = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(part, JSON.stringify(value));
        renameSync(part, file);
      } catch {
        // (A read-only node_modules: the next build searches again.)
      }
    },
  };
}

/** A function expression or arrow (not a declaration). */
export const isFn = (n) => n.type == 'ArrowFunctionExpression' || n.type == 'FunctionExpression';

/** The IIFE's function: the one expression of the file, called at once (`who`: the step, in the error). */
export function iifeOf(ast, who) {
  const [s] = ast.body;
  let e = ast.body.length == 1 && s.type == 'ExpressionStatement' ? s.expression : undefined;
  if (e?.type == 'UnaryExpression') e = e.argument;
  if (e?.type == 'CallExpression' && isFn(e.callee) && e.callee.body.type == 'BlockStatement')
    return e.callee;
  throw new Error(`${who}: the file is not one IIFE`);
}

/** Refuses `eval` and `with` (`scopes`: the file's): a name may then be read that no scope shows. */
export function noEval(scopes, who) {
  if (scopes.scopes.some((s) => s.type != 'global' && s.dynamic)) throw new Error(`${who}: eval or with`);
}

/**
 * Refuses a function declared in a block (not directly in a function's body or the file's): the
 * file is a classic script, not strict, so such a declaration also assigns a variable of the
 * function around it when the block runs (Annex B), which the scopes the searches read do not show.
 */
export function noBlockFunctions(ast, who) {
  const bodies = new Set([ast.body]);
  visit(ast, (n, list) => {
    if (/Function/.test(n.type) && n.body.type == 'BlockStatement') bodies.add(n.body.body);
    if (n.type == 'FunctionDeclaration' && !bodies.has(list))
      throw new Error(`${who}: a function declared in a block (${n.id?.name} at ${n.start})`);
  });
}
