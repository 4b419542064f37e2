import { describe, expect, it } from 'vitest';
// @ts-expect-error: the bench is plain JavaScript (bench/table.mjs), without types
import { paired } from '../bench/table.mjs';

/** A round's startup figures for one library. */
const visit = (lib: string, round: number, startMs: number, mainMs: number, mainCpuMs: number) => ({
  lib,
  round,
  startup: { startMs, startCpuMs: startMs / 2, mainMs, mainCpuMs },
});

describe('bench: startup paired by round', () => {
  it('takes the median of the per-round differences and counts the rounds at or below the peer', () => {
    const rounds = [
      visit('baseline', 0, 1, 50, 20),
      visit('twilight', 0, 10, 100, 40),
      visit('snowplow', 0, 20, 90, 50),
      visit('twilight', 1, 12, 80, 45),
      visit('snowplow', 1, 15, 95, 44),
      visit('twilight', 2, 11, 70, 30),
      visit('snowplow', 2, 30, 70, 60),
      // A round whose peer visit is missing is left out.
      visit('twilight', 3, 1, 1, 1),
    ];
    expect(paired(rounds)).toBe(
      '- Startup, paired by round (twilight-tracker − peer in the same round, median; rounds where ' +
        'twilight-tracker was at or below the peer): Snowplow 4: evaluate + compile + create −10.0 ms ' +
        'wall (at or below in 3 of 3), −5.0 ms CPU (at or below in 3 of 3); main thread before first ' +
        'idle ±0.0 ms wall (at or below in 2 of 3), −10.0 ms CPU (at or below in 2 of 3).',
    );
  });

  it('says nothing without a peer', () => {
    expect(paired([visit('baseline', 0, 1, 1, 1), visit('twilight', 0, 2, 2, 2)])).toBe('');
  });
});
