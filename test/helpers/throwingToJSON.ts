/**
 * Runs `f` on a page that has defined a throwing `Object.prototype.toJSON` (after the events were
 * written), and gives its result, or `threw: <error>` when it threw. The property is gone again before
 * the caller's `expect`, which serializes.
 */
export function withThrowingToJSON(f: () => unknown): unknown {
  const proto = Object.prototype as { toJSON?: unknown };
  Object.defineProperty(proto, 'toJSON', {
    value() {
      throw new Error('page toJSON');
    },
    configurable: true,
    writable: true,
  });
  try {
    return f();
  } catch (e) {
    return 'threw: ' + String(e);
  } finally {
    delete proto.toJSON;
  }
}
