import type { Locks } from '../../src/delivery/tabStore';

/**
 * An in-memory Web Locks manager shared by several "tabs": exclusive locks granted asynchronously,
 * `ifAvailable` answered with `null` while held, waiters granted in order. `tab()` gives one tab's
 * view; `crash()` releases every lock that tab holds, as a killed renderer would.
 */
export function fakeLocks() {
  const owner = new Map<string, number>();
  const waiters = new Map<string, Array<() => void>>();
  let tabs = 0;
  const wait = (name: string) =>
    waiters.get(name) || (waiters.set(name, []), waiters.get(name) as Array<() => void>);
  function free(name: string) {
    owner.delete(name);
    const next = wait(name).shift();
    if (next) next();
  }
  return {
    /** Names currently held. */
    held: () => Array.from(owner.keys()),
    tab() {
      const me = ++tabs;
      const grant = (name: string, cb: (lock: unknown) => unknown) => {
        owner.set(name, me);
        return Promise.resolve()
          .then(() => cb({ name }))
          .finally(() => owner.get(name) === me && free(name));
      };
      const locks: Locks = {
        request: (name, options, cb) =>
          Promise.resolve().then(() => {
            if (!owner.has(name)) return grant(name, cb);
            if (options.ifAvailable) return cb(null);
            return new Promise<void>((r) => wait(name).push(r)).then(() => grant(name, cb));
          }),
      };
      return {
        locks,
        crash() {
          for (const [name, o] of Array.from(owner)) if (o === me) free(name);
        },
      };
    },
  };
}
