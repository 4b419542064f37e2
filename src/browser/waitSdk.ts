import type { TwilightSdk } from '../types';

type Win = Window & { Salla?: TwilightSdk; salla?: TwilightSdk };

/** The SDK on the page, if it is there. */
export function findSdk(): TwilightSdk | undefined {
  try {
    const w = window as Win;
    const s = w.Salla || w.salla;
    return s && typeof s === 'object' ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Call `cb` once with the SDK: at once when present, else when `twilight::initiated` fires on the
 * document or a poll finds it (every 50 ms, backing off to 1 s, for 60 s). Returns the cancel.
 */
export function waitSdk(cb: (sdk: TwilightSdk) => void, given?: TwilightSdk): () => void {
  const now = given || findSdk();
  if (now) {
    cb(now);
    return () => undefined;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = 50;
  let waited = 0;
  const check = () => {
    const s = findSdk();
    if (s && (s as { event?: unknown }).event) {
      cancel();
      cb(s);
    } else if (waited < 60000) {
      timer = setTimeout(check, delay);
      waited += delay;
      delay = Math.min(1000, delay * 2);
    }
  };
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    document.removeEventListener('twilight::initiated', check);
    waited = Infinity;
  };
  document.addEventListener('twilight::initiated', check);
  timer = setTimeout(check, 0);
  return cancel;
}
