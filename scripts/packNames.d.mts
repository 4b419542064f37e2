/** Types of scripts/packNames.mjs: tracker.js's variable and mangled property names, renamed for gzip. */
import type { Plugin } from 'rollup';
import type { Packed } from './packOrder.mjs';

export interface PackNamesOptions {
  /** Renames of variables tried: swaps of two names, or moves of one to a name its scope lacks (60,000). */
  iterations?: number;
  /** Swaps of renamed properties' names tried, after those (15,000). */
  propIterations?: number;
  /** The names terser's property mangler gave (its name cache): the properties swapped. */
  mangled?: ReadonlySet<string>;
  /** The search's seed: the same input and seed give the same file. */
  seed?: number;
  /** A directory where the names found for an input are kept. */
  cache?: string;
  /** The share of the variables' tries that give one a name its scope does not have, not swap two (0.5). */
  moves?: number;
  /** Take every allowed rename, whatever the size (tests: the rules keep what the code does). */
  walk?: boolean;
}

/** The renamed file, its map (to `code`) and the gzip bytes before and after: as packOrder's. */
export type PackedNames = Packed;

export function pack(code: string, options?: PackNamesOptions): PackedNames;
/** `nameCache` goes to terser (it fills it), `pack` after terser and packOrder. */
export function packNames(options?: PackNamesOptions & { properties?: boolean }): {
  nameCache: object;
  pack: Plugin;
};
