/** A prefixed, levelled console logger; silent unless `debug`. Never throws. */
export type Log = (message: string, detail?: unknown) => void;

/** Print to the console; a broken console must not break the page. */
const out = (level: 'log' | 'warn', message: string, ...detail: unknown[]) => {
  try {
    console[level]('[twilight-tracker] ' + message, ...detail);
  } catch {
    /* ignore */
  }
};

export const createLog =
  (debug: boolean): Log =>
  (message, detail) =>
    debug && out('log', message, detail === undefined ? '' : detail);

/** A warning that is always shown (bad options); never throws. */
export const warn = (message: string): void => out('warn', message);
