/**
 * `sweep run --describe` and the data type flags through the CLI and a YAML config: what each column became, as a
 * table and as JSON; --categorical, --na-values and --missing from the config's data map; a bad flag in one line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const CSV = 'origin,cyl,hp,mpg\nUSA,8,?,18\nJapan,4,95,24\nEurope,4,,27\nJapan,4,88,27\nUSA,6,95,21\nUSA,8,150,15\n';

describe('sweep run --describe', () => {
  it('prints each column\'s type, distinct values, missing count and range or top values, and exits 0 without sweeping', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cars.csv'), CSV);
    const r = await runCli(['run', '--data', 'cars.csv', '--target', 'mpg', '--describe', '--na-values', '?'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cars\.csv: 6 rows\n/);
    expect(r.stdout).toMatch(/origin\s+categorical\s+3\s+0\s+USA \(3\), Japan \(2\), Europe \(1\)/);
    expect(r.stdout).toMatch(/hp\s+numeric\s+3\s+2\s+88 … 150/);
    expect(r.stdout).not.toMatch(/rank|best/);
    const j = await runCli(['run', '--data', 'cars.csv', '--target', 'mpg', '--describe', '--categorical', 'cyl', '--format', 'json'], dir);
    expect(j.code, j.stderr).toBe(0);
    const out = JSON.parse(j.stdout);
    expect(out.columns.find((c: { name: string }) => c.name === 'cyl')).toMatchObject({ type: 'categorical', distinct: 3 });
    // Without --na-values, "?" is text: hp becomes a label column, and says so.
    expect(out.columns.find((c: { name: string }) => c.name === 'hp').type).toBe('categorical');
  });

  it('takes the data flags from a YAML config, and refuses a bad one in one line with exit 2', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cars.csv'), CSV);
    writeFileSync(join(dir, 'sweep.yaml'), 'data: {path: cars.csv, target: mpg, na_values: ["?"], categorical: [cyl], missing: keep}\n');
    const r = await runCli(['run', '--config', 'sweep.yaml', '--describe'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/cyl\s+categorical/);
    expect(r.stdout).toMatch(/hp\s+numeric\s+3\s+2/);
    const bad = await runCli(['run', '--data', 'cars.csv', '--target', 'mpg', '--describe', '--numeric', 'origin'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('sweep: cars.csv:2:1: column "origin": "USA" is not a number\nhint: it is in --numeric origin');
  });
});
