import { readFileSync } from 'node:fs';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const ts = () => typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], sourceMap: true });
const min = () =>
  terser({
    ecma: 2020,
    module: true,
    toplevel: true,
    compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
    format: { comments: false },
  });
const banner = `/*! twilight-tracker ${version} | MIT */`;

export default [
  {
    input: 'src/iife.ts',
    output: { file: 'dist/tracker.js', format: 'iife', sourcemap: true, banner },
    plugins: [resolve(), ts(), min()],
  },
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.mjs', format: 'es', sourcemap: true, banner },
    plugins: [resolve(), ts(), min()],
  },
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.d.ts', format: 'es' },
    plugins: [dts()],
  },
];
