// The order of tracker.js's declarations, packed for gzip. Rollup and terser put them in module
// order; gzip finds more repeats when similar code is close, and where a declaration stands often
// does not matter: a function declaration is hoisted, and a `let` whose value is made without
// running anything (none; a function; a literal, or `!`, `-` or `void` of one; an object or array
// of those; a name declared once by a `let`, `const` or function and never assigned again) can be
// made earlier.
//
// After terser, in the IIFE's body and in each function body with a few such declarations, this
// moves them by a seeded hill climb on the gzip size of the file: the same input, with the same
// Node (its zlib measures), gives the same file. The rules, read from the scopes (eslint-scope):
//   - a statement that runs something (a call, an assignment, a `return`, a `let` of anything
//     else, a `var`, a class) keeps its place among the others, and a directive stays first;
//   - a movable `let` may only move earlier past one of those, never later, and stays after the
//     declarations whose names its value reads;
//   - a function declaration goes anywhere in its body, unless its name is declared twice;
//   - a function declared in a block fails the build (the file is a classic script: such a
//     declaration also assigns the name in the function around it, which the scopes do not show).
// (A `let` made earlier than before is no longer in its dead zone there: a read that threw before
// it was made would now find it. Such a read is a bug the unit tests, which run the source, and the
// debug build, which is not packed, would still show.)
// The result is checked: it parses, each body holds each of its statements once, and it is no
// larger. Its source map maps each moved text to where terser left it, so the file's map still
// leads to `src/`. The order found is kept in node_modules/.cache (packShared.mjs) for the same
// input and scripts (a rebuild, or the size check's in-memory build, takes it from there); a new
// input takes about 25 s.
import MagicString, { Bundle } from 'magic-string';
import {
  CACHE,
  cached,
  gz,
  iifeOf,
  isFn,
  noBlockFunctions,
  parse,
  random,
  scopesOf,
  visit,
} from './packShared.mjs';

/** The statement a statement's text ends with (`if (a) b()` ends with `b()`). */
const lastOf = (n) =>
  n.type == 'IfStatement'
    ? lastOf(n.alternate ?? n.consequent)
    : /^(For|ForIn|ForOf|While|Labeled|With)Statement$/.test(n.type)
      ? lastOf(n.body)
      : n;
/** Statements whose text ends with a block of their own: nothing after them needs a `;` first. */
const BLOCK_ENDED = new Set([
  'BlockStatement',
  'TryStatement',
  'SwitchStatement',
  'ClassDeclaration',
  'FunctionDeclaration',
]);
/** A function body is packed when it has at least this many movable declarations (the IIFE's always). */
const INNER_MIN = 3;

/**
 * A value made without running anything, and the units whose names it reads as it is made (a
 * function reads nothing until called). Undefined when making it may run something (a call, a
 * getter, `new`, a global read) or it reads a name that is assigned again.
 */
function madeFrom(n, scope, declared, reads = new Set()) {
  if (!n) return reads;
  if (isFn(n) || n.type == 'Literal' || (n.type == 'TemplateLiteral' && !n.expressions.length)) return reads;
  if (n.type == 'UnaryExpression' && ['!', '-', 'void'].includes(n.operator) && n.argument.type == 'Literal')
    return reads;
  if (n.type == 'Identifier') {
    // (Declared once, by a `let`, a `const` or a function declaration, and never assigned again: a
    // `var` may be declared again, and each declaration assigns it.)
    const v = scope.set.get(n.name);
    const [def, more] = v?.defs ?? [];
    if (!def || more || !declared.has(v) || v.references.some((r) => r.isWrite() && !r.init)) return;
    if (!(def.type == 'FunctionName' || (def.type == 'Variable' && def.parent.kind != 'var'))) return;
    reads.add(declared.get(v));
    return reads;
  }
  if (n.type == 'ObjectExpression') {
    for (const p of n.properties)
      if (
        p.type != 'Property' ||
        p.computed ||
        p.kind != 'init' ||
        !madeFrom(p.value, scope, declared, reads)
      )
        return;
    return reads;
  }
  if (n.type == 'ArrayExpression') {
    for (const e of n.elements) if (!e || !madeFrom(e, scope, declared, reads)) return;
    return reads;
  }
}

