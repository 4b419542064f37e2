/** Time and timers, injected so that tests can use fake timers and a fixed clock. */
export interface Clock {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
