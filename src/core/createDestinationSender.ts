import type { TrackerEvent } from '../schema';
import type { Destination, SallaDestination } from '../types';
import type { Log } from './createLog';
import type { SendResult } from './createQueue';
import { stringify } from './stringify';

export interface DestinationSender {
  name?: string;
  send(events: TrackerEvent[]): Promise<SendResult>;
}

/**
 * Wrap an untrusted destination (batch callback or Salla-compatible object) into a sender that
 * never throws: a throw or a rejection is status 0 (retried; the queue also times out a hang).
 * Object destinations get one `track`/`page` call per event; on a retry, events they already
 * accepted are skipped. Each send gets a private copy of the events, so that a callback that
 * mutates them cannot change another destination's.
 */
export function createDestinationSender(
  dest: Destination,
  log: Log,
  /** An event's JSON (the core's per-event cache, shared with the endpoint). */
  json: (e: TrackerEvent) => string = (e) => stringify(e) as string,
): DestinationSender | undefined {
  let call = dest as (events: TrackerEvent[]) => unknown;
  let name: string | undefined;
  if (typeof dest != 'function') {
    const d = dest as SallaDestination;
    if (typeof d?.track != 'function') {
      log('register: bad destination', dest);
      return;
    }
    name = (typeof d.name == 'string' && d.name) || undefined;
    const done = new Set<string>();
    call = async (events) => {
      if (done.size > 2000) done.clear();
      for (const e of events)
        if (!done.has(e.messageId)) {
          if (e.type != 'page') await d.track(e.event, e.properties, e);
          else if (typeof d.page == 'function') await d.page(e.properties, e);
          done.add(e.messageId);
        }
    };
  }
  return {
    name,
    send: (events) =>
      new Promise((r) => r(call(JSON.parse('[' + events.map(json).join() + ']')))).then(
        () => ({ status: 200 }),
        (err) => {
          log('destination failed: ' + name, err);
          return { status: 0, error: 'callback failed' };
        },
      ),
  };
}
