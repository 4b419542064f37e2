/** A tiny typed event emitter: `on` returns its unbind; listeners run on a copy, each isolated. */
export interface Emitter<M> {
  on<K extends keyof M>(kind: K, fn: (payload: M[K]) => void): () => void;
  emit<K extends keyof M>(kind: K, payload: M[K]): void;
}

type Entry<M> = [keyof M, (payload: never) => void];

export function createEmitter<M>(): Emitter<M> {
  let all: Entry<M>[] = [];
  return {
    on(kind, fn) {
      const e: Entry<M> = [kind, fn];
      all = all.concat([e]);
      return () => void (all = all.filter((x) => x != e));
    },
    emit(kind, payload) {
      // `all` is replaced, never changed, by on/unbind: this loop runs on a copy.
      for (const [k, fn] of all)
        try {
          if (k == kind) (fn as (p: M[typeof kind]) => void)(payload);
        } catch {
          /* a listener's error stays with the listener */
        }
    },
  };
}
