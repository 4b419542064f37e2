import { warn } from '../lib/log';
import type { Tracker, TrackerOptions } from '../types';

/** A queued call: `['register', fn]`, `['track', name, props]`… or a function given the tracker. */
export type Command = [string, ...unknown[]] | ((tracker: Tracker) => void);

/** `window.twilightTracker` after load: the tracker plus `push`, so snippet code keeps working. */
export type GlobalTracker = Tracker & { push(...cmds: Command[]): number };

const METHODS = ['register', 'track', 'page', 'flush', 'consent', 'on', 'destroy'];

/**
 * Create the tracker once per page and replay, in order, the calls that were pushed onto
 * `win.twilightTracker` (an array) before the script loaded. A second load keeps the first tracker.
 */
export function installGlobal(
  win: { twilightTracker?: unknown },
  create: (o: TrackerOptions) => Tracker,
  options: TrackerOptions,
): GlobalTracker | undefined {
  const prior = win.twilightTracker;
  if (typeof (prior as Tracker | undefined)?.track === 'function') return undefined;
  const tracker = create(options);
  const run = (cmd: Command) => {
    try {
      if (typeof cmd === 'function') return cmd(g);
      if (!Array.isArray(cmd)) return warn('ignored a queued call that is not an array or function');
      const m = cmd[0];
      if (METHODS.indexOf(m) < 0) return warn('ignored unknown queued call "' + String(m) + '"');
      (tracker[m as 'track'] as (...a: unknown[]) => unknown)(...cmd.slice(1));
    } catch (e) {
      warn('a queued call failed: ' + String(e));
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
  if (Array.isArray(prior)) {
    for (const c of prior.slice()) run(c as Command);
    // `var q = window.twilightTracker = … || []; q.push([...])` after load still reaches the tracker.
    prior.push = g.push;
  }
  return g;
}
