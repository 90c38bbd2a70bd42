/**
 * The hostile-input review (issue 12), the cases that happen mid-sweep or across runs: each runs the real CLI
 * and checks that the sweep ends cleanly — its report printed, what finished kept, one clear line, the right exit
 * code — and never passes off a wrong or unmeasured number as a result. The number in each title is the class.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, linesOf, runCli, tempDir } from './helpers.js';

const PLAIN = 'a,b,target\n1,2,3\n2,3,5\n3,5,8\n4,1,5\n5,2,7\n6,0,6\n7,1,9\n8,3,2\n';
const QUICK = ['--trees', '2', '--folds', '2', '--workers', '1', '--format', 'json', '--quiet'];
const STACK_FRAME = /^\s+at /m;

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

describe('[1] resume with an explicit --checkpoint refuses a checkpoint made from other data or settings', () => {
  const changes: Array<[string, string[], RegExp]> = [
    ['the data file content', ['--data', 'data2.csv'], /data content \(sha256\) "[0-9a-f]{12}" there, "[0-9a-f]{12}" here/],
    ['--seed', ['--seed', '7'], /seed 42 there, 7 here/],
    ['--folds', ['--folds', '3'], /evaluation \{"kind":"kfold","folds":2\} there, \{"kind":"kfold","folds":3\} here/],
    ['--test-fraction', ['--test-fraction', '0.5'], /evaluation .* there, \{"kind":"holdout","testFraction":0.5\} here/],
    ['--data', ['--data', 'diabetes'], /data "data.csv" there, "diabetes" here/],
  ];
  it.concurrent.each(changes)('changed %s: exit 2, naming what differs; unchanged: resumes', async (_what, change, differs) => {
    const dir = tempDir('sweep-review-');
    write(dir, { 'data.csv': PLAIN, 'data2.csv': PLAIN.replace('7,1,9', '7,1,10') });
    const base = ['run', '--data', 'data.csv', '--checkpoint', 'c.jsonl', ...QUICK];
    const first = await runCli(base, dir);
    expect(first.code, first.stderr).toBe(0);
    const withChange = [...base, '--resume'];
    for (let i = 0; i < change.length; i += 2) {
      const at = withChange.indexOf(change[i]);
      if (at >= 0) withChange.splice(at, 2, change[i], change[i + 1]);
      else if (change[i] === '--test-fraction') withChange.splice(withChange.indexOf('--folds'), 2, change[i], change[i + 1]);
      else withChange.push(change[i], change[i + 1]);
    }
    const r = await runCli(withChange, dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const [line] = linesOf(r.stderr);
    expect(line).toMatch(/^sweep: checkpoint c\.jsonl was made by another sweep: /);
    expect(line).toMatch(differs);
    const same = await runCli([...base.filter((a) => a !== '--quiet'), '--resume'], dir);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toMatch(/resuming: 2 of 2 fits already done/);
  });
});

describe('[2] non-finite metrics never count as success', () => {
  it('a target near ±1e308 fails each fold naming the metric; nothing is ranked; exit 1', async () => {
    const dir = tempDir('sweep-review-');
    const rows = ['a,target', ...Array.from({ length: 8 }, (_, i) => `${i},${i % 2 === 0 ? '1.7e308' : '-1.7e308'}`)];
    write(dir, { 'big.csv': rows.join('\n') + '\n' });
    const r = await runCli(['run', '--data', 'big.csv', ...QUICK], dir);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.best).toBeNull();
    expect(result.trials[0].status).toBe('failed');
    expect(result.trials[0].rank).toBeUndefined();
    expect(result.trials[0].error).toMatch(/metric \w+ is not finite/);
    expect(result.trials[0].metrics).toBeNull(); // not {} or a null inside: no metrics at all
    expect(JSON.stringify(result.trials[0].folds)).not.toContain('null');
  });

  it('a UDF whose per-fold values overflow when averaged (1.5e308 twice) is failed, never ranked best', async () => {
    const dir = tempDir('sweep-review-');
    write(dir, { 'u.mjs': 'export default (group, ctx) => ({ score: ctx.params.k === 1 ? 1.5e308 : 0.5 });\n' });
    const r = await runCli(['run', '--udf', 'u.mjs', '--param', 'k=1,2', '--metric', 'score', '--folds', '2', '--format', 'json', '--quiet', '--no-checkpoint'], dir);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.best).toEqual({ params: { k: 2 }, metrics: { score: 0.5 } });
    const bad = result.trials.find((t: { params: { k: number } }) => t.params.k === 1);
    expect(bad.status).toBe('failed');
    expect(bad.rank).toBeUndefined();
    expect(bad.error).toMatch(/metric score: the mean or spread over folds is not finite/);
  });
});

describe('[5] a target with a tiny spread (5e-324, 1e-323) ends at once, under every strategy', () => {
  it.concurrent.each(['thread-pool', 'native', 'udf'])('%s: the trial fails with a message; exit 1 within seconds', async (strategy) => {
    const dir = tempDir('sweep-review-');
    write(dir, { 'tiny.csv': 'a,target\n' + Array.from({ length: 8 }, (_, i) => `${i},${i % 2 ? '5e-324' : '1e-323'}`).join('\n') + '\n' });
    const r = await runCli(['run', '--data', 'tiny.csv', '--strategy', strategy, ...QUICK], dir, 30_000);
    expect(r.signal, 'killed: it hung').toBeNull();
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).trials[0].error).toMatch(/the target's spread \(1e-323\) is too small for exact histogram sums/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('[6] a checkpoint that cannot be written (/dev/full)', () => {
  it('prints one line, stops dispatching, still prints the report of what finished; exit 1', async () => {
    const dir = tempDir('sweep-review-');
    const r = await runCli(['run', '--checkpoint', '/dev/full', '--trees', '2', '--folds', '2', '--workers', '1', '--format', 'json'], dir);
    expect(r.code, r.stderr).toBe(1);
    const lines = linesOf(r.stderr);
    expect(lines).toEqual(['sweep: cannot write checkpoint /dev/full: ENOSPC; stopped dispatching, the report below has what finished']);
    const result = JSON.parse(r.stdout);
    expect(result.interrupted).toBe(true);
    expect(result.stoppedBy).toBe('cannot write checkpoint /dev/full: ENOSPC');
  });
});

describe('[7] outputs that only look like inputs', () => {
  it('--output named like the built-in data set is an ordinary new file', async () => {
    const dir = tempDir('sweep-review-');
    const r = await runCli(['run', '--trees', '1', '--folds', '2', '--no-checkpoint', '--quiet', '--format', 'json', '--output', 'diabetes'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'diabetes'), 'utf8')).data.name).toBe('diabetes');
  });
});

describe('[10] --workers far above the task count', () => {
  it('starts no more threads than tasks, and says so', async () => {
    const dir = tempDir('sweep-review-');
    const r = await runCli(['run', '--workers', '1024', '--trees', '1', '--folds', '2', '--format', 'json', '--no-checkpoint'], dir, 30_000);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).workers).toBe(2);
    expect(r.stderr).toBe('sweep: --workers 1024 lowered to 2: no more threads than tasks to run\n');
    expect(r.ms).toBeLessThan(20_000); // 1024 threads took ~29 s and 4 GB
  });
});

describe('[11] grid files that look odd but are fine', () => {
  it('a grid file with a UTF-8 BOM is read; __proto__ is a plain UDF parameter', async () => {
    const dir = tempDir('sweep-review-');
    write(dir, { 'g.json': '\uFEFF{"numTrees": [2, 3]}', 'p.json': '{"__proto__": [1, 2], "constructor": [3]}', 'u.mjs': 'export default (g, ctx) => ({ r2: ctx.params.__proto__ / 10 });\n' });
    const a = await runCli(['run', '--grid', 'g.json', ...QUICK.slice(2), '--no-checkpoint'], dir);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).trials.map((t: { params: { numTrees: number } }) => t.params.numTrees).sort()).toEqual([2, 3]);
    const b = await runCli(['run', '--udf', 'u.mjs', '--grid', 'p.json', '--folds', '2', '--format', 'json', '--quiet', '--no-checkpoint'], dir);
    expect(b.code, b.stderr).toBe(0);
    const trials = JSON.parse(b.stdout).trials;
    expect(trials).toHaveLength(2);
    expect(trials[0].params).toEqual(JSON.parse('{"__proto__": 2, "constructor": 3}'));
    expect(trials[0].metrics.r2).toBeCloseTo(0.2, 12);
    // --param names that are Object.prototype members are ordinary names (before: "toString is given twice").
    write(dir, { 'v.mjs': 'export default (g, ctx) => ({ r2: ctx.params.toString + ctx.params.constructor / 10 });\n' });
    const c = await runCli(['run', '--udf', 'v.mjs', '--param', 'toString=0.5', '--param', 'constructor=1', '--folds', '2', '--format', 'json', '--quiet', '--no-checkpoint'], dir);
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout).trials[0].params).toEqual(JSON.parse('{"constructor": 1, "toString": 0.5}'));
    expect(JSON.parse(c.stdout).trials[0].metrics.r2).toBeCloseTo(0.6, 12);
  });
});

describe('[12] sweep predict', () => {
  it('exits quietly when the reader closes stdout (| head -1)', () => {
    const dir = tempDir('sweep-review-');
    const save = spawnSync(process.execPath, [BIN, 'run', '--data', 'friedman1:rows=100', '--model', 'linear', '--folds', '2', '--save-best', 'm.json', '--quiet', '--no-checkpoint'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(save.status, save.stderr).toBe(0);
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" predict --model m.json --data friedman1:rows=300000 2>err.txt | head -1; echo "status \${PIPESTATUS[0]}"`], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout.split('\n')[0]).toBe('prediction');
    expect(r.stdout).toMatch(/status 0/);
    expect(readFileSync(join(dir, 'err.txt'), 'utf8')).toBe('');
  });

  it('refuses a model file whose numbers are strings or whose child indices overflow', async () => {
    const dir = tempDir('sweep-review-');
    const save = await runCli(['run', '--trees', '2', '--folds', '2', '--save-best', 'm.json', '--quiet', '--no-checkpoint'], dir);
    expect(save.code, save.stderr).toBe(0);
    const model = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
    const leaf = model.trees[0].left.indexOf(-1);
    const a = structuredClone(model);
    a.trees[0].value[leaf] = 'abc';
    const b = structuredClone(model);
    b.trees[0].left[0] = 2 ** 32 + 1;
    write(dir, { 'a.json': JSON.stringify(a), 'b.json': JSON.stringify(b) });
    for (const [file, message] of [['a.json', `trees[0].value[${leaf}] is "abc", expected a finite number`], ['b.json', 'trees[0].left[0] is 4294967297, expected an integer']]) {
      const r = await runCli(['predict', '--model', file, '--data', 'diabetes'], dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(linesOf(r.stderr)[0]).toContain(message);
    }
  });
});

describe('[13] a UDF cannot write into the report', () => {
  it('top-level and per-call console.log go to stderr, prefixed; stdout is only the JSON report', async () => {
    const dir = tempDir('sweep-review-');
    write(dir, { 'log.mjs': 'console.log("hello from the top");\nexport default () => { console.log("in the udf"); return { r2: 0.5 }; };\n' });
    const r = await runCli(['run', '--udf', 'log.mjs', '--folds', '2', '--format', 'json', '--no-checkpoint', '--workers', '1'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).best.metrics.r2).toBe(0.5);
    expect(r.stderr).toMatch(/^udf: hello from the top$/m);
    expect(r.stderr).toMatch(/^udf: in the udf$/m);
  });
});

describe('[14] a UDF returning thousands of metric keys', () => {
  it('fails its tasks at once (at most 64 metrics), not after minutes', async () => {
    const dir = tempDir('sweep-review-');
    write(dir, { 'many.mjs': 'export default () => { const o = { r2: 0.1 }; for (let i = 0; i < 200000; i++) o["m" + i] = i; return o; };\n' });
    const r = await runCli(['run', '--udf', 'many.mjs', '--folds', '2', '--format', 'json', '--quiet', '--no-checkpoint'], dir, 30_000);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).trials[0].error).toMatch(/UDF returned 200001 metrics; at most 64 are allowed/);
    expect(r.ms).toBeLessThan(20_000);
  });
});

describe('[3] corrupt checkpoint lines through the CLI', () => {
  it('a null line and a forged metric are skipped with a counted warning and re-run; the result equals a fresh run', async () => {
    const dir = tempDir('sweep-review-');
    const args = ['run', '--model', 'linear', '--reg-param', '0,1', '--folds', '2', '--format', 'json', '--checkpoint', 'c.jsonl'];
    const first = await runCli([...args, '--quiet'], dir);
    expect(first.code, first.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'c.jsonl'), 'utf8').split('\n').filter(Boolean);
    const forged = JSON.parse(lines[1]);
    forged.metrics.r2 = 'HACKED';
    writeFileSync(join(dir, 'c.jsonl'), [lines[0], 'null', JSON.stringify(forged), ...lines.slice(2)].join('\n') + '\n');
    const r = await runCli([...args, '--resume'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/c\.jsonl: 2 invalid lines skipped \(line 2: not an object; line 3: metric r2 is not a number\); their tasks run again/);
    expect(r.stderr).toMatch(/resuming: 3 of 4 fits already done/);
    const metrics = (out: string) => JSON.parse(out).trials.map((t: { metrics: unknown }) => t.metrics);
    expect(metrics(r.stdout)).toEqual(metrics(first.stdout));
  });
});
