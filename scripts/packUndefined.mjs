// `undefined` as one variable of tracker.js, packed for gzip. Terser writes `undefined` as `void 0`
// (6 characters, about 60 times in tracker.js); a variable declared without a value, and never
// assigned, is `undefined` too, and its name is 1 or 2 characters that gzip matches with the names
// around it (−17 B gzip before the other packing steps).
//
// After terser, before the other packing steps: every `void 0` of the IIFE's body becomes a name
// that no identifier of the file has (so no scope declares it, and no global of that name is read),
// declared first in that body, before anything runs (no read can be in its dead zone). Of the free
// names of 1 or 2 characters, the one that gzip packs best, the first of them on a tie: the same
// input gives the same file. Each `void 0` stays where it was in the source map (the name is mapped
// to it). The result is checked: it parses, its one new variable is never assigned, and every read
// of the name resolves to it. The order step (scripts/packOrder.mjs) may then move the declaration
// among those that run nothing, never past a statement that runs, and keeps a `let` whose value
// reads it after it; the names step (scripts/packNames.mjs) may rename it, as any variable.
import MagicString from 'magic-string';
import { gz, iifeOf, noEval, parse, scopesOf, visit } from './packShared.mjs';

const FIRST = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$';
const NEXT = FIRST + '0123456789';
/** Reserved words of 2 characters, never a name. */
const RESERVED = new Set(['do', 'if', 'in']);

/**
 * The `void 0`s of the IIFE's body (`!function(){…}()`), the file's identifiers' names, and that
 * body. (Only the body's: the declaration reaches no further, so a `void 0` in the function's
 * parameters or in the call's arguments stays as it is.)
 */
function read(code) {
  const ast = parse(code);
  noEval(scopesOf(ast), 'packUndefined');
  const fn = iifeOf(ast, 'packUndefined');
  const voids = [];
  const names = new Set();
  visit(ast, (n) => n.type == 'Identifier' && names.add(n.name));
  visit(fn.body, (n) => {
    if (
      n.type == 'UnaryExpression' &&
      n.operator == 'void' &&
      n.argument.type == 'Literal' &&
      n.argument.raw == '0'
    )
      voids.push(n);
  });
  return { ast, voids, names, body: fn.body.body };
}

/** The file with its `void 0`s written `name`, declared by `let name` first in the IIFE's body. */
function write(code, { voids, body }, name) {
  const s = new MagicString(code);
  for (const v of voids) s.overwrite(v.start, v.end, name);
  // (After a directive prologue, if any: a directive must stay first.)
  const first = body.find((n) => !n.directive);
  // (As the first name of a first `let`, which terser may write without a space: `let{a:e}=o`.)
  const [d] = first.type == 'VariableDeclaration' && first.kind == 'let' ? first.declarations : [];
  if (d) s.appendLeft(d.start, (code[d.start - 1] == ' ' ? '' : ' ') + name + ',');
  else s.appendLeft(first.start, `let ${name};`);
  return s;
}

/** Checks that `name` in `code` is one variable of the IIFE's body, never assigned, read as often as `reads`. */
function check(code, name, reads) {
  const ast = parse(code);
  const scopes = scopesOf(ast);
  const found = scopes.scopes.flatMap((sc) => sc.variables.filter((v) => v.name == name));
  const [v] = found;
  if (found.length != 1 || v.defs.length != 1 || v.defs[0].node.init)
    throw new Error(`packUndefined: ${name} is not one variable without a value`);
  if (v.references.some((r) => r.isWrite()) || v.references.length != reads)
    throw new Error(`packUndefined: ${name} is assigned, or not read where each \`void 0\` was`);
  if (scopes.globalScope.through.some((r) => r.identifier.name == name))
    throw new Error(`packUndefined: ${name} is read as a global somewhere`);
}

/** The rollup plugin (after terser, before the other packing steps). */
export const packUndefined = () => ({
  name: 'pack-undefined',
  renderChunk(code) {
    const file = read(code);
    if (!file.voids.length) return null;
    let best;
    for (const a of FIRST)
      for (const name of [a, ...[...NEXT].map((b) => a + b)]) {
        if (file.names.has(name) || RESERVED.has(name)) continue;
        const size = gz(write(code, file, name).toString());
        if (!best || size < best.size) best = { name, size };
      }
    if (best.size > gz(code)) return null;
    const out = write(code, file, best.name);
    const text = out.toString();
    check(text, best.name, file.voids.length);
    return { code: text, map: out.generateMap({ hires: true }) };
  },
});
