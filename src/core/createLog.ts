/** A prefixed, levelled console logger; silent unless `debug`. Never throws. */
export type Log = (message: string, detail?: unknown) => void;

const PREFIX = '[twilight-tracker] ';

export function createLog(debug: boolean): Log {
  return (message, detail) => {
    if (!debug) return;
    try {
      // eslint-disable-next-line no-console
      console.log(PREFIX + message, detail === undefined ? '' : detail);
    } catch {
      /* a broken console must not break the page */
    }
  };
}

/** A warning that is always shown (bad options); never throws. */
export function warn(message: string): void {
  try {
    // eslint-disable-next-line no-console
    console.warn(PREFIX + message);
  } catch {
    /* ignore */
  }
}
