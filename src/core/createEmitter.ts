/** A tiny typed event emitter: `on` returns its unbind; listeners run on a copy, each isolated. */
export interface Emitter<M> {
  on<K extends keyof M>(kind: K, fn: (payload: M[K]) => void): () => void;
  emit<K extends keyof M>(kind: K, payload: M[K]): void;
}

export function createEmitter<M>(): Emitter<M> {
  let all: Array<[keyof M, (payload: never) => void]> = [];
  return {
    on(kind, fn) {
      const entry: [keyof M, (payload: never) => void] = [kind, fn];
      all = all.concat([entry]);
      return () => void (all = all.filter((x) => x !== entry));
    },
    emit(kind, payload) {
      for (const [k, fn] of all) {
        if (k === kind)
          try {
            (fn as (p: M[typeof kind]) => void)(payload);
          } catch {
            /* a listener's error stays with the listener */
          }
      }
    },
  };
}
