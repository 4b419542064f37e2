/**
 * True in the debug builds (`dist/tracker.debug.js`, the ESM build, tests), false in the production
 * `dist/tracker.js`: the minifier then drops every debug line and its text.
 */
declare const DEBUG: boolean;
