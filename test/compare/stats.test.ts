import { describe, expect, it } from 'vitest';
import { fastestIndex, relativeTo, summarize } from '../../dist/compare/stats.js';

describe('summarize', () => {
  it('gives mean, sample σ (n − 1), min and max', () => {
    expect(summarize([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, sd: Math.sqrt(32 / 7), min: 2, max: 9, n: 8 });
  });
  it('has no spread for one value and nothing for none', () => {
    expect(summarize([3])).toEqual({ mean: 3, sd: NaN, min: 3, max: 3, n: 1 });
    expect(summarize([]).n).toBe(0);
    expect(summarize([]).mean).toBeNaN();
  });
});

describe('relativeTo', () => {
  it('propagates both relative spreads, as hyperfine does', () => {
    const fast = summarize([90, 110]); // 100 ± 14.142…
    const slow = summarize([180, 220]); // 200 ± 28.284…
    const r = relativeTo(slow, fast);
    expect(r.ratio).toBe(2);
    // r·sqrt((σ_s/m_s)² + (σ_f/m_f)²) = 2·sqrt(2·0.1414²) = 0.4
    expect(r.sd).toBeCloseTo(0.4, 12);
  });
  it('is exactly 1 with no spread for the fastest itself', () => {
    const f = summarize([1, 2]);
    expect(relativeTo(f, f)).toEqual({ ratio: 1, sd: NaN });
  });
});

describe('fastestIndex', () => {
  it('picks the smallest finite mean, the first of equals', () => {
    expect(fastestIndex([summarize([3]), summarize([]), summarize([1]), summarize([1])])).toBe(2);
    expect(fastestIndex([])).toBe(-1);
  });
});
