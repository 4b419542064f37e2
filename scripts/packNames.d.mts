/** Types of scripts/packNames.mjs: tracker.js's variable and mangled property names, swapped for gzip. */
import type { Plugin } from 'rollup';

export interface PackNamesOptions {
  /** Swaps of variables' names tried (60,000). */
  iterations?: number;
  /** Swaps of renamed properties' names tried, after those (15,000). */
  propIterations?: number;
  /** The names terser's property mangler gave (its name cache): the properties swapped. */
  mangled?: ReadonlySet<string>;
  /** The search's seed: the same input and seed give the same file. */
  seed?: number;
  /** A directory where the names found for an input are kept. */
  cache?: string;
  /** Take every allowed swap, whatever the size (tests: the rules keep what the code does). */
  walk?: boolean;
}

export interface PackedNames {
  code: string;
  /** Maps the renamed file to `code`. */
  map: { mappings: string; sources: string[] };
  /** gzip bytes of `code` and of the renamed file. */
  before: number;
  after: number;
}

export function pack(code: string, options?: PackNamesOptions): PackedNames;
/** `nameCache` goes to terser (it fills it), `pack` after terser and packOrder. */
export function packNames(options?: PackNamesOptions): { nameCache: object; pack: Plugin };
