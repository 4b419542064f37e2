/** A debug line: silent unless the `debug` option is on, and absent from the production build. */
export type Log = (message: string, detail?: unknown) => void;

const silent: Log = () => undefined;

/**
 * The debug log of a tracker with option `debug` (a no-op, dropped by the minifier, in production).
 * A broken console must not break the page (here and in `warn`).
 */
export const createLog = (debug: boolean): Log =>
  DEBUG && debug
    ? (message, detail) => {
        try {
          console.log('twilight-tracker: ' + message, detail ?? '');
        } catch {
          /* ignore */
        }
      }
    : silent;

/**
 * `{ log }` for a unit's dependencies, in the debug build only: production has no debug lines to read
 * it, so tracker.js carries no key for it. (The type still says every unit has one: read it only
 * under `if (DEBUG)`, as every debug line does; the build of the production files fails on a `.log`
 * left in them, see rollup.config.mjs.)
 */
export const logDep = (log: Log) => (DEBUG ? { log } : {}) as { log: Log };

/**
 * A warning that always shows: a short code (explained in the README) and what it is about, e.g.
 * `twilight-tracker: E3 batchSize`; the debug build adds the explanation.
 */
export const warn = (code: 'E1' | 'E2' | 'E3' | 'E4' | 'E5', about: string): void => {
  try {
    console.warn('twilight-tracker: ' + code + ' ' + about + (DEBUG ? ' (' + WARNINGS[code] + ')' : ''));
  } catch {
    /* ignore */
  }
};

/** What each warning code means (the README's table says the same). */
export const WARNINGS = {
  E1: 'the tracker could not start: its methods do nothing',
  E2: 'the options are not an object; that layer is ignored',
  E3: 'a bad option value; its default applies',
  E4: 'an unknown or malformed queued call was ignored',
  E5: 'a queued call failed',
};
