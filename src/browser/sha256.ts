import { hex } from '../lib/hex';

/** SHA-256 hex via Web Crypto (secure contexts only); undefined when unavailable. Never rejects. */
export const sha256 = (s: string): Promise<string | undefined> =>
  new Promise<ArrayBuffer>((r) => r(crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)))).then(
    (buf) => hex(new Uint8Array(buf)),
    () => undefined,
  );
