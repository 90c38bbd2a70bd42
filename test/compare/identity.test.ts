import { describe, expect, it } from 'vitest';
import { checkMetricsIdentity } from '../../dist/compare/identity.js';
import { buildCompareResult } from '../../dist/compare/summarize.js';
import { renderCompare } from '../../dist/report/compare-render.js';
import { fakeResult, MACHINE, run } from './fixture.js';

describe('checkMetricsIdentity', () => {
  it('says identical when every per-fold metric is equal, whatever the trial order', () => {
    const a = fakeResult(10, 10);
    const b = fakeResult(20, 20, { strategy: 'udf' });
    b.trials.reverse();
    const rep = checkMetricsIdentity([{ label: 'a', result: a }, { label: 'b', result: b }]);
    expect(rep).toMatchObject({ identical: true, runs: 2, configs: 2, compared: 8, maxAbsDiff: 0, mismatchCount: 0, mismatches: [] });
  });

  it('finds one differing fold value and reports where and by how much', () => {
    const a = fakeResult(10, 10);
    const b = fakeResult(10, 10, { strategy: 'native', r2Of: (c, f) => (c === 1 && f === 0 ? 0.6 + 2 ** -40 : 0.5 + c / 10 + f / 100) });
    const rep = checkMetricsIdentity([{ label: 'ref', result: a }, { label: 'native', result: b }]);
    expect(rep.identical).toBe(false);
    expect(rep.mismatchCount).toBe(1);
    expect(rep.maxAbsDiff).toBe(Math.abs(0.6 + 2 ** -40 - 0.6));
    expect(rep.mismatches[0]).toMatchObject({ fold: 0, metric: 'r2', expected: 0.6, actual: 0.6 + 2 ** -40, reference: 'ref', run: 'native' });
    expect(rep.mismatches[0].params.numTrees).toBe(20);
  });

  it('treats NaN as equal to NaN, a missing config as a mismatch', () => {
    const nan = () => fakeResult(1, 1, { r2Of: () => NaN });
    expect(checkMetricsIdentity([{ label: 'a', result: nan() }, { label: 'b', result: nan() }]).identical).toBe(true);
    const short = fakeResult(1, 1);
    short.trials = short.trials.slice(0, 1);
    const rep = checkMetricsIdentity([{ label: 'a', result: fakeResult(1, 1) }, { label: 'b', result: short }]);
    expect(rep.identical).toBe(false);
    expect(rep.mismatches[0].metric).toBe('missing');
    expect(rep.maxAbsDiff).toBe(Infinity);
  });
});

describe('a mismatch in the compare report', () => {
  it('is printed, and the result says not identical (the CLI then exits 1)', () => {
    const bad = run('udf', 1, 1, 30);
    bad.result = fakeResult(30, 30, { strategy: 'udf', r2Of: (c, f) => (c === 0 && f === 1 ? 0.25 : 0.5 + c / 10 + f / 100) });
    const r = buildCompareResult([run('thread-pool', 1, 1, 20), bad], { repeat: 1, warmup: 0, isolation: 'process', machine: MACHINE });
    expect(r.identity.identical).toBe(false);
    const text = renderCompare(r, 'table');
    expect(text).toContain('metrics identical: NO — 1 value differs');
    expect(text).toContain('numTrees=10 fold 1 r2: 0.51 (thread-pool with 1 worker, run 1) ≠ 0.25 (udf with 1 worker, run 1)');
  });
});
