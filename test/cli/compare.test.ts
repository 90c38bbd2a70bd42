// `sweep compare` end to end through the real CLI: diabetes, 2 configs, 3 folds, 1 run each, workers 1 and 2,
// every registered strategy (thread-pool, udf, and native when it is registered).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCompare } from '../../dist/report/compare-render.js';
import { availableStrategies } from '../../dist/strategies/index.js';
import { linesOf, runCli, tempDir, type CliRun } from './helpers.js';

const STRATEGIES = ['native', 'thread-pool', 'udf'].filter((s) => (availableStrategies() as string[]).includes(s));
const TINY = ['compare', '--trees', '5,10', '--folds', '3', '--repeat', '1', '--warmup', '0', '--workers', '1,2', '--strategies', STRATEGIES.join(',')];

describe('sweep compare', () => {
  const dir = tempDir();
  let table: CliRun;
  let json: CliRun;
  beforeAll(async () => {
    table = await runCli(TINY, dir, 240_000);
    json = await runCli([...TINY, '--format', 'json', '--output', 'out.json'], dir, 240_000);
  }, 480_000);

  it('prints a row per (strategy, workers), bars, identical metrics and verdicts; exit 0', () => {
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = linesOf(table.stdout);
    for (const s of STRATEGIES) for (const w of [1, 2]) expect(lines.some((l) => new RegExp(`^${s} +${w}  `).test(l))).toBe(true);
    for (const s of STRATEGIES) expect(lines.some((l) => l.startsWith(`${s} ×2 `) && l.includes('█'))).toBe(true);
    expect(table.stdout).toContain(`metrics identical: yes (2 configs × 3 folds, ${STRATEGIES.length * 2} runs,`);
    expect(lines.filter((l) => / is (the fastest|[\d.]+ × faster than)/.test(l))).toHaveLength(STRATEGIES.length);
    expect(lines[2]).toMatch(/^strategy +workers +wall time \(mean ± σ\) +min … max +relative +task time +efficiency +start-up +peak RSS +shipped$/);
  });

  it('--format json --output writes the record, relative speed and peak RSS included', () => {
    expect(json.code).toBe(0);
    expect(json.stdout).toBe('');
    const r = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    expect(r.entries.map((e: { strategy: string; workers: number }) => `${e.strategy}×${e.workers}`)).toEqual(STRATEGIES.flatMap((s) => [`${s}×1`, `${s}×2`]));
    expect(r.entries.filter((e: { relative: { ratio: number } }) => e.relative.ratio === 1)).toHaveLength(1);
    for (const e of r.entries) {
      expect(e.relative.ratio).toBeGreaterThanOrEqual(1);
      expect(e.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
      expect(e.wall.n).toBe(1);
      expect(e.failedTasks).toBe(0);
    }
    expect(r).toMatchObject({ configs: 2, folds: 3, repeat: 1, warmup: 0, isolation: 'process', metric: 'r2' });
    expect(r.identity).toMatchObject({ identical: true, maxAbsDiff: 0, runs: STRATEGIES.length * 2 });
    expect(r.ranking).toHaveLength(2);
    // CSV and Markdown of the same record: a row per entry.
    expect(linesOf(renderCompare(r, 'csv'))).toHaveLength(1 + STRATEGIES.length * 2);
    expect(linesOf(renderCompare(r, 'markdown')).filter((l) => l.startsWith('| '))).toHaveLength(2 + STRATEGIES.length * 2);
  });

  it('refuses bad flags with exit 2', async () => {
    const bad = await runCli(['compare', '--strategies', 'nope'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown strategy "nope"');
    const rep = await runCli(['compare', '--repeat', '0'], dir);
    expect(rep.code).toBe(2);
    expect(rep.stderr).toContain('--repeat must be an integer from 1 to 1000, got 0');
  });
});
