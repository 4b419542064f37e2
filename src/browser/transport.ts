import type { SendResult } from '../core/createQueue';
import { utf8Length } from '../core/wire';

/** Keepalive bodies in flight share the browser's ~64 KiB budget with beacons. */
const KEEPALIVE_BUDGET = 60 * 1024;
let inflight = 0;

/** Bytes of keepalive requests still in flight. */
export const inflightBytes = (): number => inflight;

/** Retry-After (seconds or HTTP date) in ms. */
export function retryAfter(v: string | null, now: number): number | undefined {
  if (!v) return undefined;
  const s = Number(v);
  const ms = isFinite(s) ? s * 1000 : Date.parse(v) - now;
  return ms > 0 ? Math.min(ms, 3600000) : undefined;
}

/**
 * POST a string body (sent as `text/plain`, a CORS-simple request: no preflight) with `fetch`,
 * `keepalive` while the shared budget allows so it survives navigation. Never rejects.
 */
export function post(url: string, body: string): Promise<SendResult> {
  const bytes = utf8Length(body);
  const keepalive = inflight + bytes <= KEEPALIVE_BUDGET;
  if (keepalive) inflight += bytes;
  const done = () => {
    if (keepalive) inflight -= bytes;
  };
  try {
    return fetch(url, { method: 'POST', body, keepalive, credentials: 'omit', mode: 'cors' }).then(
      (r) => {
        // Chromium counts a keepalive request against its 64 KiB quota until the body is read.
        r.text().then(done, done);
        return { status: r.status, retryAfter: retryAfter(r.headers.get('Retry-After'), Date.now()) };
      },
      () => {
        done();
        return { status: 0 };
      },
    );
  } catch {
    done();
    return Promise.resolve({ status: 0 });
  }
}

/** Queue a body with sendBeacon (text/plain); false when refused or unavailable. */
export function beacon(url: string, body: string): boolean {
  try {
    return !!navigator.sendBeacon && navigator.sendBeacon(url, body);
  } catch {
    return false;
  }
}
