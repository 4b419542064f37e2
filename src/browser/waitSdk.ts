import type { TwilightSdk } from '../types';

/** The SDK on the page (`window.Salla` or `window.salla`), once its event bus exists. */
const find = (): TwilightSdk | undefined => {
  const w = window as { Salla?: TwilightSdk; salla?: TwilightSdk };
  const s = w.Salla || w.salla;
  return s && s.event ? s : undefined;
};

/**
 * Call `cb` once with the SDK: at once when given or present, else when `twilight::initiated`
 * fires on the document or a poll (50 ms doubling to 1 s, for a minute) finds it. Returns the cancel.
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
    const s = given || find();
    if (s) {
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
