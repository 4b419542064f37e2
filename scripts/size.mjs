// The size budget: gzip bytes of the built script-tag files against the budgets in package.json
// ("sizeLimit"), and what each feature costs in tracker.js: the feature's modules are replaced by
// stubs, the file is rebuilt in memory with the real build's minifier settings (rollup.config.mjs,
// internal names renamed), and the difference is its marginal cost. Those rebuilds skip the last
// steps of the real build, the packed declaration order and names (scripts/packOrder.mjs and
// packNames.mjs: a search of its own for each input), so each cost is against the same file
// unpacked; what the packing saves is a row of its own. Fails (exit 1) when a file is over its
// budget, or when the in-memory build is not the tracker.js on disk (a stale dist/).
//
//   npm run size                 the files, their budgets and the per-feature table (about a minute)
//   npm run size -- --quick      the files and their budgets only
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { min, packer, packSteps } from '../rollup.config.mjs';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const gz = (code) => gzipSync(code, { level: 9 }).length;

let over = false;
for (const { file, gzipBytes } of pkg.sizeLimit) {
  const src = readFileSync(new URL(file, root));
  const n = gz(src);
  const ok = n <= gzipBytes;
  over ||= !ok;
  console.log(
    `${file}: ${src.length.toLocaleString('en')} B raw, ${n.toLocaleString('en')} B gzip ` +
      `(budget ${gzipBytes.toLocaleString('en')} B) ${ok ? 'OK' : 'OVER BUDGET by ' + (n - gzipBytes) + ' B'}`,
  );
}

/**
 * Each feature of tracker.js and the stubs that take it out (module path → replacement source): the
 * stub keeps the module's exports so the rest still builds, and does nothing.
 */
const FEATURES = {
  'hook catalog (normalizers)': {
    'src/normalize/index.ts': 'export const hooks = {}; export const normalize = () => [];',
  },
  'SDK adapter (attach, facts)': {
    // The stub still hands the hooks somewhere, so the catalog is not dropped with the adapter.
    'src/sdk/attach.ts':
      'export const attachSdk = (sdk, s, h, onHook) => ((globalThis.__hook = onHook), () => undefined);',
    'src/sdk/facts.ts': `export const cfg = () => undefined; export const readState = () => undefined;
      export const storedConsent = () => undefined; export const appSettings = () => ({});
      export const listAttribution = () => undefined; export const callingCode = () => undefined;
      export const call = () => undefined;`,
  },
  'repair of track() properties (fields)': {
    'src/event/fields.ts': 'export const REQUIRED = {}; export const complete = () => true;',
  },
  'options (rules, layers, app settings)': {
    'src/core/options.ts': `export const APP_SETTINGS = []; export const given = () => false;
      export const layersOf = (x) => [x];
      export const parseOptions = () => ({ batchSize: 20, flushInterval: 2000, pii: 'hash', deniedMode: 'anonymous',
        webVitals: true, autoPage: true, callbackTimeout: 10000, storagePrefix: 'tt', settingsPrefix: 'tracker_' });`,
  },
  'persistence and tabs (tab store)': {
    'src/delivery/tabStore.ts':
      'export const MAX_STORED = 262144; export const createTabStore = () => ({ save: () => 0, claim() {}, release() {}, purge() {} });',
  },
  'unload beacons (planning)': {
    'src/delivery/beacon.ts': 'export const BEACON_BYTES = 16384; export const planBeacons = () => [];',
  },
  'transport fallbacks (beacon, fetchLater, XHR) and budget': {
    'src/browser/transport.ts': `export const post = (url, body) => fetch(url, { method: 'POST', body, keepalive: true })
        .then((r) => ({ status: r.status }), () => ({ status: 0 }));
      export const unload = (url, body) => navigator.sendBeacon(url, body); export const room = () => 65536; export const offline = () => false;`,
  },
  'consent and identity': {
    'src/pipeline/consent.ts': `export const INFERRED = 0, CONFIGURED = 1, SHOPPER = 2, EXPLICIT = 3;
      export const createConsent = () => ({ state: () => 'granted', set: () => false });`,
    'src/pipeline/identity.ts': `export const DENIED = 2, SIGNED_OUT = 1;
      export const createIdentity = () => ({ anonymousId: () => 'a', pageId: () => 'p',
      newPage: () => 0, sessionId: () => 's', resetSession() {}, persist() {}, purge() {} });`,
  },
  'PII hashing (ordered)': {
    'src/pipeline/orderedProtect.ts':
      'export const createOrderedProtect = () => ({ run: (e, next) => next({ safe: e, raw: e }), idle: () => Promise.resolve() });',
  },
  'order ledger': {
    'src/pipeline/ledger.ts':
      'export const createLedger = () => ({ fresh: () => true, persist() {}, purge() {} });',
  },
  'callback destinations': {
    'src/delivery/callback.ts': 'export const createCallbackDestination = () => undefined;',
  },
  'sanitize and 32 KB bound': {
    'src/event/bounds.ts':
      'export const MAX_EVENT_BYTES = 32768; export const MAX_PAGE_BYTES = 4096; export const sanitize = (v) => v; export const fit = () => true;',
  },
  'campaign (UTM)': { 'src/pipeline/campaign.ts': 'export const campaign = () => undefined;' },
  'script-tag global and queued calls': {
    'src/browser/installGlobal.ts': 'export const installGlobal = (w, d, create) => create([d], []);',
  },
  'SDK discovery (waitSdk)': { 'src/browser/waitSdk.ts': 'export const waitSdk = () => () => undefined;' },
  'web-vitals loader': {
    'src/browser/loadVitals.ts': 'export const VITAL_EVENT = ""; export const loadVitals = () => undefined;',
  },
};

