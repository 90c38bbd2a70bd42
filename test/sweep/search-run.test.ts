/**
 * Searches end to end: the same trials and best with 1 or 2 workers and under thread-pool, native and udf; a
 * checkpointed search interrupted mid-way resumes to the uninterrupted result; the CLI's range flags, JSON search
 * block and refusals; a UDF metric ranked by its direction.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeSweep, prepareSweepInput } from '../../dist/api/run.js';
import { runCli, tempDir } from '../cli/helpers.js';

const SPACE = { numTrees: { min: 2, max: 12 }, maxDepth: { min: 2, max: 6 }, minSamplesLeaf: { min: 1, max: 16, log: true }, maxFeatures: { min: 0.3, max: 1 } };
// 15 trials in rounds of 5: rounds 1–2 are TPE's random start-up, round 3 (10 finished trials) is TPE proper.
const TPE = { method: 'tpe', trials: 15, batch: 5 };
const trialsOf = (r: { trials: { number?: number; params: unknown; metrics: unknown; status: string }[] }) =>
  [...r.trials].sort((a, b) => a.number! - b.number!).map((t) => [t.number, t.params, t.status, t.metrics]);

describe('search parity', () => {
  it('tpe proposes the same trials, with the same metrics and best, with 1 or 2 workers and under every strategy', async () => {
    const prep = await prepareSweepInput({ data: 'diabetes', grid: SPACE, search: TPE, evaluation: { kind: 'kfold', folds: 3 } });
    const one = await executeSweep(prep, { strategy: 'thread-pool', workers: 1 });
    expect(one.trials).toHaveLength(15);
    expect(one.search).toEqual({ method: 'tpe', trialsAsked: 15, trialsFinished: 15, batch: 5, rounds: 3, repeats: one.search!.repeats });
    for (const [strategy, workers] of [['thread-pool', 2], ['native', 2], ['udf', 2], ['native', 1]] as const) {
      const other = await executeSweep(prep, { strategy, workers });
      expect(trialsOf(other), `${strategy} × ${workers}`).toEqual(trialsOf(one));
      expect(other.best).toEqual(one.best);
      expect(other.bestSoFar).toEqual(one.bestSoFar);
    }
    // The best-so-far series never gets worse and ends at the best.
    const values = one.bestSoFar!.map((p) => p.value);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    expect(values.at(-1)).toBe(one.best!.metrics.r2);
  }, 120_000);

  it('random search: trial k is the same whatever the number of trials, the strategy or the workers', async () => {
    const five = await executeSweep(await prepareSweepInput({ data: 'diabetes', grid: SPACE, search: { method: 'random', trials: 5 }, evaluation: { kind: 'kfold', folds: 2 } }), { workers: 1 });
    const eight = await prepareSweepInput({ data: 'diabetes', grid: SPACE, search: { method: 'random', trials: 8 }, evaluation: { kind: 'kfold', folds: 2 } });
    for (const [strategy, workers] of [['thread-pool', 2], ['native', 2], ['udf', 1]] as const) {
      expect(trialsOf(await executeSweep(eight, { strategy, workers })).slice(0, 5), `${strategy} × ${workers}`).toEqual(trialsOf(five));
    }
  }, 60_000);
});

describe('halving', () => {
  it('runs rungs over the trees, promotes the best third, ranks the last rung first; the same with 2 workers and native', async () => {
    // 9 candidates, 27 trees in full: rungs of 9 × 3 trees, 3 × 9, 1 × 27
    const prep = await prepareSweepInput({ data: 'diabetes', grid: { numTrees: 27, maxDepth: { min: 2, max: 8 }, maxFeatures: { min: 0.3, max: 1 } }, search: { method: 'halving', trials: 9 }, evaluation: { kind: 'kfold', folds: 3 } });
    const one = await executeSweep(prep, { workers: 1 });
    const byNumber = [...one.trials].sort((a, b) => a.number! - b.number!);
    expect(byNumber.map((t) => [t.rung, t.resource, t.params.numTrees])).toEqual([
      ...Array.from({ length: 9 }, () => [0, 3, 3]),
      ...Array.from({ length: 3 }, () => [1, 9, 9]),
      [2, 27, 27],
    ]);
    expect(one.search).toMatchObject({ method: 'halving', trialsAsked: 13, trialsFinished: 13, rounds: 3, resource: 'numTrees', maxResource: 27, factor: 3 });
    // Rung 1 holds the best three of rung 0 (by r2), rung 2 the best of rung 1.
    const r2 = (t: (typeof byNumber)[number]) => t.metrics!.r2;
    const top = (rung: number, k: number) => byNumber.filter((t) => t.rung === rung).sort((a, b) => r2(b) - r2(a) || a.number! - b.number!).slice(0, k).map((t) => t.candidate);
    expect(byNumber.filter((t) => t.rung === 1).map((t) => t.candidate)).toEqual(top(0, 3));
    expect(byNumber.filter((t) => t.rung === 2).map((t) => t.candidate)).toEqual(top(1, 1));
    expect(one.trials[0]).toMatchObject({ rank: 1, rung: 2 });
    expect(one.best!.params).toEqual(one.trials[0].params);
    for (const [strategy, workers] of [['thread-pool', 2], ['native', 2], ['udf', 2]] as const) {
      const other = await executeSweep(prep, { strategy, workers });
      expect(trialsOf(other), `${strategy} × ${workers}`).toEqual(trialsOf(one));
    }
    // Stopped during its second rung, it resumes to the same rungs and promotions.
    const dir = tempDir('sweep-halving-');
    const checkpoint = join(dir, 'halving.jsonl');
    const stop = new AbortController();
    const cut = await executeSweep(prep, { workers: 2, checkpoint, signal: stop.signal, onProgress: (p) => p.done >= 30 && stop.abort() });
    expect(cut.interrupted).toBe(true);
    const resumed = await executeSweep(prep, { workers: 2, checkpoint, resume: true });
    expect(trialsOf(resumed)).toEqual(trialsOf(one));
  }, 120_000);

  it('halves over rows for any model: each rung cross-validates on a nested keyed subsample; native equals thread-pool', async () => {
    // 9 grid candidates, 442 rows: rungs of 9 × 49 rows, 3 × 147, 1 × 441
    const regParam = [0, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
    const prep = await prepareSweepInput({ data: 'diabetes', model: 'linear', grid: { regParam }, search: { method: 'halving' } });
    const one = await executeSweep(prep, { workers: 1 });
    const byNumber = [...one.trials].sort((a, b) => a.number! - b.number!);
    expect(byNumber.map((t) => [t.rung, t.resource])).toEqual([...Array.from({ length: 9 }, () => [0, 49]), ...Array.from({ length: 3 }, () => [1, 147]), [2, 441]]);
    expect(byNumber.slice(0, 9).map((t) => t.params.regParam)).toEqual(regParam);
    expect(one.search).toMatchObject({ method: 'halving', resource: 'rows', maxResource: 442, rounds: 3 });
    const r2 = (t: (typeof byNumber)[number]) => t.metrics!.r2;
    const top = byNumber.filter((t) => t.rung === 0).sort((a, b) => r2(b) - r2(a) || a.number! - b.number!).slice(0, 3).map((t) => t.candidate);
    expect(byNumber.filter((t) => t.rung === 1).map((t) => t.candidate)).toEqual(top);
    const native = await executeSweep(prep, { strategy: 'native', workers: 2 });
    expect(trialsOf(native)).toEqual(trialsOf(one));
    // A forest that searches numTrees halves over rows by default.
    const forest = await prepareSweepInput({ data: 'diabetes', grid: { numTrees: { min: 2, max: 6 } }, search: { method: 'halving', trials: 3 } });
    expect(forest.search.resource).toBe('rows');
  }, 120_000);

  it('refuses to search the resource itself, and a resource the model does not have', async () => {
    await expect(prepareSweepInput({ data: 'diabetes', grid: { numTrees: [10, 20] }, search: { method: 'halving', trials: 9, resource: 'numTrees' } })).rejects.toThrow(/numTrees is the resource of --search halving: it cannot also be searched/);
    await expect(prepareSweepInput({ data: 'diabetes', model: 'linear', grid: { regParam: [0, 1] }, search: { method: 'halving', resource: 'numTrees' } })).rejects.toThrow(/--resource numTrees: the resource of a halving search is rows, or numTrees for --model rf/);
    await expect(prepareSweepInput({ data: 'diabetes', model: 'linear', grid: { regParam: [0, 1] }, search: { method: 'halving', minResource: 5 } })).rejects.toThrow(/--min-resource 5: a rung of rows needs at least 20 rows/);
  });
});

describe('search resume', () => {
  it('a tpe search stopped in its second round resumes to the uninterrupted result, re-running nothing finished', async () => {
    const dir = tempDir('sweep-search-');
    const prep = await prepareSweepInput({ data: 'diabetes', grid: SPACE, search: TPE, evaluation: { kind: 'kfold', folds: 3 } });
    const whole = await executeSweep(prep, { workers: 2 });
    const checkpoint = join(dir, 'search.jsonl');
    const stop = new AbortController();
    const cut = await executeSweep(prep, { workers: 2, checkpoint, signal: stop.signal, onProgress: (p) => p.done >= 20 && stop.abort() });
    expect(cut.interrupted).toBe(true);
    expect(cut.search!.trialsFinished).toBeLessThan(15);
    let reused = 0;
    const resumed = await executeSweep(prep, { workers: 2, checkpoint, resume: true, onResume: (r) => (reused = r.reused) });
    expect(trialsOf(resumed)).toEqual(trialsOf(whole));
    expect(resumed.best).toEqual(whole.best);
    expect(reused).toBeGreaterThanOrEqual(20);
    expect(resumed.interrupted).toBeUndefined();
  }, 120_000);
});

describe('random search resume', () => {
  it('a random search stopped part-way resumes to the uninterrupted result', async () => {
    const dir = tempDir('sweep-random-');
    const prep = await prepareSweepInput({ data: 'diabetes', grid: SPACE, search: { method: 'random', trials: 10 }, evaluation: { kind: 'kfold', folds: 3 } });
    const whole = await executeSweep(prep, { workers: 2 });
    const checkpoint = join(dir, 'random.jsonl');
    const stop = new AbortController();
    await executeSweep(prep, { workers: 2, checkpoint, signal: stop.signal, onProgress: (p) => p.done >= 12 && stop.abort() });
    const resumed = await executeSweep(prep, { workers: 2, checkpoint, resume: true });
    expect(trialsOf(resumed)).toEqual(trialsOf(whole));
  }, 60_000);
});

describe('search from the command line', () => {
  it('takes ranges in flags, prints trial numbers and a search block, and sorts by number on request', async () => {
    const dir = tempDir();
    const r = await runCli(['run', '--search', 'random', '--trials', '6', '--trees', '2..10', '--max-depth', '2..5', '--folds', '2', '--format', 'json', '--quiet'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.search).toMatchObject({ method: 'random', trialsAsked: 6, trialsFinished: 6, batch: 6, rounds: 1 });
    expect(json.trials.map((t: { number: number }) => t.number).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(json.bestSoFar.length).toBe(6);
    expect(json.direction).toBe('max');
    for (const t of json.trials) {
      expect(t.params.numTrees).toBeGreaterThanOrEqual(2);
      expect(t.params.numTrees).toBeLessThanOrEqual(10);
      expect(Number.isInteger(t.params.maxDepth)).toBe(true);
    }
    const table = await runCli(['run', '--search', 'random', '--trials', '6', '--trees', '2..10', '--max-depth', '2..5', '--folds', '2', '--sort', 'number', '--quiet'], dir);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/search\s+random: 6 of 6 trials finished/);
    const numbers = table.stdout.split('\n').map((l) => /^\s*(\d+)\s+\d+\s/.exec(l)?.[1]).filter((x) => x !== undefined).map(Number);
    expect(numbers).toEqual([0, 1, 2, 3, 4, 5]);
  }, 60_000);

  it('refuses a range in a grid with a hint, bad ranges naming the flag, and --trials without a method (exit 2, one line)', async () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['--trees', '10..500'], /numTrees: a range \(10\.\.500\) cannot be swept as a grid.*--search random/s],
      [['--search', 'random', '--trees', '50..10'], /--trees: a range needs min < max, got 50\.\.10/],
      [['--search', 'random', '--trials', '3', '--trees', '10..20,30'], /--trees: "10\.\.20,30" is neither a list/],
      [['--search', 'tpe', '--trees', '10..20'], /--search tpe needs --trials N/],
      [['--trials', '5', '--trees', '10,20'], /--trials applies to --search random or tpe/],
      [['--search', 'random', '--trials', '3', '--model', 'linear', '--reg-param', '0..1:log'], /--reg-param: a log range needs min > 0/],
      [['--metric', 'r2:min'], /--metric: r2 is higher-is-better; it cannot be ranked by min/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['run', ...args, '--folds', '2', '--quiet'], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n').length, args.join(' ')).toBeLessThanOrEqual(2);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  }, 60_000);

  it('reads ranges from a grid file, and W&B-style {values} lists', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'space.json'), JSON.stringify({ numTrees: { values: [3, 5] }, minSamplesLeaf: { min: 1, max: 32, log: true }, maxFeatures: { min: 0.2, max: 1, distribution: 'uniform' } }));
    const r = await runCli(['run', '--grid', 'space.json', '--search', 'random', '--trials', '4', '--folds', '2', '--format', 'json', '--quiet'], dir);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    for (const t of json.trials) {
      expect([3, 5]).toContain(t.params.numTrees);
      expect(t.params.minSamplesLeaf).toBeGreaterThanOrEqual(1);
      expect(t.params.maxFeatures).toBeGreaterThanOrEqual(0.2);
    }
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ numTrees: { min: 1, max: 5, step: 2 } }));
    const bad = await runCli(['run', '--grid', 'bad.json', '--search', 'random', '--trials', '4', '--quiet'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json.*"numTrees": unknown range field "step"/);
  }, 60_000);

  it('reads a W&B-shaped YAML config; flags override it; unknown keys and bad YAML name line and column', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'sweep.yaml'),
      [
        '# a W&B-style sweep',
        'method: bayes',
        'metric: {name: rmse, goal: minimize}',
        'trials: 12',
        'batch: 4',
        'parameters:',
        '  numTrees: {min: 2, max: 10}',
        '  maxDepth: {values: [3, 5, none]}',
        '  minSamplesLeaf: {min: 1, max: 16, distribution: log_uniform_values}',
        'evaluation: {folds: 2}',
        'seed: 7',
        '',
      ].join('\n'),
    );
    const r = await runCli(['run', '--config', 'sweep.yaml', '--trials', '5', '--format', 'json', '--quiet'], dir);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json.search).toMatchObject({ method: 'tpe', trialsAsked: 5, batch: 4 });
    expect(json).toMatchObject({ metric: 'rmse', direction: 'min', seed: 7, evaluation: { folds: 2 } });
    for (const t of json.trials) expect([3, 5, 'none']).toContain(t.params.maxDepth);
    writeFileSync(join(dir, 'typo.yaml'), 'method: random\ntrails: 5\n');
    const typo = await runCli(['run', '--config', 'typo.yaml', '--quiet'], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/typo\.yaml:2:1: unknown key "trails" \(known: method, metric, trials/);
    writeFileSync(join(dir, 'nested.yaml'), 'method: random\nevaluation: {folds: 2, shufle: true}\n');
    expect((await runCli(['run', '--config', 'nested.yaml', '--quiet'], dir)).stderr).toMatch(/nested\.yaml:2:24: evaluation: unknown key "shufle"/);
    writeFileSync(join(dir, 'broken.yaml'), 'method: random\nparameters: {numTrees: [1, 2}\n');
    const broken = await runCli(['run', '--config', 'broken.yaml', '--quiet'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^sweep: broken\.yaml:2:\d+: /);
    expect(broken.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it('--time-budget ends a search early: exit 0, finished trials kept, the report says the budget ended it', async () => {
    const dir = tempDir();
    const r = await runCli(['run', '--data', 'friedman1:rows=5000', '--search', 'random', '--trials', '500', '--trees', '10..30', '--max-depth', '2..10', '--min-samples-leaf', '1..32:log', '--time-budget', '2s', '--folds', '2', '--workers', '1', '--format', 'json', '--quiet'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.search).toMatchObject({ method: 'random', trialsAsked: 500, timeBudgetMs: 2000, budgetSpent: true });
    expect(json.search.trialsFinished).toBeGreaterThan(0);
    expect(json.search.trialsFinished).toBeLessThan(500);
    expect(json.interrupted).toBeUndefined();
    expect(json.best).not.toBeNull();
    const bad = await runCli(['run', '--time-budget', '10 parsecs', '--search', 'random', '--trials', '3', '--quiet'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--time-budget must be a duration such as 90s, 10m or 2h/);
  }, 60_000);

  it("ranks a UDF's loss by its direction: a guessed min for logloss, and :max when asked", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'loss.mjs'),
      'export default function (group, { params }) { return { logloss: Math.abs(params.k - 3), other: params.k }; }\n',
    );
    const min = await runCli(['run', '--udf', 'loss.mjs', '--param', 'k=1,2,3,4,5', '--metric', 'logloss', '--folds', '2', '--format', 'json', '--quiet'], dir);
    expect(min.stderr).toBe('');
    const a = JSON.parse(min.stdout);
    expect(a.direction).toBe('min');
    expect(a.best.params).toEqual({ k: 3 });
    const max = await runCli(['run', '--udf', 'loss.mjs', '--param', 'k=1,2,3,4,5', '--metric', 'logloss:max', '--folds', '2', '--format', 'json', '--quiet'], dir);
    expect(JSON.parse(max.stdout).best.params).toEqual({ k: 1 });
    expect(readFileSync(join(dir, 'loss.mjs'), 'utf8')).toContain('logloss');
  }, 60_000);
});
