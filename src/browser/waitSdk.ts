import type { TwilightSdk } from '../types';

/**
 * Call `cb` once with the SDK: at once when given, or when the page's (`window.Salla` or
 * `window.salla`) has its event bus, else when `twilight::initiated` fires on the document or a poll
 * (50 ms doubling to 1 s, for a minute) finds it. Returns the cancel.
 */
export function waitSdk(cb: (sdk: TwilightSdk) => void, given?: TwilightSdk): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = 25;
  let left = 60000;
  const cancel = () => {
    clearTimeout(timer);
    left = 0;
    document.removeEventListener('twilight::initiated', check);
  };
  function check() {
    const w = window as { Salla?: TwilightSdk; salla?: TwilightSdk };
    const s = given || w.Salla || w.salla;
    if (s && (given || s.event)) {
      cancel();
      cb(s);
    } else if (left > 0) {
      timer = setTimeout(check, (delay = Math.min(1000, delay * 2)));
      left -= delay;
    }
  }
  document.addEventListener('twilight::initiated', check);
  check();
  return cancel;
}
