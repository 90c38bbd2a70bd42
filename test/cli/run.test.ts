/** `sweep run` and `sweep predict` through the real CLI: output formats, exit codes, --save-best. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve('bin/sweep.js');
const dir = mkdtempSync(join(tmpdir(), 'sweep-cli-'));
function sweep(...args: string[]) {
  return spawnSync('node', [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
}

describe('sweep run', () => {
  it('prints the table with every config and the footer, exit 0', () => {
    const r = sweep('run', '--model', 'linear', '--reg-param', '0,0.1,1', '--elastic-net', '0,0.5,1', '--folds', '3');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\s/.test(l));
    expect(rows).toHaveLength(9);
    expect(r.stdout).toMatch(/strategy\s+thread-pool/);
    expect(r.stdout).toMatch(/trials\s+9 ok, 0 failed/);
    expect(r.stdout).toMatch(/speed-up/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour codes on a pipe
  });

  it.each(['json', 'csv', 'markdown'])('--format %s writes only results to stdout', (format) => {
    const r = sweep('run', '--model', 'linear', '--reg-param', '0,1', '--folds', '2', '--format', format);
    expect(r.status).toBe(0);
    if (format === 'json') expect(JSON.parse(r.stdout).trials).toHaveLength(2);
    if (format === 'csv') expect(r.stdout.split('\n')[0]).toMatch(/^rank,regParam,/);
    if (format === 'markdown') expect(r.stdout).toMatch(/^\| rank \| regParam \|/m);
  });

  it('--output writes the report to a file', () => {
    const out = join(dir, 'r.json');
    const r = sweep('run', '--model', 'linear', '--folds', '2', '--format', 'json', '--output', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).model).toBe('linear');
  });

  it('a failed trial is reported failed, the others finish, exit 1', () => {
    // Duplicating a column makes least squares singular; with a penalty the same data fits.
    const csv = join(dir, 'dup.csv');
    const lines = ['a,b,target', ...Array.from({ length: 20 }, (_, i) => `${i},${2 * i},${(i * 7) % 5}`)];
    writeFileSync(csv, lines.join('\n') + '\n');
    const r = sweep('run', '--data', csv, '--model', 'linear', '--reg-param', '0,1', '--folds', '2', '--format', 'json');
    expect(r.status).toBe(1);
    const res = JSON.parse(r.stdout);
    expect(res.trials.map((t: { status: string }) => t.status)).toEqual(['ok', 'failed']);
    expect(res.trials[1].error).toMatch(/singular design matrix: feature b is a linear combination/);
  });

  it('--help shows examples and exits 0; bad usage exits 2 in one line', () => {
    const help = sweep('run', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    const bad = sweep('run', '--trees', '0');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')[0]).toBe('sweep: --trees: numTrees must be >= 1 and <= 100000, got 0');
  });
});

describe('--save-best and sweep predict', () => {
  it.each([
    ['linear', ['--model', 'linear', '--reg-param', '0,0.5']],
    ['rf', ['--trees', '5']],
  ])('%s: the saved model predicts every row', (kind, args) => {
    const model = join(dir, `${kind}.json`);
    const r = sweep('run', ...args, '--folds', '2', '--save-best', model, '--quiet');
    expect(r.status).toBe(0);
    const saved = JSON.parse(readFileSync(model, 'utf8'));
    expect(saved.model).toBe(kind);
    expect(saved.features).toHaveLength(10);
    if (kind === 'linear') expect(Object.keys(saved).sort()).toEqual(['coefficients', 'features', 'intercept', 'model', 'params']);
    const p = sweep('predict', '--model', model, '--data', 'diabetes');
    expect(p.status).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('prediction');
    expect(lines).toHaveLength(443);
    const values = lines.slice(1).map(Number);
    expect(values.every((v) => Number.isFinite(v) && v > 0 && v < 400)).toBe(true);
  });

  it('predict refuses a file that is not a model', () => {
    const p = sweep('predict', '--model', join(dir, 'nope.json'), '--data', 'diabetes');
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/nope\.json: model file not found/);
  });
});
