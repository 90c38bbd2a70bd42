/**
 * The fold-scheme flags through the CLI: each scheme in the report (its name and every split's rows), a column that
 * places rows in folds left out of the features, --holdout beside them, the YAML config's evaluation keys, and one
 * clear line with exit 2 for flags that name two schemes or a column the data lacks.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usersCsv } from '../strategies/fold-fixture.js';
import { runCli, tempDir } from './helpers.js';

const QUICK = ['--trees', '3', '--workers', '1', '--no-checkpoint'];

describe('sweep run: fold schemes', () => {
  const file = usersCsv();
  it('reports the scheme and each split\'s training and test rows', async () => {
    const dir = tempDir();
    const cases: [string[], RegExp, RegExp][] = [
      [['--ignore', 'user,week', '--time-series', '3'], /evaluation\s+time-series CV, 3 expanding splits in row order\n/, /folds\s+train\/test rows 39\/37, 76\/37, 113\/37\n/],
      [['--ignore', 'week', '--group-col', 'user', '--folds', '3'], /evaluation\s+group 3-fold CV by "user"\n/, /folds\s+train\/test rows \d+\/\d+, \d+\/\d+, \d+\/\d+\n/],
      [['--ignore', 'user', '--fold-col', 'week'], /evaluation\s+CV over the 4 folds of column "week"\n/, /folds\s+train\/test rows 112\/38, 112\/38, 113\/37, 113\/37\n/],
      [['--ignore', 'user,week', '--folds', '3', '--repeats', '4'], /evaluation\s+3-fold CV × 4 repeats\n/, /folds\s+12 splits, train 100 rows, test 50 rows each\n/],
      [['--ignore', 'user,week', '--folds', '3', '--no-shuffle'], /evaluation\s+3-fold CV in file order\n/, /folds\s+train\/test rows 100\/50, 100\/50, 100\/50\n/],
      [['--ignore', 'user,week', '--test-fraction', '0.2', '--no-shuffle'], /evaluation\s+20% holdout \(the last rows\)\n/, /folds\s+train\/test rows 120\/30\n/],
    ];
    for (const [flags, scheme, splits] of cases) {
      const r = await runCli(['run', '--data', file, ...flags, ...QUICK], dir);
      expect(r.code, `${flags.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(scheme);
      expect(r.stdout).toMatch(splits);
      expect(r.stdout).toMatch(/data\s+\S+: 150 rows × 2 features → target/);
    }
  });

  it('keeps whole groups out with --holdout beside group k-fold, and reads the scheme from a YAML config', async () => {
    const dir = tempDir();
    const r = await runCli(['run', '--data', file, '--ignore', 'week', '--group-col', 'user', '--folds', '3', '--holdout', '0.2', '--format', 'json', ...QUICK], dir);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.evaluation.scheme).toBe('group-kfold');
    // 11 users: u0–u6 with 14 rows, u7–u10 with 13. The held-out rows (at least 20% of 150) are whole users.
    const held: number = result.holdout.rows;
    const sums = new Set<number>();
    for (let a = 0; a <= 7; a++) for (let b = 0; b <= 4; b++) sums.add(14 * a + 13 * b);
    expect(held).toBeGreaterThanOrEqual(30);
    expect(sums.has(held), `${held} rows`).toBe(true);
    expect(result.holdout.trainRows).toBe(150 - held);
    writeFileSync(join(dir, 'ts.yaml'), 'evaluation: {time_series: 3}\ndata: {ignore: [user, week]}\n');
    const y = await runCli(['run', '--data', file, '--config', 'ts.yaml', ...QUICK], dir);
    expect(y.code, y.stderr).toBe(0);
    expect(y.stdout).toMatch(/evaluation\s+time-series CV, 3 expanding splits/);
  });

  it('refuses two schemes at once and a column the data lacks, in one line with exit 2', async () => {
    const dir = tempDir();
    const cases: [string[], string][] = [
      [['--fold-col', 'week', '--folds', '3'], 'sweep: use either --fold-col or --folds, not both'],
      [['--time-series', '3', '--test-fraction', '0.2'], 'sweep: use either --test-fraction or --time-series, not both'],
      [['--group-col', 'user', '--repeats', '2'], 'sweep: use either --group-col or --repeats, not both'],
      [['--repeats', '2', '--no-shuffle'], 'sweep: --repeats reshuffles the rows for each repeat; it cannot go with --no-shuffle'],
      [['--group-col', 'nobody'], `sweep: ${file}:1: --group-col: no column "nobody"; available columns: user, week, x1, x2, target`],
      [['--fold-col', 'x2', '--features', 'x2,x1'], `sweep: ${file}:1: column "x2" is in both --fold-col and --features: it places rows in folds, it is not a feature`],
      [['--group-col', 'user', '--folds', '12'], 'sweep: --group-col user: 11 groups cannot fill 12 folds (no group may be in two); lower --folds'],
      [['--time-series', '200'], 'sweep: --time-series 200 needs at least 402 rows (201 blocks of 2 or more), the data has 150'],
    ];
    for (const [flags, message] of cases) {
      const r = await runCli(['run', '--data', file, '--ignore', flags.includes('user') ? 'week' : flags.includes('week') ? 'user' : 'user,week', ...flags, ...QUICK], dir);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr.trim(), flags.join(' ')).toBe(message);
    }
  });
});
