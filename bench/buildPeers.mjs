// Bundles the peers that ship no browser build of their own on npm (@jitsu/js: only an unminified
// p.js.txt) into minified IIFE files, the way a site would serve them from a script tag. A bundle is
// rebuilt only when package-lock.json or this file changed since it was made (a `.stamp` next to it).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const PEERS = { jitsu: { input: '@jitsu/js', name: 'Jitsu' } };

const HERE = fileURLToPath(import.meta.url);
const read = (f) => {
  try {
    return fs.readFileSync(f);
  } catch {
    return '';
  }
};

/** Builds every peer into `outDir/<name>.js`. */
export async function buildPeers(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = createHash('sha256')
    .update(read(path.join(path.dirname(HERE), '../package-lock.json')))
    .update(read(HERE))
    .digest('hex');
  for (const [file, { input, name }] of Object.entries(PEERS)) {
    const out = path.join(outDir, file + '.js');
    if (fs.existsSync(out) && String(read(out + '.stamp')) === stamp) continue;
    const bundle = await rollup({
      input,
      plugins: [resolve({ browser: true }), terser({ format: { comments: false } })],
      onwarn: () => {},
    });
    await bundle.write({ file: out, format: 'iife', name });
    await bundle.close();
    fs.writeFileSync(out + '.stamp', stamp);
  }
}