/** tracker.js, built in memory with `stubs` in place of those modules (no source map comment), packed or not. */
async function build(stubs = {}, packed = false) {
  const rootPath = new URL('.', root).pathname;
  const names = packer(true);
  const bundle = await rollup({
    input: 'src/iife.ts',
    onwarn: () => undefined,
    plugins: [
      {
        name: 'stub',
        load(id) {
          const rel = id.startsWith(rootPath) ? id.slice(rootPath.length) : id;
          return stubs[rel];
        },
      },
      resolve(),
      typescript({
        tsconfig: './tsconfig.json',
        include: ['src/**/*.ts'],
        noEmitOnError: false,
        noCheck: true,
      }),
      min(false, true, packed ? names.nameCache : undefined),
      ...(packed ? packSteps(names, true) : []),
    ],
  });
  const { output } = await bundle.generate({ format: 'iife' });
  return output[0].code;
}

if (!process.argv.includes('--quick')) {
  const code = await build({}, true);
  // The table is about the file that ships: the in-memory build must be it, byte for byte.
  const file = readFileSync(new URL('dist/tracker.js', root), 'utf8');
  // (The rebuilds end as the file does, with its final newline or source map comment if it has
  // one: it ships, and gzip counts it.)
  const end = /\s*(\/\/# sourceMappingURL=\S+\s*)?$/.exec(file)[0];
  const sized = (c) => gz(c.trimEnd() + end);
  if (code.trim() != file.slice(0, file.length - end.length).trim()) {
    console.log('dist/tracker.js is not what src/ builds: run `npm run build` first');
    process.exit(1);
  }
  const shipped = sized(code);
  const whole = sized(await build());
  console.log(
    `\ntracker.js per feature (each stubbed out and rebuilt unpacked; ${shipped.toLocaleString('en')} B in all):`,
  );
  const rows = [];
  for (const [name, stubs] of Object.entries(FEATURES)) rows.push([name, whole - sized(await build(stubs))]);
  rows.sort((a, b) => b[1] - a[1]);
  for (const [name, cost] of rows)
    console.log(`  ${String(cost.toLocaleString('en')).padStart(6)} B  ${name}`);
  const named = rows.reduce((n, [, c]) => n + c, 0);
  console.log(
    `  ${String((whole - named).toLocaleString('en')).padStart(6)} B  the rest (composition, pipeline, queue, router, endpoint, readers…)`,
  );
  console.log(
    `  ${String((shipped - whole).toLocaleString('en')).padStart(6)} B  undefined, declaration order and names packed for gzip (scripts/packUndefined.mjs, packOrder.mjs, packNames.mjs)`,
  );
}
if (over) process.exit(1);
