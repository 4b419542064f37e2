import type { SendResult } from '../delivery/retryPolicy';
import { utf8Length } from '../lib/json';

/** Bytes of keepalive bodies in flight: they share the browser's ~64 KiB budget with beacons. */
let inflight = 0;

/** Bytes of keepalive requests still in flight. */
export const inflightBytes = (): number => inflight;

/**
 * POST a string body (sent as `text/plain`, a CORS-simple request: no preflight) with `fetch`,
 * `keepalive` while the shared budget (60 KiB) allows so it survives navigation. Never rejects;
 * Retry-After (seconds or HTTP date, at most an hour) comes back in ms.
 */
export function post(url: string, body: string): Promise<SendResult> {
  const bytes = utf8Length(body);
  const n = inflight + bytes <= 61440 ? bytes : 0;
  const done = () => void (inflight -= n);
  inflight += n;
  return new Promise<Response>((r) =>
    r(fetch(url, { method: 'POST', body, keepalive: n > 0, credentials: 'omit' })),
  ).then(
    (r) => {
      // Chromium counts a keepalive request against its 64 KiB quota until the body is read.
      r.text().then(done, done);
      const v = r.headers.get('Retry-After') || '0';
      const ms = isFinite(+v) ? +v * 1e3 : Date.parse(v) - Date.now();
      return { status: r.status, retryAfter: ms > 0 ? Math.min(ms, 36e5) : undefined };
    },
    () => {
      done();
      return { status: 0 };
    },
  );
}

/** Queue a body with sendBeacon (text/plain); false when refused or unavailable. */
export function beacon(url: string, body: string): boolean {
  try {
    return navigator.sendBeacon(url, body);
  } catch {
    return false;
  }
}
