import { describe, expect, it } from 'vitest';
import { buildCompareResult } from '../../dist/compare/summarize.js';
import { COMPARE_CSV_HEADER } from '../../dist/report/compare-csv.js';
import { parseCompareFormat, renderCompare } from '../../dist/report/compare-render.js';
import { bar } from '../../dist/report/compare-table.js';
import { MACHINE, threeEntries } from './fixture.js';

const result = () => buildCompareResult(threeEntries(), { repeat: 2, warmup: 1, isolation: 'process', machine: MACHINE });

describe('compare summary', () => {
  it('groups runs, relates means to the fastest and says one verdict per strategy', () => {
    const r = result();
    expect(r.entries.map((e) => [e.strategy, e.workers, e.wall.mean, e.relative.ratio])).toEqual([
      ['thread-pool', 1, 100, 2],
      ['thread-pool', 2, 50, 1],
      ['udf', 2, 200, 4],
    ]);
    expect(r.fastest).toBe(1);
    expect(r.entries[2].relative.sd).toBeCloseTo(0.8, 12);
    expect(r.entries[0].efficiency.mean).toBeCloseTo((1 + 90 / 110) / 2, 12);
    expect(r.verdicts).toEqual([
      'thread-pool with 2 workers is the fastest (2.00 ± 0.40 × faster than with 1 worker)',
      'thread-pool with 2 workers is 4.00 ± 0.80 × faster than udf with 2 workers',
    ]);
    expect(r.identity.identical).toBe(true);
    expect(r.ranking.map((t) => t.params.numTrees)).toEqual([20, 10]);
  });
});

describe('compare table', () => {
  const text = renderCompare(result(), 'table');
  it('has one row per (strategy, workers) with hyperfine-style cells', () => {
    const rows = text.split('\n').filter((l) => /^(thread-pool|udf) +\d/.test(l)).map((l) => l.split(/ {2,}/));
    expect(rows).toEqual([
      ['thread-pool', '1', '100 ms ± 14.1 ms', '90.0 ms … 110 ms', '2.00 ± 0.40', '90.0 ms', '91 ± 13%', '5.00 ms', '100 MiB', '0 B'],
      ['thread-pool', '2', '50.0 ms ± 7.07 ms', '45.0 ms … 55.0 ms', '1.00', '90.0 ms', '91 ± 13%', '5.00 ms', '100 MiB', '0 B'],
      ['udf', '2', '200 ms ± 28.3 ms', '180 ms … 220 ms', '4.00 ± 0.80', '300 ms', '76 ± 11%', '5.00 ms', '100 MiB', '0 B'],
    ]);
  });
  it('draws a bar per entry, the slowest full width, and ends with identity, verdicts and notes', () => {
    expect(text).toContain(`udf ×2          ${'█'.repeat(40)}  200 ms`);
    expect(text).toContain(`thread-pool ×2  ${'█'.repeat(10)}${' '.repeat(30)}  50.0 ms`);
    expect(text).toContain('metrics identical: yes (2 configs × 2 folds, 6 runs, 40 values compared, max abs difference 0)');
    expect(text).toContain('peak RSS: each run in its own child process');
    expect(text.startsWith('rf on diabetes (442 rows × 2 features), 2-fold CV, 2 configs, seed 42 — 2 runs each after 1 warm-up\n')).toBe(true);
  });
  it('bars resolve eighths of a character', () => {
    expect(bar(1, 8, 1)).toBe('▏');
    expect(bar(13, 8, 1)).toBe('█▋');
    expect(bar(0, 8, 1)).toBe('');
  });
});

describe('compare exports', () => {
  it('JSON is the record, relative speed included, null where no spread exists', () => {
    const j = JSON.parse(renderCompare(result(), 'json'));
    expect(j.entries[1].relative).toEqual({ ratio: 1, sd: null });
    expect(j.entries[2].relative.ratio).toBe(4);
    expect(j.entries[0].wall).toMatchObject({ mean: 100, min: 90, max: 110, n: 2 });
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['entries', 'fastest', 'verdicts', 'identity', 'ranking', 'runs', 'machine', 'isolation']));
    expect(j.identity.identical).toBe(true);
    expect(j.runs).toHaveLength(6);
  });
  it('CSV has a header and one full-precision row per entry', () => {
    const lines = renderCompare(result(), 'csv').trimEnd().split('\n');
    expect(lines[0]).toBe(COMPARE_CSV_HEADER.join(','));
    expect(lines).toHaveLength(4);
    const row = Object.fromEntries(COMPARE_CSV_HEADER.map((h, i) => [h, lines[3].split(',')[i]]));
    expect(row).toMatchObject({ strategy: 'udf', workers: '2', runs: '2', wall_mean_ms: '200', wall_min_ms: '180', relative: '4', task_ms: '300', metrics_identical: 'true' });
    expect(Number(row.relative_sd)).toBeCloseTo(0.8, 12);
    expect(lines[2].split(',')[8]).toBe(''); // the fastest has no relative σ
  });
  it('Markdown is a GitHub table plus a list', () => {
    const md = renderCompare(result(), 'markdown').split('\n');
    const table = md.filter((l) => l.startsWith('|'));
    expect(table).toHaveLength(5);
    expect(table[1]).toBe('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    expect(table[3]).toBe('| thread-pool | 2 | 50.0 ms ± 7.07 ms | 45.0 ms … 55.0 ms | 1.00 | 90.0 ms | 91 ± 13% | 5.00 ms | 100 MiB | 0 B |');
    expect(md).toContain('- thread-pool with 2 workers is 4.00 ± 0.80 × faster than udf with 2 workers');
  });
  it('accepts md as markdown and refuses unknown formats', () => {
    expect(parseCompareFormat('md')).toBe('markdown');
    expect(() => parseCompareFormat('xml')).toThrow('--format must be one of table, json, csv, markdown, html, got "xml"');
  });
});
