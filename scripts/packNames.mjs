// The names of tracker.js's variables and renamed properties, packed for gzip. Terser gives each
// scope's variables, and the internal properties its property mangler renames, short names by how
// often each is used; which of those names goes to which variable or property does not change what
// the code does, but gzip finds more repeats when similar code uses the same names.
//
// After terser (and the packed order, scripts/packOrder.mjs), a seeded hill climb renames:
//   - a variable of a scope (picked as often as its names are written), when it then neither
//     hides nor is hidden by another name: no scope between the variable and a place that reads it
//     declares the new name, and nothing read through its scope from farther out (a variable or a
//     global) has it. Half the tries swap the names of two of the scope's variables; the other half
//     (all in a scope of one variable) give one a name no other variable of the scope has, one of
//     the names of the file's variables, so similar code in different scopes can come to use the
//     same names (what that gives tracker.js: the seed's comment in rollup.config.mjs);
//   - then of two properties the mangler renamed, everywhere they are written (swaps only): only the
//     names in terser's name cache, so never a name terser wrote from a string (`o['a' + 'b']` → `o.ab`).
// A variable or property written as a shorthand (`{a}`: its key is the variable's name) keeps its
// name, and so does a class's (two scopes share its identifier); a function declared in a block,
// `eval` or `with` fails the build. The variables are checked from scratch: the file parses, its
// syntax tree is the same but for the names, every name read resolves to the same declaration as
// before (or to the same global), in eslint-scope's model of scopes, and each scope holds as many
// variables. A rename also changes an internal function's `name` and the text of an internal error
// (nothing reads either).
// The source map maps each renamed identifier to where terser left it. The same input, with the
// same Node, gives the same file; what was found is kept in node_modules/.cache (packShared.mjs),
// and taken again only if each name passes the same checks as a rename (about 50 s for a new input).
import MagicString from 'magic-string';
import {
  CACHE,
  cached,
  gz,
  noBlockFunctions,
  noEval,
  parse,
  random,
  scopesOf,
  visit,
} from './packShared.mjs';

/** The share of a scope's tries that move a variable to a name its scope does not have (the rest swap two). */
const MOVES = 0.5;

/** Identifiers whose text is also a property key: shorthand properties and patterns (`{a}`, `{a = 1}`). */
function shorthands(ast) {
  const at = new Set();
  visit(ast, (n) => {
    if (n.type == 'Property' && n.shorthand)
      at.add((n.value.type == 'AssignmentPattern' ? n.value.left : n.value).start);
  });
  return at;
}

/**
 * Every variable's identifiers (declarations and reads), each read's resolution: [start of the read,
 * start of its variable's first declaration, or its name when global], in the order of the text.
 */
