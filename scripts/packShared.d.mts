/** Types of scripts/packShared.mjs: what the packing steps share (the parts its tests use). */

/** Where builds keep what a search found (node_modules/.cache/twilight-tracker). */
export const CACHE: string;
/** What the last build's searches found, kept in the repository (scripts/packed.json, or `TT_PACKED`). */
export const KEPT: string;
/** Writes `KEPT`: the entries this process's builds used or found, and no others. */
export function writeKept(): void;
