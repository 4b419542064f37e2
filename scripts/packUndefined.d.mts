/** Types of scripts/packUndefined.mjs: tracker.js's `void 0`s as one variable. */
import type { SourceMap } from 'rollup';

/** The rollup plugin; `renderChunk` is null when the file has no `void 0`, or would not get smaller. */
export function packUndefined(): {
  name: string;
  renderChunk(code: string): { code: string; map: SourceMap } | null;
};
