/** Types of bin/snippet.mjs: builds a Salla App Snippet (see `npx twilight-tracker --help`). */

/** The options a snippet can bake in (the tracker's option names). */
export interface SnippetOptions {
  endpoint?: string;
  writeKey?: string;
  settingsPrefix?: string;
  batchSize?: number | string;
  flushInterval?: number | string;
  consent?: 'pending' | 'granted' | 'denied';
  pii?: 'hash' | 'drop' | 'keep';
  deniedMode?: 'anonymous' | 'none';
  /** Where tracker.js loads tracker-vitals.js from; this or `webVitals: false` is required. */
  vitalsUrl?: string;
  webVitals?: false;
}

export const TRACKER_FILE: string;
export const SNIPPET_OPTIONS: readonly string[];
export const FLAGS: Readonly<Record<string, string>>;

/** A refused option; the CLI exits with `exitCode` (2). */
export class SnippetError extends Error {
  constructor(message: string, options?: { flag?: string; exitCode?: number });
  flag?: string;
  exitCode: number;
}

/** The validated defaults object, keys in SNIPPET_OPTIONS order. Throws SnippetError. */
export function snippetDefaults(options?: SnippetOptions): Record<string, string | number | boolean>;
/** `(window.twilightTracker=window.twilightTracker||[]).push(["defaults",{…}]);` */
export function snippetPreamble(defaults: object): string;
/** Banner line, preamble, dist/tracker.js. Throws SnippetError (exitCode 2) or Error (exitCode 1: not built). */
export function buildSnippet(
  options?: SnippetOptions,
  opts?: { trackerFile?: string; check?: boolean },
): string;
/** Throws (exitCode 1) unless `node --check` accepts the code. */
export function checkSyntax(code: string): void;
