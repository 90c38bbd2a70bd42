import { describe, expect, it } from 'vitest';
import { binDataset } from '../../dist/tree/binning.js';
import { bootstrapCounts } from '../../dist/tree/bootstrap.js';
import { buildHistogram, gatherSamples, histogramLength } from '../../dist/tree/histogram.js';
import { quantizeLabels } from '../../dist/tree/labels.js';
import { chooseSplit, chooseSplitFromSamples, emptySplit, modUint32, SplitScratch, type SplitRule } from '../../dist/tree/splitter.js';
import { hash32 } from '../../dist/util/random.js';
import { randomTable, seq, table } from './fixture.js';
import type { Dataset } from '../../dist/data/dataset.js';

/** Split of the node holding `rows` (count 1 each) by both paths; asserts they agree. */
function split(d: Dataset, rows: number[], rule: SplitRule, maxBins = 255, key = 1, counts?: Uint8Array) {
  const b = binDataset(d, maxBins);
  const q = quantizeLabels(d.y);
  const c = counts ?? new Uint8Array(d.rows).fill(1);
  const idx = Uint32Array.from(rows);
  const gw = new Float64Array(rows.length);
  const gs = new Float64Array(rows.length);
  gatherSamples(idx, 0, rows.length, c, q.yq, gw, gs);
  const h = new Float64Array(histogramLength(b));
  buildHistogram(h, b, idx, 0, rows.length, gw, gs);
  let w = 0;
  const s = new Float64Array(1);
  for (let k = 0; k < rows.length; k++) {
    w += gw[k];
    s[0] += gs[k];
  }
  const sc = new SplitScratch(b.features);
  const a = emptySplit();
  const found = chooseSplit(h, 0, b, rows.length, w, s, rule, 99, key, sc, a);
  const fromSamples = emptySplit();
  expect(chooseSplitFromSamples(b, idx, 0, rows.length, gw, gs, rows.length, w, s, rule, 99, key, sc, fromSamples)).toBe(found);
  expect(fromSamples).toEqual(a);
  return { found, split: a, threshold: found ? b.thresholds[a.feature][a.bin] : NaN, unit: q.unit };
}

const all = { maxFeatures: 2, minSamplesLeaf: 1 };

describe('chooseSplit', () => {
  it('splits a hand-made table where the variance drops most, skipping a constant feature', () => {
    const d = table([[1, 1, 1, 1], [1, 2, 3, 4]], [0, 0, 10, 10]);
    const r = split(d, [0, 1, 2, 3], all);
    expect(r.found).toBe(true);
    expect(r.split.feature).toBe(1);
    expect(r.split.bin).toBe(1);
    expect(r.threshold).toBe(2.5);
    expect({ nL: r.split.nL, wL: r.split.wL }).toEqual({ nL: 2, wL: 2 });
    // wL·wR/W·(μL − μR)² = 2·2/4·10² in label units
    expect(r.split.gain * r.unit * r.unit).toBe(100);
  });

  it('respects minSamplesLeaf (distinct rows on each side)', () => {
    const d = table([[1, 2, 3, 4, 5, 6]], [0, 0, 0, 0, 0, 100]);
    expect(split(d, [0, 1, 2, 3, 4, 5], { maxFeatures: 1, minSamplesLeaf: 1 }).threshold).toBe(5.5);
    expect(split(d, [0, 1, 2, 3, 4, 5], { maxFeatures: 1, minSamplesLeaf: 2 }).threshold).toBe(4.5);
    expect(split(d, [0, 1, 2, 3, 4, 5], { maxFeatures: 1, minSamplesLeaf: 4 }).found).toBe(false);
  });

  it("sends the values between the node's two as scikit-learn's midpoint threshold does", () => {
    // Bins from all rows: values 0, 1, 2, 3, 10 (thresholds 0.5, 1.5, 2.5, 6.5); the node holds only 0 and 10.
    // scikit-learn splits at (0 + 10) / 2 = 5: 1, 2 and 3 go left, so the bin edge is 6.5.
    const d = table([[0, 10, 1, 2, 3]], [0, 1, 5, 5, 5]);
    const r = split(d, [0, 1], { maxFeatures: 1, minSamplesLeaf: 1 });
    expect(r.threshold).toBe(6.5);
    // Values 0 and 4 of 0, 1, 4, 5, 9: midpoint 2, so 1 goes left and the threshold is 2.5.
    const e = table([[0, 4, 1, 5, 9]], [0, 1, 5, 5, 5]);
    expect(split(e, [0, 1], { maxFeatures: 1, minSamplesLeaf: 1 }).threshold).toBe(2.5);
  });

  it('without one value per bin, splits in the middle of the empty bins', () => {
    // 3 bins for 5 distinct values: thresholds from percentiles, no bin values.
    const d = table([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const b = binDataset(d, 3);
    expect(b.values[0].length).toBe(0);
    const r = split(d, [0, 9], { maxFeatures: 1, minSamplesLeaf: 1 }, 3);
    expect(r.split.bin).toBe(0);
  });

  it('does not split a pure node (gain exactly 0)', () => {
    const d = table([[1, 2, 3, 4]], [7, 7, 7, 7]);
    expect(split(d, [0, 1, 2, 3], all).found).toBe(false);
  });

  it('counts bootstrap weights in the gain but distinct rows for minSamplesLeaf', () => {
    const d = table([[1, 2, 3]], [0, 3, 3]);
    // Row 0 appears 4 times: μL = 0, μR = 3, wL = 4, wR = 2 → 4·2/6·9 = 12.
    const r = split(d, [0, 1, 2], { maxFeatures: 1, minSamplesLeaf: 1 }, 255, 1, new Uint8Array([4, 1, 1]));
    expect(r.split.gain * r.unit * r.unit).toBe(12);
    expect({ nL: r.split.nL, wL: r.split.wL }).toEqual({ nL: 1, wL: 4 });
  });

  it('gives the same split from samples as from the histogram on random nodes', () => {
    const d = randomTable(400, 6, 3);
    const counts = bootstrapCounts(5, 1, seq(400), 0, 400, true);
    for (let t = 0; t < 20; t++) {
      const rows = Array.from(seq(400)).filter((i) => counts[i] > 0 && (i * 7 + t) % (t + 2) === 0);
      for (const maxFeatures of [1, 3, 6]) split(d, rows, { maxFeatures, minSamplesLeaf: 1 + (t % 3) }, 16 + t * 10, t, counts);
    }
  });
});

describe('modUint32', () => {
  it('equals h % d for uint32 h, including both ends and multiples of d', () => {
    for (const d of [1, 2, 3, 7, 10, 63, 255, 1000, 99991, 2 ** 20]) {
      const hs = [0, 1, d - 1, d, d + 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32 - 2, Math.floor((2 ** 32 - 1) / d) * d, Math.floor((2 ** 32 - 1) / d) * d - 1];
      for (let k = 0; k < 2000; k++) hs.push(hash32(d, k));
      for (const h of hs) expect(modUint32(h, d, 1 / d)).toBe(h % d);
    }
  });
});
