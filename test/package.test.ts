/**
 * package.json as an npm consumer's TypeScript reads it: both entries (`twilight-tracker` and
 * `twilight-tracker/vitals`) must resolve to their declaration files under each `moduleResolution` a
 * project may use. The package is seen at `/app/node_modules/twilight-tracker` (this repository),
 * imported from an ES module of `/app`; the declaration files count as there (the build writes them).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PKG = '/app/node_modules/twilight-tracker/';
const real = (file: string) => (file.startsWith(PKG) ? path.join(ROOT, file.slice(PKG.length)) : null);
const host: ts.ModuleResolutionHost = {
  fileExists: (file) =>
    file === '/app/package.json' ||
    /^dist\/[a-z]+\.d\.ts$/.test(file.slice(PKG.length)) ||
    (real(file) !== null && fs.existsSync(real(file) as string)),
  readFile: (file) =>
    file === '/app/package.json'
      ? '{"name":"app","type":"module"}'
      : real(file) !== null && fs.existsSync(real(file) as string)
        ? fs.readFileSync(real(file) as string, 'utf8')
        : undefined,
  directoryExists: (dir) => '/app/node_modules/twilight-tracker'.startsWith(dir) || real(dir + '/') !== null,
  realpath: (file) => file,
};

// Each with the import's mode where the setting has one (an ES module, as `"type": "module"` makes it).
const modes = {
  bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
  node16: { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, esm: true },
  nodenext: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, esm: true },
  // `"moduleResolution": "node"`: older projects' setting, and the default with `module: commonjs`.
  node10: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10 },
};

describe('package.json: the types of both entries resolve', () => {
  for (const [mode, { esm, ...options }] of Object.entries(modes) as Array<
    [string, ts.CompilerOptions & { esm?: boolean }]
  >)
    it(`under moduleResolution ${mode}`, () => {
      const resolved = ['twilight-tracker', 'twilight-tracker/vitals'].map((name) => {
        const { resolvedModule } = ts.resolveModuleName(
          name,
          '/app/src/app.ts',
          { ...options, strict: true },
          host,
          undefined,
          undefined,
          esm ? ts.ModuleKind.ESNext : undefined,
        );
        return resolvedModule?.resolvedFileName.replace(PKG, '') ?? `${name}: not found`;
      });
      expect(resolved).toEqual(['dist/index.d.ts', 'dist/vitals.d.ts']);
    });
});

/**
 * The npm build's source maps point at `src/…`, which is not published (`files`: `dist`, `bin`): each
 * map must carry its sources, else a consumer's bundler warns for each one it cannot read (webpack's
 * source-map-loader: "Failed to parse source map … ENOENT") and devtools show no source.
 */
describe.skipIf(!fs.existsSync(path.join(ROOT, 'dist/index.mjs.map')))('the published source maps', () => {
  const files = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  const published = (file: string) => files.files.some((f) => file === f || file.startsWith(f + '/'));
  for (const map of ['index.mjs.map', 'vitals.mjs.map', 'tracker.js.map', 'tracker-vitals.js.map'])
    it(`dist/${map} carries every source that is not in the package`, () => {
      const { sources, sourcesContent = [] } = JSON.parse(
        fs.readFileSync(path.join(ROOT, 'dist', map), 'utf8'),
      ) as { sources: string[]; sourcesContent?: Array<string | null> };
      const missing = sources.filter(
        (s, i) => typeof sourcesContent[i] !== 'string' && !published(path.posix.join('dist', s)),
      );
      expect(missing).toEqual([]);
    });
  // A shopper's browser fetches no map: only the debug script names its own.
  it.each([
    ['tracker.js', undefined],
    ['tracker-vitals.js', undefined],
    ['tracker.debug.js', 'tracker.debug.js.map'],
  ])('dist/%s names its source map: %s', (file, named) => {
    const code = fs.readFileSync(path.join(ROOT, 'dist', file), 'utf8');
    expect(/\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)?.[1]).toBe(named);
    const map = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', file + '.map'), 'utf8')) as {
      file: string;
    };
    expect(map.file).toBe(file);
  });
});

/**
 * The files the README tells users to take from the package (the script files to host, and `sri.json`
 * to pin them) resolve through `exports` as Node and bundlers read it: a path not listed there is
 * refused (ERR_PACKAGE_PATH_NOT_EXPORTED) even though the file is in the package.
 */
describe.skipIf(!fs.existsSync(path.join(ROOT, 'dist/sri.json')))(
  'package.json exports: the files to host and pin',
  () => {
    it('tracker.js, tracker.debug.js, tracker-vitals.js and sri.json resolve to dist/', () => {
      const app = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-app-'));
      fs.mkdirSync(path.join(app, 'node_modules'));
      fs.symlinkSync(ROOT, path.join(app, 'node_modules', 'twilight-tracker'), 'dir');
      const require = createRequire(path.join(app, 'app.cjs'));
      const files = ['tracker.js', 'tracker.debug.js', 'tracker-vitals.js', 'sri.json'].map((f) => {
        try {
          return path.relative(ROOT, require.resolve('twilight-tracker/' + f));
        } catch (e) {
          return (e as { code?: string }).code ?? String(e);
        }
      });
      fs.rmSync(app, { recursive: true });
      expect(files).toEqual([
        'dist/tracker.js',
        'dist/tracker.debug.js',
        'dist/tracker-vitals.js',
        'dist/sri.json',
      ]);
    });
  },
);

/**
 * The npm entry as a bundler resolves it: production bundles get `dist/index.mjs`, without the debug
 * lines' text; under the `development` condition (Vite's dev server, webpack's development mode,
 * `node --conditions=development`) `dist/index.debug.mjs`, whose `debug: true` logs. Bundled here
 * with rollup and @rollup/plugin-node-resolve, as a consumer's project would (the plugin adds
 * `production` or `development` by NODE_ENV; given here, as Vite and webpack give theirs by mode).
 */
describe.skipIf(!fs.existsSync(path.join(ROOT, 'dist/index.debug.mjs')))('the npm entry in a bundle', () => {
  const bundle = async (exportConditions: string[]) => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-app-'));
    fs.mkdirSync(path.join(app, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(app, 'node_modules', 'twilight-tracker'), 'dir');
    fs.writeFileSync(path.join(app, 'app.js'), "export { createTracker } from 'twilight-tracker';\n");
    try {
      const build = await rollup({
        input: path.join(app, 'app.js'),
        plugins: [nodeResolve({ browser: true, exportConditions })],
        logLevel: 'silent',
      });
      const { output } = await build.generate({ format: 'es' });
      const ids = build.cache?.modules.map((m) => path.relative(ROOT, m.id)) ?? [];
      return { ids, code: output[0].code };
    } finally {
      fs.rmSync(app, { recursive: true });
    }
  };
  // A debug line's text (src/delivery/callback.ts), and a warning code that always shows (E-codes).
  const DEBUG_TEXT = 'register: bad destination';
  it('production: dist/index.mjs, no debug text', async () => {
    const { ids, code } = await bundle(['production']);
    expect(ids).toContain('dist/index.mjs');
    expect(code.includes(DEBUG_TEXT)).toBe(false);
    expect(code).toMatch(/twilight-tracker: /);
  });
  it('development condition: dist/index.debug.mjs, with the debug text', async () => {
    const { ids, code } = await bundle(['development']);
    expect(ids).toContain('dist/index.debug.mjs');
    expect(code.includes(DEBUG_TEXT)).toBe(true);
  });
});
