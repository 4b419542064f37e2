/** SHA-256 hex via Web Crypto (secure contexts); undefined when unavailable. Never rejects. */
export function sha256(s: string): Promise<string | undefined> {
  try {
    const subtle = crypto.subtle;
    return subtle.digest('SHA-256', new TextEncoder().encode(s)).then(
      (buf) => Array.from(new Uint8Array(buf), (b) => (b + 256).toString(16).slice(1)).join(''),
      () => undefined,
    );
  } catch {
    return Promise.resolve(undefined);
  }
}
