import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { csvField, renderCsv } from '../../dist/report/csv.js';
import { renderJson } from '../../dist/report/json.js';
import { renderMarkdown } from '../../dist/report/markdown.js';
import { colorEnabled, parseReportFormat, renderReport, writeReport } from '../../dist/report/render.js';
import { renderTable } from '../../dist/report/table.js';
import { sampleResult } from './fixture.js';
import type { SweepResult } from '../../dist/sweep/result.js';

describe('renderJson', () => {
  it('is exactly the result record, indented by two spaces', () => {
    const text = renderJson(sampleResult());
    expect(JSON.parse(text)).toEqual(sampleResult());
    expect(text).toMatch(/^\{\n {2}"strategy": "native",\n/);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('carries the documented field names', () => {
    const j = JSON.parse(renderJson(sampleResult()));
    for (const k of ['strategy', 'model', 'data', 'evaluation', 'seed', 'workers', 'wallMs', 'trials', 'best']) expect(j).toHaveProperty(k);
    expect(Object.keys(j.data)).toEqual(['name', 'rows', 'features', 'target']);
    expect(j.evaluation).toEqual({ folds: 2 });
    const t = j.trials[0];
    for (const k of ['params', 'status', 'metrics', 'metricsStd', 'fitMs', 'predictMs', 'folds']) expect(t).toHaveProperty(k);
    expect(Object.keys(t.metrics)).toEqual(['r2', 'corr2', 'mae', 'rmse']);
    expect(Object.keys(t.folds[0])).toEqual(['fold', 'metrics', 'fitMs', 'predictMs']);
    expect(j.trials[2].error).toBe('maxDepth 3, bad "split"');
    expect(Object.keys(j.best)).toEqual(['params', 'metrics']);
  });

  it('writes numbers as numbers and NaN as null', () => {
    const r = sampleResult();
    r.trials[0].metricsStd!.r2 = NaN;
    const j = JSON.parse(renderJson(r));
    expect(j.trials[0].metrics.r2).toBe(0.392);
    expect(j.trials[0].metricsStd.r2).toBeNull();
    expect(j.seed).toBe(42);
  });
});

describe('renderCsv', () => {
  it('has one row per config with every parameter, means and stds, times, status and error', () => {
    expect(renderCsv(sampleResult())).toBe(
      [
        'rank,numTrees,maxDepth,bootstrap,r2,r2_std,corr2,corr2_std,mae,mae_std,rmse,rmse_std,fitMs,predictMs,status,error',
        '1,100,10,true,0.392,0.041,0.4015,0.0385,45.25,1.95,58.1,2.3,1240,12.3,ok,',
        '2,20,none,true,0.31,0.02,0.35,0.01,48,0.5,61.25,0.75,0.85,0.012,ok,',
        ',50,3,true,,,,,,,,,5,0,failed,"maxDepth 3, bad ""split"""',
        '',
      ].join('\n'),
    );
  });

  it('quotes fields as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(NaN)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(false)).toBe('false');
  });
});

describe('renderMarkdown', () => {
  it('is a GitHub table with the summary as a list', () => {
    const lines = renderMarkdown(sampleResult()).split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'fixed: bootstrap=true',
      '',
      '| rank | numTrees | maxDepth | r2 | corr2 | mae | rmse | fit | predict |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      '| 1 | 100 | 10 | 0.392 ± 0.041 | 0.402 ± 0.038 | 45.3 ± 1.9 | 58.1 ± 2.3 | 1.24 s | 12.3 ms |',
      '| 2 | 20 | none | 0.310 ± 0.020 | 0.350 ± 0.010 | 48.00 ± 0.50 | 61.25 ± 0.75 | 850 µs | 12.0 µs |',
      '| – | 50 | 3 | failed: maxDepth 3, bad "split" |  |  |  |  |  |',
    ]);
    // Every table row has the header's number of cells.
    const cells = (l: string) => l.split(/(?<!\\)\|/).length;
    for (const l of lines.slice(2, 7)) expect(cells(l)).toBe(cells(lines[2]));
    expect(lines).toContain('- **task time**: 2.79 s summed, 1.86× speed-up over 2 workers');
    expect(lines).toContain('- **best**: numTrees=100 maxDepth=10 → r2 0.392');
  });

  it('escapes a pipe in a failure message and marks an interrupted sweep', () => {
    const r = sampleResult();
    r.trials[2].error = 'a | b';
    r.interrupted = true;
    const text = renderMarkdown(r);
    expect(text).toContain('| failed: a \\| b |');
    expect(text.startsWith('> **interrupted: 6/6 fits — results are partial**\n')).toBe(true);
  });
});

describe('renderReport and writeReport', () => {
  it('dispatches on the format', () => {
    const r = sampleResult();
    expect(renderReport(r, 'table')).toBe(renderTable(r));
    expect(renderReport(r, 'json')).toBe(renderJson(r));
    expect(renderReport(r, 'csv')).toBe(renderCsv(r));
    expect(renderReport(r, 'markdown')).toBe(renderMarkdown(r));
    expect(renderReport(r, 'table', { color: true })).toBe(renderTable(r, { color: true }));
  });

  it('parses --format values', () => {
    expect(parseReportFormat('JSON')).toBe('json');
    expect(parseReportFormat('md')).toBe('markdown');
    expect(() => parseReportFormat('xml')).toThrow('--format must be one of table, json, csv, markdown, got "xml"');
  });

  it('colours only a terminal, and never under NO_COLOR', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });

  it('writes to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-report-'));
    try {
      const file = join(dir, 'out.csv');
      await writeReport('a,b\n', file);
      expect(readFileSync(file, 'utf8')).toBe('a,b\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writeReport to stdout', () => {
  it('writes "-" and undefined to process.stdout', async () => {
    const seen: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((text: string, cb?: (err?: Error | null) => void) => {
      seen.push(text);
      cb?.();
      return true;
    }) as typeof process.stdout.write);
    try {
      await writeReport('one\n', '-');
      await writeReport('two\n');
    } finally {
      spy.mockRestore();
    }
    expect(seen).toEqual(['one\n', 'two\n']);
  });
});

// Hostile review class 25: a CI script must tell an interruption from a failure in every format.
describe('an interrupted trial is marked interrupted, not failed, in every format', () => {
  const interrupted = (): SweepResult => {
    const r = sampleResult();
    r.interrupted = true;
    r.trials = [...r.trials, { params: { numTrees: 7, maxDepth: 3, bootstrap: true }, status: 'interrupted', error: 'interrupted: 1 of 2 folds finished', metrics: null, metricsStd: null, fitMs: 5, predictMs: 1, folds: [] }];
    return r;
  };
  it('csv: status column "interrupted"', () => {
    const rows = renderCsv(interrupted()).trim().split('\n');
    expect(rows.at(-1)).toMatch(/,interrupted,interrupted: 1 of 2 folds finished$/);
  });
  it('table and markdown: "interrupted: …" in place of the metrics, and the trial count says so', () => {
    for (const format of ['table', 'markdown'] as const) {
      const text = renderReport(interrupted(), format);
      expect(text).toContain('interrupted: 1 of 2 folds finished');
      expect(text).not.toContain('failed: interrupted');
      expect(text).toMatch(/2 ok, 1 failed, 1 interrupted/);
    }
  });
  it('json: status "interrupted"', () => {
    expect(JSON.parse(renderJson(interrupted())).trials.at(-1).status).toBe('interrupted');
  });
});
