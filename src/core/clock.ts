/** Time and timers, injected so that tests can use fake timers and a fixed clock. */
export interface Clock {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Looked up at each call, so that fake timers installed later apply. */
export const realClock: Clock = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as number),
};
