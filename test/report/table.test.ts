import { describe, expect, it } from 'vitest';
import { breakCamelCase, renderTable } from '../../dist/report/table.js';
import { sampleResult } from './fixture.js';

const ANSI = /\x1b\[/;

describe('renderTable', () => {
  it('draws one row per config in rank order, failed last, then the summary', () => {
    expect(renderTable(sampleResult())).toBe(
      [
        'fixed: bootstrap=true',
        'rank  numTrees  maxDepth             r2          corr2           mae          rmse     fit  predict',
        '────  ────────  ────────  ─────────────  ─────────────  ────────────  ────────────  ──────  ───────',
        '   1       100        10  0.392 ± 0.041  0.402 ± 0.038    45.3 ± 1.9    58.1 ± 2.3  1.24 s  12.3 ms',
        '   2        20      none  0.310 ± 0.020  0.350 ± 0.010  48.00 ± 0.50  61.25 ± 0.75  850 µs  12.0 µs',
        '   –        50         3  failed: maxDepth 3, bad "split"',
        '',
        'strategy    native',
        'workers     2',
        'partitions  16',
        'model       rf (random forest)',
        'data        diabetes: 442 rows × 3 features → progression',
        'evaluation  2-fold CV',
        'seed        42',
        'metric      r2 (higher is better)',
        'trials      2 ok, 1 failed',
        'tasks       6 (5 ok, 1 failed)',
        'wall time   1.50 s',
        'task time   2.79 s summed, 1.86× speed-up over 2 workers',
        'best        numTrees=100 maxDepth=10 → r2 0.392',
        '',
      ].join('\n'),
    );
  });

  it('has no ANSI escapes without colour, and some with it', () => {
    expect(renderTable(sampleResult(), { color: false })).not.toMatch(ANSI);
    expect(renderTable(sampleResult(), { color: true })).toMatch(ANSI);
  });

  it('marks an interrupted sweep as partial, before the table', () => {
    const r = sampleResult();
    r.interrupted = true;
    r.tasks = { total: 45, ok: 11, failed: 1 };
    const lines = renderTable(r).split('\n');
    expect(lines[0]).toBe('interrupted: 12/45 fits — results are partial');
    expect(renderTable(sampleResult())).not.toContain('interrupted');
  });

  it('shows bytes shipped only when some were, and a holdout without spreads', () => {
    expect(renderTable(sampleResult())).not.toContain('shipped');
    const r = sampleResult();
    r.bytesShipped = 10 * 1024 * 1024;
    r.evaluation = { testFraction: 0.2 };
    const text = renderTable(r);
    expect(text).toContain('shipped     10.0 MiB to workers');
    expect(text).toContain('evaluation  20% holdout');
    expect(text).toContain('   1       100        10  0.392  0.402  45.3  58.1  1.24 s  12.3 ms');
    expect(text).not.toContain('±');
  });

  it('puts each spread under its mean when the table would pass the width', () => {
    const r = sampleResult();
    r.trials.forEach((t, i) => Object.assign(t.params, { minSamplesLeaf: i + 1, maxFeatures: i === 1 ? 'sqrt' : 'onethird' }));
    const lines = renderTable(r).split('\n');
    expect(lines.slice(1, 9)).toEqual([
      'rank  numTrees  maxDepth  minSamples       max       r2    corr2     mae    rmse     fit  predict',
      '                                Leaf  Features',
      '────  ────────  ────────  ──────────  ────────  ───────  ───────  ──────  ──────  ──────  ───────',
      '   1       100        10           1  onethird    0.392    0.402    45.3    58.1  1.24 s  12.3 ms',
      '                                                ± 0.041  ± 0.038   ± 1.9   ± 2.3',
      '   2        20      none           2      sqrt    0.310    0.350   48.00   61.25  850 µs  12.0 µs',
      '                                                ± 0.020  ± 0.010  ± 0.50  ± 0.75',
      '   –        50         3           3  onethird  failed: maxDepth 3, bad "split"',
    ]);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
    // Without a width limit the same sweep keeps one line per trial.
    expect(renderTable(r, { width: Infinity }).split('\n')[3]).toMatch(/^ {3}1 .*0\.392 ± 0\.041/);
  });

  it('cuts a long failure message to the width of the columns it spans', () => {
    const r = sampleResult();
    r.trials[2].error = 'x'.repeat(500) + '\nsecond line';
    const failed = renderTable(r).split('\n').find((l) => l.includes('failed:'))!;
    expect(failed.length).toBeLessThanOrEqual(100);
    expect(failed.endsWith('x…')).toBe(true);
  });

  it('says "every trial failed" when none succeeded', () => {
    const r = sampleResult();
    r.trials = [r.trials[2]];
    r.best = null;
    const text = renderTable(r);
    expect(text).toContain('failed: maxDepth 3, bad "split"');
    expect(text).toContain('best        none (every trial failed)');
  });

  it('breaks long camelCase headers near the middle', () => {
    expect(breakCamelCase('numTrees')).toBe('numTrees');
    expect(breakCamelCase('minSamplesLeaf')).toBe('minSamples\nLeaf');
    expect(breakCamelCase('elasticNetParam')).toBe('elastic\nNetParam');
    expect(breakCamelCase('standardization')).toBe('standardization');
  });
});