function resolutions(scopes) {
  const out = [];
  for (const s of scopes.scopes)
    for (const r of s.references) {
      const d = r.resolved?.defs[0]?.name ?? r.resolved?.identifiers[0];
      out.push([r.identifier.start, d ? d.start : r.identifier.name]);
    }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Each property name written as a name (`a.b`, `{b: …}`, `{b}`, `{b() {}}`), with whether it is shorthand. */
function propertyKeys(ast, found) {
  visit(ast, (n) => {
    if (n.type == 'MemberExpression' && !n.computed && n.property.type == 'Identifier')
      found(n.property, false);
    if (
      /^(Property|MethodDefinition|PropertyDefinition)$/.test(n.type) &&
      !n.computed &&
      n.key.type == 'Identifier'
    )
      found(n.key, !!n.shorthand);
  });
}

/** The syntax tree as text, without positions and with the names at `skip` (starts) left out. */
function shape(ast, skip) {
  return JSON.stringify(ast, function (k, v) {
    if (k == 'start' || k == 'end' || k == 'range' || k == 'raw') return undefined;
    if (typeof v == 'bigint') return `${v}n`;
    // (A property's key is compared by name even where it is also a variable's, as in `{a}`.)
    if (this && this.type == 'Property' && k == 'key' && !this.computed)
      return { key: skip.has(v.start) ? undefined : (v.name ?? v.value) };
    if (this && this.type == 'Identifier' && k == 'name' && skip.has(this.start)) return undefined;
    return v;
  });
}

/**
 * `code` with its variables and properties renamed as found, and its source map (from `code`);
 * `before` and `after` are the gzip sizes. `cache`: a directory for the names found per input. `walk`
 * (tests): every allowed rename is taken, whatever the size, to see that the rules keep what the code
 * does. `moves`: the share of a scope's tries that give a variable a name its scope does not have.
 */
export function pack(
  code,
  { iterations = 60000, propIterations = 15000, seed = 1, cache, walk = false, mangled, moves = MOVES } = {},
) {
  const ast = parse(code);
  noBlockFunctions(ast, 'packNames');
  const scopes = scopesOf(ast);
  noEval(scopes, 'packNames');
  const fixed = shorthands(ast);
  // The variables that may be renamed, each with its identifiers.
  const vars = [];
  for (const s of scopes.scopes) {
    if (s.type == 'global') continue;
    for (const v of s.variables) {
      if (!v.defs.length) continue; // (`arguments`)
      const ids = [
        ...new Map(
          [...v.identifiers, ...v.references.map((r) => r.identifier)].map((i) => [i.start, i]),
        ).values(),
      ];
      if (ids.some((i) => fixed.has(i.start))) continue;
      vars.push({ v, scope: s, ids });
    }
  }
  // (An identifier of two variables, as a class's name is of the class's scope and of the one
  // around it: neither is renamed.)
  const owners = new Map();
  for (const x of vars) for (const i of x.ids) owners.set(i.start, (owners.get(i.start) ?? 0) + 1);
  for (let k = vars.length; k--;) if (vars[k].ids.some((i) => owners.get(i.start) > 1)) vars.splice(k, 1);
  const index = new Map(vars.map((x, k) => [x.v, k]));
  const name = vars.map((x) => x.v.name);
  // The properties terser's mangler renamed (the names its name cache lists), each with its places.
  const props = new Map();
  if (mangled) {
    const shorthand = new Set();
    propertyKeys(ast, (id, short) => {
      if (!mangled.has(id.name)) return;
      if (short) shorthand.add(id.name);
      props.set(id.name, [...(props.get(id.name) ?? []), id]);
    });
    for (const n of shorthand) props.delete(n); // (`{a}`: the key is also a variable's name)
  }
  const V = vars.length;
  for (const [n, ids] of props) {
    vars.push({ ids, between: new Set() });
    name.push(n);
  }
  // Per variable: the scopes between it and its reads (a name declared there would hide it).
  for (const x of vars.slice(0, V)) {
    x.between = new Set();
    for (const r of x.v.references) for (let s = r.from; s && s != x.scope; s = s.upper) x.between.add(s);
  }
  // (A variable renamed is checked against the scopes its reads pass through, and, when it takes a
  // name its scope did not have, against what is read through its scope from farther out.)
  const nameOf = (v) => (index.has(v) ? name[index.get(v)] : v.name);
  /** Whether variable k may be called n (with the names as they are now). */
  const may = (k, n) => {
    const x = vars[k];
    for (const s of x.between) for (const w of s.variables) if (nameOf(w) == n) return false;
    return true;
  };
  // Per variable: what is read through its scope from farther out (a name it took would hide it):
  // the variables (their index, or themselves when never renamed) and the globals (their names).
  const outer = new Map();
  for (const x of vars.slice(0, V)) {
    if (!outer.has(x.scope))
      outer.set(x.scope, [
        ...new Set(
          x.scope.through.map((r) =>
            r.resolved ? (index.has(r.resolved) ? index.get(r.resolved) : r.resolved) : r.identifier.name,
          ),
        ),
      ]);
  }
  /** Whether variable k may be called n, a name no other variable of its scope has (a move, not a swap). */
  const free = (k, n) => {
    const x = vars[k];
    for (const w of x.scope.variables) if (w != x.v && nameOf(w) == n) return false;
    for (const o of outer.get(x.scope))
      if ((typeof o == 'number' ? name[o] : typeof o == 'string' ? o : o.name) == n) return false;
    return may(k, n);
  };
  // The names a variable may move to: those of the file's variables.
  const pool = [...new Set(name.slice(0, V))].sort();
  // Swaps are within one scope, or among the renamed properties: the names stay distinct.
  const byScope = new Map();
  vars.forEach((x, k) => byScope.set(x.scope ?? props, [...(byScope.get(x.scope ?? props) ?? []), k]));
  // The variables' tries first, in each scope (one of a single variable only moves it), then the
  // renamed properties' swaps (one group, with many places each).
  const own = byScope.get(props);
  const propGroup = props.size > 1 ? own : undefined;
  const scoped = [...byScope.values()].filter((g) => g != own && (g.length > 1 || moves > 0));
  const spots = vars.flatMap((x, k) => x.ids.map((i) => [i.start, i.end, k])).sort((a, b) => a[0] - b[0]);
  const render = () => {
    let out = '';
    let at = 0;
    for (const [s, e, k] of spots) {
      out += code.slice(at, s) + name[k];
      at = e;
    }
    return out + code.slice(at);
  };
  if (render() != code) throw new Error('packNames: the file does not rebuild as it was');
  const before = gz(code);

  const entry = cached(
    cache,
    'names',
    {
      code,
      iterations,
      propIterations,
      seed,
      moves,
      mangled: mangled && [...mangled].sort(),
    },
    import.meta.url,
  );
  const kept = walk ? undefined : entry.read();
  let found = false;
  // What was kept is taken when the renamed properties have the same names, and no variable's name
  // is another's of its scope, hides one or is hidden.
  const names = (g, from) =>
    g
      .map((k) => from[k])
      .sort()
      .join();
  const given = name.slice();
  const takes = () => {
    if (!Array.isArray(kept) || kept.length != name.length) return false;
    if (own && names(own, kept) != names(own, name)) return false;
    kept.forEach((n, k) => (name[k] = n));
    if (name.every((n, k) => (k < V ? free(k, n) : may(k, n)))) return true;
    given.forEach((n, k) => (name[k] = n));
    return false;
  };
  if (!takes()) {
    const r = random(seed);
    const pick = (k) => Math.floor(r() * k);
    // A scope is picked as often as its names are written: the swaps go where the text is (−104 B
    // against picking each scope as often).
    const weights = scoped.map((g) => g.reduce((n, k) => n + vars[k].ids.length, 0));
    const total = weights.reduce((a, b) => a + b, 0);
    const pickScope = () => {
      let x = r() * total;
      for (let j = 0; j < scoped.length; j++) if ((x -= weights[j]) < 0) return scoped[j];
      return scoped[scoped.length - 1];
    };
    let size = before;
    /** Keeps the names as they are now when the file packs no larger, else undoes the rename. */
    const keepOr = (undo) => {
      const s = walk ? 0 : gz(render());
      if (s <= size) size = s;
      else undo();
    };
    for (let i = 0; i < iterations + propIterations; i++) {
      const g = i < iterations ? pickScope() : propGroup;
      if (!g) continue;
      const a = g[pick(g.length)];
      if (g != propGroup && r() < moves) {
        // A variable takes a name no variable of its scope has.
        const na = name[a];
        const n = pool[pick(pool.length)];
        if (n == na || !free(a, n)) continue;
        name[a] = n;
        keepOr(() => (name[a] = na));
        continue;
      }
      if (g.length < 2) continue;
      const b = g[pick(g.length)];
      if (a == b || name[a] == name[b]) continue;
      const na = name[a];
      const nb = name[b];
      // (Each checked with the other already renamed: what reads one may be inside the other's scope.)
      name[a] = nb;
      name[b] = na;
      const undo = () => {
        name[a] = na;
        name[b] = nb;
      };
      if (!may(a, nb) || !may(b, na)) undo();
      else keepOr(undo);
    }
    found = true;
  }

  // The result, checked from scratch: the same tree but for the names, each read resolving as before.
  const text = render();
  const out = parse(text);
  // Each renamed identifier's start in the output, and how much longer the output is after it.
  const outStarts = [];
  const shifts = [];
  let shift = 0;
  for (const [s, e, k] of spots) {
    outStarts.push(s + shift);
    shifts.push((shift += name[k].length - (e - s)));
  }
  /** A position in the output (not inside a renamed identifier), in the original. */
  const original = (p) => {
    let lo = 0;
    let hi = outStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (outStarts[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    return lo ? p - shifts[lo - 1] : p;
  };
  const now = resolutions(scopesOf(out)).map(([a, b]) => [
    original(a),
    typeof b == 'number' ? original(b) : b,
  ]);
  if (JSON.stringify(now) != JSON.stringify(resolutions(scopes)))
    throw new Error('packNames: a name resolves elsewhere');
  // (Two parameters of one function under one name, `function(e,e)`, parse in a script, and each
  // read resolves to the first as before: each scope must still hold as many variables.)
  const counts = (sc) => sc.scopes.map((x) => x.variables.length).join();
  if (counts(scopesOf(out)) != counts(scopes)) throw new Error('packNames: two variables became one');
  const renamed = new Set(spots.map(([s]) => s));
  if (shape(out, new Set(outStarts)) != shape(ast, renamed)) throw new Error('packNames: the syntax changed');
  const after = gz(text);
  if (after > before && !walk) throw new Error('packNames: the file grew');
  const ms = new MagicString(code);
  for (const [s, e, k] of spots) if (name[k] != code.slice(s, e)) ms.overwrite(s, e, name[k]);
  if (ms.toString() != text) throw new Error('packNames: the mapped text is not the text');
  // (Kept only once it passed every check.)
  if (found && !walk) entry.write(name);
  return { code: text, map: ms.generateMap({ hires: true }), before, after };
}

/**
 * The rollup plugin, after terser and packOrder, and the name cache to give terser (`nameCache`):
 * terser fills it with the names its property mangler gave, the only properties swapped. With
 * `properties: false` (a file whose properties terser does not rename), variables only.
 */
export const packNames = ({ properties = true, ...options } = {}) => {
  const nameCache = {};
  return {
    nameCache,
    pack: {
      name: 'pack-names',
      renderChunk(code) {
        const renamed = nameCache.props?.props;
        if (properties && !renamed) throw new Error("packNames: terser's name cache has no properties");
        const mangled = properties ? new Set(Object.values(renamed)) : undefined;
        const { code: out, map } = pack(code, { cache: CACHE, mangled, ...options });
        return { code: out, map };
      },
    },
  };
};
