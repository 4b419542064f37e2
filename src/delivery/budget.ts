/**
 * The page's keepalive budget: browsers let a page have about 64 KiB of request bodies in flight
 * that outlive it (`fetch` keepalive and `sendBeacon` together), and refuse more. Every body that is
 * to outlive the page takes its bytes here first, and gives them back when the browser is done with it.
 */
export interface Budget {
  /** Bytes that can still be handed over. */
  room(): number;
  /** Take `n` bytes; false (nothing taken) when they do not fit. */
  take(n: number): boolean;
  /** Give `n` bytes back (a response was read, a beacon is surely done). */
  give(n: number): void;
  /**
   * Take `n` bytes as soon as they fit (now, or after bodies in flight are given back): resolves true
   * once they are taken, or false (nothing taken) when they never will fit (nothing in flight to give
   * back, or more than the whole budget) or `gone()` says to give up.
   */
  reserve(n: number, gone: () => boolean): Promise<boolean>;
}

export const createBudget = (limit: number): Budget => {
  const waiting: Array<() => void> = [];
  let used = 0;
  const room = () => limit - used;
  const budget: Budget = {
    room,
    take: (n) => n <= room() && ((used += n), true),
    give(n) {
      used = Math.max(0, used - n);
      waiting.splice(0).map((r) => r());
    },
    async reserve(n, gone) {
      if (gone()) return false;
      // Checked and taken at once: senders that start together cannot all see the same room.
      if (budget.take(n)) return true;
      // (more than the whole budget, or nothing in use that could free room: it never fits)
      if (n > limit || !used) return false;
      await new Promise<void>((r) => waiting.push(r));
      return budget.reserve(n, gone);
    },
  };
  return budget;
};
