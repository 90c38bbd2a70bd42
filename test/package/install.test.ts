/**
 * The package as a new user gets it: `npm pack`, installed globally into a fresh prefix, then used from an empty
 * directory outside the repository — `sweep --version` is package.json's, `sweep run --model linear` works on the
 * built-in data, and the README's UDF example (copied from the README itself) runs with no import to resolve.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve('.');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const work = mkdtempSync(join(tmpdir(), 'sweep-install-'));
const prefix = join(work, 'prefix');
const sweepBin = join(prefix, 'bin', 'sweep');
let tarball = '';

/** The README's UDF example: the code block that starts with "// my-udf.mjs". */
function readmeUdf(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```js\n(\/\/ my-udf\.mjs[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README has no "// my-udf.mjs" example');
  return block[1];
}

function sweep(args: string[], cwd: string) {
  // A clean environment: no NODE_PATH, nothing of this repository on the module path.
  const env = { PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, HOME: work, CI: 'true' };
  return spawnSync(sweepBin, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

beforeAll(() => {
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
  const info = JSON.parse(packed) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info[0].filename);
  writeFileSync(join(work, 'files.json'), JSON.stringify(info[0].files.map((f) => f.path)));
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: work, encoding: 'utf8', stdio: 'pipe', timeout: 300_000 });
}, 360_000);

describe('the packed package, installed globally into a fresh prefix', () => {
  it('ships LICENSE, CHANGELOG, README, the build and the datasets, and no source maps pointing at unshipped sources', () => {
    const files = JSON.parse(readFileSync(join(work, 'files.json'), 'utf8')) as string[];
    for (const f of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json', 'bin/sweep.js', 'dist/index.js', 'dist/index.d.ts', 'datasets/diabetes.csv', 'docs/result.schema.json']) expect(files).toContain(f);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/'))).toEqual([]);
    expect(tarball.endsWith(`${pkg.name}-${pkg.version}.tgz`)).toBe(true);
  });

  it('sweep --version is the version in package.json', () => {
    const r = sweep(['--version'], work);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('sweep run --model linear works from an empty directory', () => {
    const dir = join(work, 'linear');
    mkdirSync(dir);
    const r = sweep(['run', '--model', 'linear', '--reg-param', '0,1', '--folds', '3', '--format', 'json', '--no-checkpoint'], dir);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.data).toMatchObject({ name: 'diabetes', rows: 442 });
    expect(result.tasks).toEqual({ total: 6, ok: 6, failed: 0 });
    expect(result.best.metrics.r2).toBeGreaterThan(0.4);
  });

  it('a sweep, then its history and its HTML report, from an empty directory (the schema and the charts ship)', () => {
    const dir = join(work, 'history');
    mkdirSync(dir);
    expect(sweep(['run', '--trees', '5', '--max-depth', '3', '--folds', '3', '--quiet'], dir).status).toBe(0);
    const list = sweep(['history', '--format', 'json'], dir);
    expect(list.status, list.stderr).toBe(0);
    const [entry] = JSON.parse(list.stdout) as { id: string; status: string }[];
    expect(entry.status).toBe('finished');
    const page = sweep(['report', entry.id], dir);
    expect(page.status, page.stderr).toBe(0);
    expect(page.stdout).toMatch(/<figure class="chart" id="feature-importance">/);
  });

  it("the README's UDF example runs from an empty directory (nothing to import)", () => {
    const dir = join(work, 'udf');
    mkdirSync(dir);
    writeFileSync(join(dir, 'my-udf.mjs'), readmeUdf());
    const r = sweep(['run', '--strategy', 'udf', '--udf', 'my-udf.mjs', '--param', 'scale=0.9,1,1.1', '--format', 'json', '--no-checkpoint'], dir);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.trials).toHaveLength(3);
    expect(result.best.params).toEqual({ scale: 1 }); // the training mean itself beats scaled ones
  });
});
