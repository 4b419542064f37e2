import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import MagicString from 'magic-string';
import { dts } from 'rollup-plugin-dts';
import { packNames } from './scripts/packNames.mjs';
import { packOrder } from './scripts/packOrder.mjs';
import { packUndefined } from './scripts/packUndefined.mjs';
import { writeKept } from './scripts/packShared.mjs';

const json = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const { version } = json('./package.json');

// Source maps carry their sources (`inlineSources`): `src/` is not in the npm package.
const ts = () =>
  typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], sourceMap: true, inlineSources: true });
/**
 * tracker.js: properties of internal objects only (the units' interfaces and dependencies; never an
 * option, event, report, stat, stored record or anything of the public API) get short names. The
 * build fails when one is also a string in the code (read by key) or a property in src/types.ts or
 * src/schema.ts (a line `name: …` or `name(…` not ending in a comma, which is a parameter). This
 * list is the only gate (`builtins: true`: terser's list of DOM names is not consulted), so a name
 * joins it only once no access of it in the bundle is on a browser, built-in or SDK object.
 */
// prettier-ignore
const INTERNAL = ['adding', 'addSource', 'adopt', 'auth', 'begin', 'busy', 'bytes', 'changed', 'choice', 'claim', 'clock', 'concurrency', 'configure', 'counts', 'customer', 'customerId', 'deliver', 'drain', 'emit', 'env', 'facts', 'failing', 'fallback', 'fallbackName', 'found', 'fresh', 'give', 'hook', 'identity', 'idle', 'json', 'kept', 'kv', 'landing', 'later', 'ledger', 'lifecycle', 'limits', 'listed', 'maxBytes', 'maxItems', 'newPage', 'options', 'out', 'over', 'pageId', 'pageSlug', 'pageTitle', 'parts', 'persist', 'pipeline', 'post', 'prev', 'prefix', 'protect', 'purge', 'putBack', 'queue', 'raw', 'recent', 'release', 'report', 'reporter', 'reports', 'reserve', 'resetSession', 'retryAfter', 'room', 'router', 'run', 'safe', 'save', 'session', 'sessionId', 'settle', 'sha256', 'shown', 'sig', 'signedOut', 'state', 'stop', 'stopped', 'stored', 'storeCurrency', 'storeId', 'storeName', 'tabId', 'take', 'taken', 'unload', 'uuid', 'via', 'viewed', 'vitals', 'waitSdk'];
const internal = () => ({
  name: 'internal-names',
  buildStart() {
    const types = ['src/types.ts', 'src/schema.ts'].map((f) => readFileSync(f, 'utf8')).join();
    const bad = INTERNAL.filter((n) => new RegExp(`^\\s*${n}\\??\\s*[:(].*[^,]$`, 'm').test(types));
    if (bad.length) this.error('public, cannot be mangled: ' + bad);
  },
  renderChunk(code) {
    const bad = new Set();
    const walk = (n) => {
      if (n && typeof n == 'object') {
        if (INTERNAL.includes(n.type == 'Literal' ? n.value : n.type == 'TemplateElement' && n.value.cooked))
          bad.add(n.value.cooked ?? n.value);
        Object.values(n).forEach(walk);
      }
    };
    walk(this.parse(code));
    if (bad.size) this.error('read by key, cannot be mangled: ' + [...bad]);
  },
});
/**
 * Every `const` declaration is written `let` before minifying: one keyword compresses better than
 * two (-54 B gzip in tracker.js). They mean the same here: TypeScript rejects any assignment to a
 * constant, and the temporal dead zone is the same. Same length (`let` and two spaces), so every
 * position, and the source map, stays as it was.
 */
const letOnly = (code, ast) => {
  const at = [];
  const walk = (n) => {
    if (n && typeof n == 'object') {
      if (n.type == 'VariableDeclaration' && n.kind == 'const') at.push(n.start);
      Object.values(n).forEach(walk);
    }
  };
  walk(ast);
  let out = code;
  for (const s of at) {
    if (out.slice(s, s + 5) != 'const') throw new Error('letOnly: no `const` at ' + s);
    out = out.slice(0, s) + 'let  ' + out.slice(s + 5);
  }
  return out;
};
/**
 * Minified; `DEBUG` (src/globals.d.ts) decides whether the debug lines and their text stay. (Also used
 * by scripts/size.mjs, whose per-feature table rebuilds tracker.js exactly as here.)
 */
export const min = (debug, props, nameCache) => {
  const t = terser({
    // (Filled with the names the property mangler gave: scripts/packNames.mjs swaps those only.)
    ...(nameCache && { nameCache }),
    ecma: 2020,
    module: true,
    toplevel: true,
    compress: {
      passes: 5,
      inline: 1,
      pure_getters: true,
      unsafe_arrows: true,
      global_defs: { DEBUG: debug },
    },
    format: { comments: false },
    mangle: !props || { properties: { builtins: true, regex: new RegExp(`^(${INTERNAL.join('|')})$`) } },
  });
  return {
    ...t,
    renderChunk(code, ...rest) {
      return t.renderChunk.call(this, letOnly(code, this.parse(code)), ...rest);
    },
  };
};
/**
 * The production files: no debug line is left. A unit's `log` exists in the debug build only
 * (`logDep`), so a `….log(…)` that escaped an `if (DEBUG)` would throw there, where only the browser
 * tests run the file: the build fails instead.
 */
