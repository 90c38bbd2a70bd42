/**
 * Classification through the CLI: the task said on stderr and in the report, a classification table, a saved
 * classifier that `predict` turns into class names or (--proba) one probability column per class.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const QUICK = ['--folds', '3', '--workers', '1', '--no-checkpoint'];

describe('sweep run / predict on a classification', () => {
  it('says the task, prints a classification table, ranks by log loss', async () => {
    const dir = tempDir();
    const r = await runCli(['run', '--data', 'breast-cancer', '--trees', '5,10', ...QUICK], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('classification: 2 classes (benign, malignant) in target "target"');
    const header = r.stdout.split('\n').find((l) => l.includes('numTrees'))!;
    for (const col of ['accuracy', 'balanced_accuracy', 'log_loss', 'roc_auc', 'f1', 'brier']) expect(header).toContain(col);
    expect(r.stdout).toMatch(/task\s+classification, 2 classes: benign, malignant/);
    expect(r.stdout).toMatch(/evaluation\s+3-fold CV \(stratified\)/);
    expect(r.stdout).toMatch(/metric\s+log_loss \(lower is better\)/);
  });

  it('saves the best classifier; predict prints class names, --proba a column per class', async () => {
    const dir = tempDir();
    const model = join(dir, 'iris.json');
    const run = await runCli(['run', '--data', 'iris', '--trees', '8', '--criterion', 'gini,entropy', ...QUICK, '--quiet', '--save-best', model], dir);
    expect(run.code, run.stderr).toBe(0);
    const labels = await runCli(['predict', '--model', model, '--data', 'iris'], dir);
    expect(labels.code, labels.stderr).toBe(0);
    const lines = labels.stdout.trim().split('\n');
    expect(lines[0]).toBe('prediction');
    expect(lines.length).toBe(151);
    expect(new Set(lines.slice(1))).toEqual(new Set(['setosa', 'versicolor', 'virginica']));
    const proba = await runCli(['predict', '--model', model, '--data', 'iris', '--proba'], dir);
    expect(proba.code, proba.stderr).toBe(0);
    const rows = proba.stdout.trim().split('\n');
    expect(rows[0]).toBe('setosa,versicolor,virginica');
    for (const row of rows.slice(1)) {
      const p = row.split(',').map(Number);
      expect(p.length).toBe(3);
      expect(Math.abs(p[0] + p[1] + p[2] - 1)).toBeLessThan(1e-12);
    }
    // The most probable class is the predicted one.
    rows.slice(1).forEach((row, i) => {
      const p = row.split(',').map(Number);
      expect(['setosa', 'versicolor', 'virginica'][p.indexOf(Math.max(...p))]).toBe(lines[i + 1]);
    });
  });

  it('refuses --proba for a regression model and a classification flag on a regression, exit 2', async () => {
    const dir = tempDir();
    const model = join(dir, 'd.json');
    expect((await runCli(['run', '--trees', '3', ...QUICK, '--quiet', '--save-best', model], dir)).code).toBe(0);
    const r = await runCli(['predict', '--model', model, '--data', 'diabetes', '--proba'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sweep: --proba needs a classifier/);
    const c = await runCli(['run', '--trees', '3', '--criterion', 'entropy', ...QUICK], dir);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/^sweep: --criterion applies to a classification; this target is a regression/);
    const l = await runCli(['run', '--model', 'logistic', ...QUICK], dir);
    expect(l.code).toBe(2);
    expect(l.stderr).toMatch(/^sweep: --model logistic does not fit a regression/);
  });
});
