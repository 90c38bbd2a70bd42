/**
 * CSV loading throughput: a 1 000 000-row Friedman #1 file (10 features + target, full precision) written once by
 * our generator, loaded by `loadData` in a fresh process (MB/s, rows/s, peak RSS), and by pandas.read_csv on the
 * same file. Targets: ≥ 50% of pandas' throughput; peak RSS ≤ 2 × the raw Float64 size + 100 MB.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { csvFor, load, log, pyCell, python, table } from './common.js';

const ROWS = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000);
export const title = `CSV loading: ${ROWS.toLocaleString('en')} rows × 10 features`;

/** Child: load the file once, report time and peak RSS. */
async function child(file) {
  const { loadData } = await load('data/load.js');
  const t0 = performance.now();
  const { data } = await loadData(file);
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, rows: data.rows, columns: data.featureNames.length + 1, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
}

export async function run() {
  log(`csv: writing ${ROWS} rows once`);
  const { file } = await csvFor(`friedman1:rows=${ROWS}`, { kind: 'holdout', testFraction: 0.2 });
  const bytes = fs.statSync(file).size;
  log('csv: loading with sweep');
  const res = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file], { encoding: 'utf8' });
  const ours = res.status === 0 ? JSON.parse(res.stdout.trim().split('\n').pop()) : { error: res.stderr.trim().split('\n').pop() };
  log('csv: pandas.read_csv');
  const pd = python(['readcsv', file]);
  const mbps = (ms) => bytes / 2 ** 20 / (ms / 1000);
  const rawBytes = ROWS * 11 * 8;
  const rssLimit = 2 * rawBytes + 100 * 2 ** 20;
  const oursRate = ours.ms ? mbps(ours.ms) : NaN;
  const pdRate = pd.ms ? mbps(pd.ms) : NaN;
  const share = oursRate / pdRate;
  const lines = [
    `File: ${(bytes / 2 ** 20).toFixed(0)} MiB, ${ROWS.toLocaleString('en')} rows × 11 columns (10 features + target), written by our Friedman #1 generator. Each reader in a fresh process; peak RSS is the process's.`,
    '',
    ...table(
      ['reader', 'time', 'MB/s', 'rows/s', 'peak RSS'],
      [
        ['sweep loadData', ours.ms ? `${(ours.ms / 1000).toFixed(2)} s` : `error: ${ours.error}`, oursRate.toFixed(1), ours.ms ? Math.round(ROWS / (ours.ms / 1000)).toLocaleString('en') : '—', ours.maxRssBytes ? `${(ours.maxRssBytes / 2 ** 20).toFixed(0)} MiB` : '—'],
        [pyCell(pd, (x) => `pandas ${x.pandas} read_csv`).replace(/^not installed$/, 'pandas read_csv: not installed'), pyCell(pd, (x) => `${(x.ms / 1000).toFixed(2)} s`), pyCell(pd, () => pdRate.toFixed(1)), pyCell(pd, (x) => Math.round(ROWS / (x.ms / 1000)).toLocaleString('en')), pyCell(pd, (x) => `${x.maxRssMB.toFixed(0)} MiB`)],
      ],
    ),
  ];
  const targets = [
    { name: 'CSV load throughput ≥ 50% of pandas read_csv', value: Number.isFinite(share) ? `${(share * 100).toFixed(0)}%` : pyCell(pd, () => '—'), pass: Number.isFinite(share) ? share >= 0.5 : null },
    { name: `peak RSS of the ${ROWS.toLocaleString('en')} × 10 load ≤ 2 × raw Float64 (${(rawBytes / 2 ** 20).toFixed(0)} MiB) + 100 MB = ${(rssLimit / 2 ** 20).toFixed(0)} MiB`, value: ours.maxRssBytes ? `${(ours.maxRssBytes / 2 ** 20).toFixed(0)} MiB` : '—', pass: ours.maxRssBytes ? ours.maxRssBytes <= rssLimit : null },
  ];
  return { lines, targets };
}

if (process.argv[2] === '--child' && process.argv[1] === fileURLToPath(import.meta.url)) await child(process.argv[3]);