/** A function body: its units (statements, each declarator on its own), the rules, and its order. */
function blockOf(code, fn, scope) {
  const units = [];
  for (const s of fn.body.body) {
    if (s.type == 'FunctionDeclaration') units.push({ t: 'f', s: s.start, e: s.end, node: s });
    else if (s.type == 'VariableDeclaration')
      for (const d of s.declarations) units.push({ t: 'v', kind: s.kind, s: d.start, e: d.end, node: d });
    else units.push({ t: 's', s: s.start, e: s.end, node: s });
  }
  for (const u of units) {
    if (u.t != 's') continue;
    // (`if (a) x = {}` ends with an expression, though its text ends with `}`; `for (;;);` with an
    // empty statement, whose `;` stays in its text.)
    const end = lastOf(u.node).type;
    if (end != 'EmptyStatement' && code[u.e - 1] == ';') u.e--;
    u.semi = end != 'EmptyStatement' && !BLOCK_ENDED.has(end);
  }
  units.forEach((u, i) => (u.i = i));
  // Which unit declares each variable of the body's scope (a name declared twice, also as a
  // parameter: none of its declarations moves, the last one wins).
  const declared = new Map();
  const fixed = new Set();
  const unitAt = (p) => units.find((u) => u.s <= p && p < u.e);
  for (const v of scope.variables) {
    if (v.defs.length > 1) for (const d of v.defs) fixed.add(unitAt(d.name.start)?.i);
    const [def] = v.defs;
    if (!def || def.type == 'Parameter') continue;
    const u = unitAt(def.name.start);
    if (!u)
      throw new Error(`packOrder: ${v.name} is not declared in a unit (${def.type} at ${def.name.start})`);
    declared.set(v, u.i);
  }
  const pairs = [];
  for (const u of units) {
    u.movable = u.t == 'f' && !fixed.has(u.i);
    // (Not a pattern: `let {a} = b` reads b's properties as it runs.)
    if (
      u.t == 'v' &&
      (u.kind == 'let' || u.kind == 'const') &&
      u.node.id.type == 'Identifier' &&
      !fixed.has(u.i)
    ) {
      const reads = madeFrom(u.node.init, scope, declared);
      if (reads) {
        u.movable = true;
        for (const r of reads) if (units[r].t != 'f') pairs.push([r, u.i]);
      }
    }
  }
  // A directive (`"use strict"`) stays where it is, first.
  for (const u of units) if (u.node.directive) for (const x of units) if (x.i > u.i) pairs.push([u.i, x.i]);
  // A statement that runs keeps its place among the others, and every movable `let` made before it
  // still is (one made after it may be made earlier: nothing of its own runs).
  let last;
  for (const u of units) {
    if (u.movable) continue;
    if (last) pairs.push([last.i, u.i]);
    last = u;
    for (const x of units) if (x.i < u.i && x.movable && x.t == 'v') pairs.push([x.i, u.i]);
  }
  return {
    s: fn.body.start,
    e: fn.body.end,
    units,
    pairs,
    order: units.map((u) => u.i),
    movable: units.filter((u) => u.movable).length,
  };
}

/** Whether `o` is an order of n units (each once). */
const permutes = (o, n) =>
  Array.isArray(o) &&
  o.length == n &&
  new Set(o).size == n &&
  o.every((x) => Number.isInteger(x) && x >= 0 && x < n);

const valid = (order, pairs) => {
  const at = [];
  order.forEach((x, k) => (at[x] = k));
  return pairs.every(([a, b]) => at[a] < at[b]);
};

/**
 * The pieces of `code` from `a` to `b`, each block in it in its order: [start, end, glue], the
 * original text from start to end with new text before it (one `let` for a run of declarators, `;`
 * only where needed). `st.glue` carries glue to the next piece.
 */
