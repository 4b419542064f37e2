// Fails when dist/tracker.js exceeds the gzip budget written in package.json ("sizeLimit").
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const { file, gzipBytes } = pkg.sizeLimit;
const src = readFileSync(new URL('../' + file, import.meta.url));
const gz = gzipSync(src, { level: 9 }).length;
const ok = gz <= gzipBytes;
console.log(
  `${file}: ${src.length} B raw, ${gz} B gzip (budget ${gzipBytes} B gzip) ${ok ? 'OK' : 'OVER BUDGET'}`,
);
if (!ok) process.exit(1);
