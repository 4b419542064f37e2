import type { TwilightSdk } from '../types';
import { afterLoad } from './afterLoad';

/** Where the SDK puts itself. */
type Page = { Salla?: TwilightSdk; salla?: TwilightSdk };

/**
 * Call `found` once with the Twilight SDK: at once when given or on the page (`window.Salla` or
 * `window.salla` with its event bus), else when it appears: Salla's web components bundle defines
 * it from a module script (after every classic script) and fires `salla::created` on the window, the
 * SDK fires `twilight::initiated` on the window when ready, and a poll (25 ms doubling to 1 s, for a
 * minute) covers other loaders. `none` is called once if the page has loaded and a second later
 * there is still no SDK (the search goes on). Returns the cancel.
 */
export function waitSdk(
  found: (sdk: TwilightSdk) => void,
  none: () => void,
  given?: TwilightSdk,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = 25;
  let left = 60000;
  let done: true | undefined;
  const each = (f: typeof addEventListener) => {
    f('salla::created', check);
    f('twilight::initiated', check);
  };
  const cancel = () => {
    clearTimeout(timer);
    done = true;
    each(removeEventListener);
  };
  const check = () => {
    const s = given || (window as Page).Salla || (window as Page).salla;
    if (s && (given || s.event)) {
      cancel();
      found(s);
    } else if (left > 0) {
      clearTimeout(timer);
      timer = setTimeout(check, (delay = Math.min(1000, delay * 2)));
      left -= delay;
    }
  };
  each(addEventListener);
  // Cancelled before then: nothing.
  afterLoad(() => setTimeout(() => done || none(), 1000));
  check();
  return cancel;
}
