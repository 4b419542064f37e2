/** A tiny typed event emitter: `on` returns its unbind; listeners are copied before dispatch and isolated. */
export interface Emitter<M> {
  on<K extends keyof M>(kind: K, fn: (payload: M[K]) => void): () => void;
  emit<K extends keyof M>(kind: K, payload: M[K]): void;
}

export function createEmitter<M>(): Emitter<M> {
  const all: { [K in keyof M]?: Array<(payload: M[K]) => void> } = {};
  return {
    on(kind, fn) {
      const list = (all[kind] = all[kind] || []);
      list.push(fn);
      return () => {
        all[kind] = (all[kind] || []).filter((f) => f !== fn);
      };
    },
    emit(kind, payload) {
      for (const fn of (all[kind] || []).slice()) {
        try {
          fn(payload);
        } catch {
          /* a listener's error stays with the listener */
        }
      }
    },
  };
}