const noDebugLines = () => ({
  name: 'no-debug-lines',
  renderChunk(code) {
    const found = [];
    const walk = (n) => {
      if (n && typeof n == 'object') {
        if (n.type == 'MemberExpression' && !n.computed && n.property.name == 'log')
          found.push(code.slice(Math.max(0, n.start - 40), n.end + 20));
        Object.values(n).forEach(walk);
      }
    };
    walk(this.parse(code));
    if (found.length) this.error('a debug line outside `if (DEBUG)`: ' + found.join(' … '));
  },
});
/**
 * The license line a built file starts with, added after terser (which drops comments) and the
 * packing: the files that carry web-vitals' code name it and its license (THIRD_PARTY_NOTICES).
 * tracker.js has none: it is this project's own code (LICENSE), and the line would cost it 24 B gzip.
 */
const notice = (text) => ({
  name: 'notice',
  renderChunk(code) {
    const s = new MagicString(code).prepend(text);
    return { code: s.toString(), map: s.generateMap({ hires: true }) };
  },
});
const banner = notice(`/*! twilight-tracker ${version} | MIT */`);
const vitalsBanner = notice(
  `/*! twilight-tracker ${version} | MIT; includes web-vitals ${json('./node_modules/web-vitals/package.json').version}, (c) Google LLC, Apache-2.0 */`,
);
/** Writes the file's Subresource Integrity hash (sha384) to `sri.json` beside it, for pages that pin it. */
const sri = () => ({
  name: 'sri',
  writeBundle(options) {
    const out = join(dirname(options.file), 'sri.json');
    const all = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
    const hash = createHash('sha384').update(readFileSync(options.file)).digest('base64');
    all[basename(options.file)] = `sha384-${hash}`;
    writeFileSync(out, JSON.stringify(all, Object.keys(all).sort(), 2) + '\n');
  },
});
/**
 * The seed of tracker.js's first two searches. The searches are chaotic (a source a few bytes smaller
 * can pack a few bytes larger): seeds 1 to 5 packed the 2026-12-06 source to 13,970, 13,945, 13,986,
 * 13,982 and 13,990 B, and the best was taken (with swaps of names only, scripts/packNames.mjs's
 * `moves: 0`: 14,003, 14,012, 14,016, 14,003 and 14,002 B). A later source may do better with
 * another one.
 */
const SEED = 2;
/**
 * The packing steps, after terser (scripts/size.mjs rebuilds tracker.js with the same): `undefined`
 * as one variable, the order of declarations, the names, and the order again (−16 B more). For
 * tracker.js (`props`: its internal properties renamed too) the first two searches (the order and
 * the names) run four times as long as they first did (−38 B; about six minutes of a build): a
 * clone finds their results in scripts/packed.json, which each build writes (`keep`), and searches
 * only for a source changed since.
 */
export const packer = (props) =>
  packNames(props ? { iterations: 240000, propIterations: 60000, seed: SEED } : { properties: false });
export const packSteps = (names, props) => [
  packUndefined(),
  packOrder(props ? { iterations: 120000, seed: SEED } : {}),
  names.pack,
  packOrder(),
];
/** Writes scripts/packed.json once the packed files are written: what this build's searches found. */
const keep = () => ({ name: 'keep-packed', writeBundle: writeKept });
/**
 * The production script files keep their source maps beside them (`tracker.js.map`, for error trackers
 * and devtools' "Add source map") without a `sourceMappingURL` comment: shoppers' browsers never fetch a
 * map, and the comment cost 24 B gzip of the shipped file. `tracker.debug.js` keeps its comment.
 */
const script = (input, file, debug = false, props = false, packed = props, license = !props && banner) => {
  const names = packer(props);
  return {
    input,
    // (`compact`: Rollup then adds no final newline, the only one in the file: it added a symbol to
    // gzip's code table, 5 B of tracker.js. Terser minifies either way.)
    output: { file, format: 'iife', sourcemap: debug || 'hidden', compact: !debug },
    plugins: [
      resolve(),
      ts(),
      ...(props ? [internal()] : []),
      min(debug, props, props ? names.nameCache : undefined),
      // (tracker.js: its declarations in the order, and its variables and renamed properties under the
      // names, that gzip packs best: scripts/packOrder.mjs and scripts/packNames.mjs, which learns the
      // renamed properties from terser's name cache. The order again after the names: −16 B more.)
      ...(packed ? packSteps(names, props) : []),
      ...(debug ? [] : [noDebugLines()]),
      ...(license ? [license] : []),
      sri(),
      ...(packed ? [keep()] : []),
    ],
  };
};
/** The npm build: `debug` as for the script files (`index.debug.mjs` is the `development` condition's). */
const esm = (input, file, debug = false, license = banner) => ({
  input,
  output: { file, format: 'es', sourcemap: true },
  plugins: [resolve(), ts(), min(debug), ...(debug ? [] : [noDebugLines()]), license],
});
const types = (input, file) => ({ input, output: { file, format: 'es' }, plugins: [dts()] });

export default [
  // The script tag: production (no debug text), debug, and the web-vitals file it loads after `load`.
  script('src/iife.ts', 'dist/tracker.js', false, true),
  script('src/iife.ts', 'dist/tracker.debug.js', true),
  // (tracker-vitals.js packed too: its variables' names and order, −132 B; its properties are web-vitals'.)
  script('src/vitalsScript.ts', 'dist/tracker-vitals.js', false, false, true, vitalsBanner),
  // npm: the tracker, and web vitals as their own entry (`twilight-tracker/vitals`).
  esm('src/index.ts', 'dist/index.mjs'),
  esm('src/index.ts', 'dist/index.debug.mjs', true),
  esm('src/vitals.ts', 'dist/vitals.mjs', false, vitalsBanner),
  types('src/index.ts', 'dist/index.d.ts'),
  types('src/vitals.ts', 'dist/vitals.d.ts'),
];
