/** A tiny typed event emitter: `on` returns its unbind; listeners run on a copy, each isolated. */
export interface Emitter<M> {
  on<K extends keyof M>(kind: K, fn: (payload: M[K]) => void): () => void;
  emit<K extends keyof M>(kind: K, payload: M[K]): void;
}

type Entry<M> = [keyof M, (payload: never) => void];

export function createEmitter<M>(): Emitter<M> {
  const all = new Set<Entry<M>>();
  return {
    on(kind, fn) {
      const e: Entry<M> = [kind, fn];
      all.add(e);
      return () => void all.delete(e);
    },
    emit(kind, payload) {
      // On a copy: listeners added or removed meanwhile do not change this round.
      for (const [k, fn] of [...all])
        try {
          if (k == kind) (fn as (p: M[typeof kind]) => void)(payload);
        } catch {
          /* a listener's error stays with the listener */
        }
    },
  };
}
