import { describe, expect, it } from 'vitest';
import { bootstrapCount, bootstrapCounts, MAX_COUNT, poissonCount } from '../../dist/tree/bootstrap.js';
import { partitionBounds } from '../../dist/data/partitions.js';
import { quantizeLabels } from '../../dist/tree/labels.js';

describe('bootstrap counts', () => {
  it('draws Poisson(1) by inverse CDF, capped at MAX_COUNT', () => {
    const e = Math.exp(-1);
    expect(poissonCount(0)).toBe(0);
    expect(poissonCount(e - 1e-12)).toBe(0);
    expect(poissonCount(e)).toBe(1);
    expect(poissonCount(2 * e)).toBe(2);
    expect(poissonCount(0.9999999999999999)).toBe(MAX_COUNT);
  });

  it('are the same whatever the partitioning (keyed by global row)', () => {
    const rows = 1000;
    const train = Uint32Array.from({ length: rows }, (_, i) => i).filter((i) => i % 7 !== 3);
    const whole = bootstrapCounts(42, 5, train, 0, rows, true);
    for (const P of [1, 3, 16]) {
      const b = partitionBounds(rows, P);
      const parts: number[] = [];
      for (let p = 0; p < P; p++) parts.push(...bootstrapCounts(42, 5, train, b[p], b[p + 1], true));
      expect(parts).toEqual(Array.from(whole));
    }
    expect(whole[3]).toBe(0); // not a training row
    expect(whole[0]).toBe(bootstrapCount(42, 5, 0));
  });

  it('average about 1 and give count 1 to every training row without bootstrap', () => {
    const train = Uint32Array.from({ length: 100_000 }, (_, i) => i);
    const c = bootstrapCounts(1, 0, train, 0, train.length, true);
    const mean = c.reduce((a, v) => a + v, 0) / c.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    const zeros = c.filter((v) => v === 0).length / c.length;
    expect(Math.abs(zeros - Math.exp(-1))).toBeLessThan(0.01);
    expect(Array.from(bootstrapCounts(1, 0, new Uint32Array([1, 2]), 0, 4, false))).toEqual([0, 1, 1, 0]);
  });
});

describe('quantizeLabels', () => {
  it('maps labels to integers whose weighted sums stay exact', () => {
    const y = new Float64Array([25, 346, 151.5, 100]);
    const q = quantizeLabels(y);
    expect(q.center).toBe(185.5);
    // MAX_COUNT · rows · (max|y − c| · 2^s + 1) ≤ 2^53 with s maximal.
    const bound = (s: number) => MAX_COUNT * 4 * (160.5 * 2 ** s + 1);
    expect(bound(q.shift)).toBeLessThanOrEqual(2 ** 53);
    expect(bound(q.shift + 1)).toBeGreaterThan(2 ** 53);
    for (let i = 0; i < 4; i++) {
      expect(Number.isInteger(q.yq[i])).toBe(true);
      expect(Math.abs(q.yq[i] * q.unit + q.center - y[i])).toBeLessThanOrEqual(q.unit / 2);
    }
  });

  it('maps a constant target to zeros', () => {
    const q = quantizeLabels(new Float64Array([3, 3]));
    expect(Array.from(q.yq)).toEqual([0, 0]);
    expect(q.center).toBe(3);
  });
});

describe('bootstrapCounts (hash prefix per tree)', () => {
  it('equals bootstrapCount row by row, for seeds and trees above 2^31 and sub-ranges', () => {
    const train = Uint32Array.from({ length: 5000 }, (_, i) => i * 3 + 1);
    for (const [seed, tree] of [[0, 0], [42, 7], [0xffffffff, 123], [0x80000000, 99999], [7, 0x7fffffff]]) {
      const all = bootstrapCounts(seed, tree, train, 0, 15002, true);
      const part = bootstrapCounts(seed, tree, train, 1000, 9000, true);
      for (let r = 0; r < 15002; r++) {
        const want = r % 3 === 1 && r < 15000 ? bootstrapCount(seed, tree, r) : 0;
        expect(all[r]).toBe(want);
        if (r >= 1000 && r < 9000) expect(part[r - 1000]).toBe(want);
      }
    }
  });
});
