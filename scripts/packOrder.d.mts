/** Types of scripts/packOrder.mjs: tracker.js's declarations in the order that gzip packs best. */
import type { Plugin } from 'rollup';

export interface PackOptions {
  /** Moves tried in the IIFE's body (30,000). */
  iterations?: number;
  /** Moves tried in each inner function body that has a few movable declarations (3,000). */
  inner?: number;
  /** The search's seed: the same input and seed give the same file. */
  seed?: number;
  /** A directory where the order found for an input is kept. */
  cache?: string;
  /** Take every allowed move, whatever the size (tests: the rules keep what the code does). */
  walk?: boolean;
}

export interface Packed {
  code: string;
  /** Maps the packed file to `code`. */
  map: { mappings: string; sources: string[] };
  /** gzip bytes of `code` and of the packed file. */
  before: number;
  after: number;
}

export function pack(code: string, options?: PackOptions): Packed;
export function packOrder(options?: PackOptions): Plugin;
