import { describe, expect, it } from 'vitest';
import { binDataset } from '../../dist/tree/binning.js';
import { bootstrapCounts } from '../../dist/tree/bootstrap.js';
import { addHistogram, buildHistogram, buildHistogramByRow, gatherSamples, histogramLength, histogramTotals, SMALL_INTEGER, subtractHistogram } from '../../dist/tree/histogram.js';
import { quantizeLabels } from '../../dist/tree/labels.js';
import { randomTable, seq, table } from './fixture.js';

function histOf(rows: number[], d: ReturnType<typeof table>, counts: Uint8Array, yq: Float64Array) {
  const b = binDataset(d, 255);
  const idx = Uint32Array.from(rows);
  const gw = new Float64Array(rows.length);
  const gs = new Float64Array(rows.length);
  gatherSamples(idx, 0, rows.length, counts, yq, gw, gs);
  const h = new Float64Array(histogramLength(b));
  buildHistogram(h, b, idx, 0, rows.length, gw, gs);
  return { h, b };
}

describe('histograms', () => {
  it('hold (distinct rows, Σ count, Σ count·yq) per feature × bin', () => {
    const d = table([[1, 2, 1, 3], [0, 0, 0, 0]], [0, 0, 0, 0]);
    const counts = new Uint8Array([2, 1, 0, 3]);
    const yq = new Float64Array([10, -4, 99, 1]);
    const { h, b } = histOf([0, 1, 3], d, counts, yq); // row 2 has count 0: not a sample
    // feature 0 bins (1 | 2 | 3), then feature 1's single bin
    expect(Array.from(h)).toEqual([1, 2, 20, 1, 1, -4, 1, 3, 3, 3, 6, 19]);
    expect(histogramTotals(h, b)).toEqual({ n: 3, w: 6, s: Float64Array.of(19) });
  });

  it('give the sibling by subtraction exactly as a direct build, and merge by addition', () => {
    const d = randomTable(3000, 5, 7);
    const train = seq(3000);
    const counts = bootstrapCounts(3, 0, train, 0, 3000, true);
    const { yq } = quantizeLabels(d.y);
    const all = Array.from(train).filter((i) => counts[i] > 0);
    const left = all.filter((i) => d.x[i] < 0.37);
    const right = all.filter((i) => d.x[i] >= 0.37);
    const parent = histOf(all, d, counts, yq).h;
    const l = histOf(left, d, counts, yq).h;
    const r = histOf(right, d, counts, yq).h;
    const sub = new Float64Array(parent.length);
    subtractHistogram(parent, l, sub);
    expect(Array.from(sub)).toEqual(Array.from(r));
    const merged = new Float64Array(l);
    addHistogram(merged, r);
    expect(Array.from(merged)).toEqual(Array.from(parent));
    expect(binDataset(d, 255).totalBins * 3).toBe(parent.length);
  });
});

describe('packed histogram sums (boosting: integer weights and labels of at most SMALL_INTEGER)', () => {
  it('equal the plain sums bit for bit, unit and integer weights, at the extremes, up to the packed node size and past it', () => {
    const rows = 140_000;
    // A constant feature puts every row of a node in one bin: the largest sums the packing must hold.
    const r = randomTable(rows, 2, 9);
    const d = table([Array.from({ length: rows }, (_, i) => r.x[i]), new Array<number>(rows).fill(1)], Array.from(r.y));
    const b = binDataset(d, 255);
    // Labels at −SMALL_INTEGER on most rows.
    const gs = Float64Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? ((i * 31) % 2001) - 1000 : -SMALL_INTEGER));
    const gw = Float64Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? (i * 13) % 97 : SMALL_INTEGER));
    const plain = new Float64Array(histogramLength(b));
    const packed = new Float64Array(histogramLength(b));
    for (const n of [1, 1000, 2 ** 17, rows]) {
      const idx = Uint32Array.from({ length: n }, (_, k) => (k * 7919) % rows).sort();
      for (const w of [null, gw]) {
        buildHistogramByRow(plain, b, idx, 0, n, w, gs, false);
        buildHistogramByRow(packed, b, idx, 0, n, w, gs, true);
        expect(packed, `${n} rows, ${w ? 'weights' : 'unit'}`).toEqual(plain);
      }
    }
  });
});