function piecesOf(code, a, b, blocks, out = [], st = { glue: '' }) {
  let at = a;
  const take = (to) => {
    if (to > at) {
      out.push([at, to, st.glue]);
      st.glue = '';
    }
    at = to;
  };
  const inside = blocks.filter((o) => o.s >= a && o.e <= b);
  for (const blk of inside) {
    if (inside.some((o) => o.s < blk.s && blk.e < o.e)) continue; // (in another one here: its unit's)
    take(blk.s + 1);
    let open;
    blk.order.forEach((x, k) => {
      const u = blk.units[x];
      if (u.t == 'v') {
        st.glue += open == u.kind ? ',' : (open ? ';' : '') + u.kind + (/^[[{]/.test(code[u.s]) ? '' : ' ');
        open = u.kind;
      } else {
        st.glue += open ? ';' : '';
        open = undefined;
      }
      at = u.s;
      piecesOf(code, u.s, u.e, blocks, out, st);
      if (u.semi && k < blk.order.length - 1) st.glue += ';';
    });
    at = blk.e - 1;
  }
  take(b);
  return out;
}

const textOf = (code, pieces) => pieces.map(([a, b, glue]) => glue + code.slice(a, b)).join('');

/**
 * The file with its declarations in the order found, and its source map (from `code`); `before` and
 * `after` are the gzip sizes. `cache`: a directory for the orders found per input. `walk` (tests):
 * every allowed move is taken, whatever the size, to see that the rules keep what the code does.
 */
export function pack(code, { iterations = 30000, inner = 3000, seed = 1, cache, walk = false } = {}) {
  const ast = parse(code);
  noBlockFunctions(ast, 'packOrder');
  const scopes = scopesOf(ast);
  const iife = iifeOf(ast, 'packOrder');
  const fns = [];
  visit(iife.body, (n) => {
    if ((isFn(n) || n.type == 'FunctionDeclaration') && n.body.type == 'BlockStatement') fns.push(n);
  });
  const blocks = [iife, ...fns]
    .map((fn) => blockOf(code, fn, scopes.acquire(fn, true)))
    .filter((blk, k) => k == 0 || blk.movable >= INNER_MIN)
    .sort((x, y) => x.s - y.s);
  const whole = () => textOf(code, piecesOf(code, 0, code.length, blocks));
  if (whole() != code) throw new Error('packOrder: the file does not rebuild as it was');
  for (const blk of blocks)
    if (!valid(blk.order, blk.pairs)) throw new Error('packOrder: a rule fails as built');
  const before = gz(code);

  const entry = cached(cache, 'order', { code, iterations, inner, seed }, import.meta.url);
  const kept = walk ? undefined : entry.read();
  let found = false;
  let size = before;
  if (
    Array.isArray(kept) &&
    kept.length == blocks.length &&
    blocks.every((blk, k) => permutes(kept[k], blk.order.length) && valid(kept[k], blk.pairs))
  ) {
    blocks.forEach((blk, k) => (blk.order = kept[k]));
  } else {
    const r = random(seed);
    const n = (k) => Math.floor(r() * k);
    // The inner bodies first (the last in the text first), then the IIFE's.
    for (const blk of [...blocks].sort(
      (x, y) => (x.s == iife.body.start) - (y.s == iife.body.start) || y.s - x.s,
    )) {
      const steps = blk.s == iife.body.start ? iterations : inner;
      for (let i = 0; i < steps; i++) {
        const o = blk.order.slice();
        const m = r();
        if (m < 0.3) {
          const a = n(o.length);
          const b = n(o.length);
          [o[a], o[b]] = [o[b], o[a]];
        } else o.splice(n(o.length + 1), 0, ...o.splice(n(o.length), m < 0.65 ? 1 + n(6) : 1));
        if (!valid(o, blk.pairs)) continue;
        const was = blk.order;
        blk.order = o;
        const s = walk ? 0 : gz(whole());
        if (s <= size) size = s;
        else blk.order = was;
      }
    }
    found = true;
  }

  // The text and its map: each piece from where terser left it, the glue new.
  const pieces = piecesOf(code, 0, code.length, blocks);
  const text = textOf(code, pieces);
  parse(text);
  for (const blk of blocks)
    if (!permutes(blk.order, blk.units.length)) throw new Error('packOrder: a declaration was lost');
  const ms = new MagicString(code);
  const bundle = new Bundle({ separator: '' });
  for (const [a, b, glue] of pieces)
    bundle.addSource({ filename: 'chunk.js', content: glue ? ms.snip(a, b).prepend(glue) : ms.snip(a, b) });
  if (bundle.toString() != text) throw new Error('packOrder: the mapped text is not the text');
  const after = gz(text);
  if (after > before && !walk) throw new Error('packOrder: the file grew');
  // (Kept only once it passed every check.)
  if (found && !walk) entry.write(blocks.map((blk) => blk.order));
  return { code: text, map: bundle.generateMap({ hires: true }), before, after };
}

/** The rollup plugin (after terser): tracker.js with its declarations packed. */
export const packOrder = (options = {}) => ({
  name: 'pack-order',
  renderChunk(code) {
    const { code: out, map } = pack(code, { cache: CACHE, ...options });
    return { code: out, map };
  },
});
