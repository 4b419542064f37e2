// Bundles the peers that ship no browser build of their own on npm (@jitsu/js: only an unminified
// p.js.txt) into minified IIFE files, the way a site would serve them from a script tag.
import fs from 'node:fs';
import path from 'node:path';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const PEERS = { jitsu: { input: '@jitsu/js', name: 'Jitsu' } };

/** Builds every peer into `outDir/<name>.js`. */
export async function buildPeers(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  for (const [file, { input, name }] of Object.entries(PEERS)) {
    const bundle = await rollup({
      input,
      plugins: [resolve({ browser: true }), terser({ format: { comments: false } })],
      onwarn: () => {},
    });
    await bundle.write({ file: path.join(outDir, file + '.js'), format: 'iife', name });
    await bundle.close();
  }
}
