import { warn } from '../lib/log';
import type { Tracker } from '../types';

/** A queued call: `['register', fn]`, `['track', name, props]`… or a function given the tracker. */
export type Command = [string, ...unknown[]] | ((tracker: Tracker) => void);

/** `window.twilightTracker` after load: the tracker plus `push`, so snippet code keeps working. */
export type GlobalTracker = Tracker & { push(...cmds: Command[]): number };

/**
 * Create the tracker once per page and replay, in order, the calls that were pushed onto
 * `win.twilightTracker` (an array) before the script loaded. Configuration comes first, whatever
 * its place in the queue: `['defaults', {…}]` (an App Snippet's baked-in options, below the store's
 * app settings) and `['init', {…}]` (over the tag's `data-*` attributes, `dataset`). A second load
 * keeps the first tracker.
 */
export function installGlobal(
  win: { twilightTracker?: unknown },
  dataset: object | undefined,
  create: (options: unknown[], defaults: unknown[]) => Tracker,
): GlobalTracker | undefined {
  const prior = win.twilightTracker;
  if (typeof (prior as Tracker | undefined)?.track === 'function') return undefined;
  const queued: unknown[] = Array.isArray(prior) ? prior.slice() : [];
  /** The option objects of the queued `name` calls. */
  const config = (name: string) =>
    queued.filter((c): c is unknown[] => Array.isArray(c) && c[0] === name).map((c) => c[1]);
  const tracker = create([dataset, ...config('init')], config('defaults'));
  const run = (cmd: unknown, loading?: boolean) => {
    try {
      if (typeof cmd === 'function') return cmd(g);
      const m = Array.isArray(cmd) ? cmd[0] : undefined;
      // Configuration was read at creation. A snippet's `defaults` pushed onto a tracker that a theme
      // tag created first is quietly ignored (the tracker is configured); a late `init` is an E4.
      if (m !== 'defaults' && !(loading && m === 'init')) {
        // A method of the tracker, but not stats() (its answer is lost) or the version.
        if (m === 'version' || m === 'stats' || Object.keys(tracker).indexOf(m) < 0)
          warn('E4', Array.isArray(cmd) ? String(m) : typeof cmd);
        else (tracker[m as 'track'] as (...a: unknown[]) => unknown)(...(cmd as unknown[]).slice(1));
      }
    } catch (e) {
      warn('E5', String(e));
    }
  };
  const g: GlobalTracker = {
    ...tracker,
    push(...cmds: Command[]) {
      for (const c of cmds) run(c);
      return 0;
    },
  };
  win.twilightTracker = g;
  // `var q = window.twilightTracker = … || []; q.push([...])` after load still reaches the tracker, also
  // from a queued function while the queue is replayed (set before: such a push would have been kept, unrun).
  if (Array.isArray(prior)) prior.push = g.push;
  // (for-of, not map(): a hole in the queue is an entry too, warned as E4)
  for (const c of queued) run(c, true);
  return g;
}
