import type { TrackerEvent } from '../schema';
import type { Destination as Callback, RegisterOptions } from '../types';
import type { Log } from '../lib/log';
import { parse } from '../lib/json';
import { get } from '../lib/read';
import { createQueue, type Flight, type QueueDeps } from './queue';
import type { Reports } from './reports';
import type { Destination } from './router';

/** What every queue of the tracker shares: clock, jitter source, batching. */
export type QueueSettings = Pick<
  QueueDeps<TrackerEvent>,
  'clock' | 'random' | 'limits' | 'maxItems' | 'concurrency' | 'changed'
>;

export interface CallbackDeps {
  /** The name when neither the register options nor the object give one (`callback#N`). */
  fallbackName: () => string;
  queue: QueueSettings;
  /** A send that has not settled after `callbackTimeout` ms (read at register) counts as failed. */
  options: { callbackTimeout: number };
  reports: Reports;
  /** An event's JSON (written once, shared with the endpoint). */
  json(e: TrackerEvent): string;
  log: Log;
}

/**
 * A registered callback (a batch function or a Salla-compatible object) as a destination with its
 * own queue. The callback is untrusted: a throw or a rejection is a failed send (retried; the queue
 * also times out a hang). Objects get one `track`/`page` call per event; on a retry, events they
 * already accepted are skipped. Each send gets private copies of the events, so that a callback
 * that changes them cannot change another destination's. Undefined for a callback of no known shape.
 * `opts` (the register options): the name for reports (else the object's `name`, else `callback#N`),
 * and `pii: 'keep'` for identity fields in clear: its own properties only (a page's
 * `Object.prototype.pii = 'keep'` does not hand every callback identity fields in clear).
 */
export function createCallbackDestination(
  cb: Callback,
  opts: RegisterOptions | undefined,
  o: CallbackDeps,
): Destination | undefined {
  let call = cb as (events: TrackerEvent[]) => unknown;
  /** The object's own name, if it is a non-empty string. */
  let own: string | false | undefined;
  /** The batch being sent: an object's calls stop once the queue no longer waits for it (timed out). */
  let flight: Flight<TrackerEvent>;
  if (typeof cb != 'function') {
    if (typeof cb?.track != 'function') {
      if (DEBUG) o.log('register: bad destination', cb);
      return;
    }
    own = typeof cb.name == 'string' && cb.name;
    const done = new Set<string>();
    // (`f`: the batch of this call, read at its start.)
    call = async (events, f = flight) => {
      if (done.size > 2000) done.clear();
      for (const e of events)
        if (!done.has(e.messageId) && !f.over) {
          if (e.type == 'page') {
            if (typeof cb.page == 'function') await cb.page(e.properties, e);
          } else await cb.track(e.event, e.properties, e);
          done.add(e.messageId);
        }
    };
  }
  const name = (get(opts, 'name') as string | undefined) || own || o.fallbackName();
  const q = createQueue<TrackerEvent>({
    ...o.queue,
    timeout: o.options.callbackTimeout,
    report: o.reports.reporter(name),
    send: (events, f) =>
      new Promise((r) => r(((flight = f), call(events.map((e) => parse(o.json(e))))))).then(
        () => ({ status: 200 }),
        (err) => {
          if (DEBUG) o.log('destination failed: ' + name, err);
          return { status: 0, error: 'callback failed' };
        },
      ),
  });
  return {
    ...q,
    // Callbacks live and die with the page: their queues are flushed (not beaconed) on hide.
    hidden: q.flush,
    // (It stores nothing: consent, or the page coming back, changes nothing for it.)
    consent: () => {},
    shown: () => {},
    keep: get(opts, 'pii') === 'keep',
    // destroy(): what it had not yet been handed, or has and then fails, is reported dropped (a callback
    // lives in the page; an unregister() first keeps its own reason).
    stop: () => (q.drop('destroyed', true), q.stop()),
  };
}
