/**
 * Loading real-looking data: (1) a 1 000 000-row CSV with two text columns and 5% missing cells (8 numeric
 * features, a numeric target), by `loadData` and by pandas.read_csv on the same file; (2) Friedman #1, 1 000 000 ×
 * 11, as Arrow IPC and Parquet, by `loadData` beside our CSV path and pandas' read_feather / read_parquet (they need
 * pyarrow, which Debian's python3-pandas does not bring: skipped and said when absent). Each reader in a fresh
 * process. Targets: the text-and-missing CSV at ≥ 50% of pandas' speed, and its peak RSS above the process's
 * baseline ≤ 2 × the columnar size (11 Float64 columns).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvFor, load, log, pyCell, python, table, TMP } from './common.js';

const ROWS = Number(process.env.BENCH_LOAD_ROWS ?? 1_000_000);
export const title = `Loading real data: text columns, missing cells, Arrow and Parquet (${ROWS.toLocaleString('en')} rows)`;

/** Child: the process's baseline RSS (after loading the modules), then one load; time and peak RSS. */
async function child(file, target) {
  const { loadData } = await load('data/load.js');
  await load('data/parquet.js');
  await load('data/arrow.js');
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  const { data } = await loadData(file, { target });
  const ms = performance.now() - t0;
  const kinds = (data.featureInfo ?? []).map((f) => f.kind);
  let missing = 0;
  for (let i = 0; i < data.x.length; i++) if (data.x[i] !== data.x[i]) missing++;
  console.log(JSON.stringify({ ms, rows: data.rows, columns: data.featureNames.length + 1, kinds, missing, baselineBytes: baseline, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
}

function runChild(file, target) {
  const res = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file, target], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return res.status === 0 ? JSON.parse(res.stdout.trim().split('\n').pop()) : { error: res.stderr.trim().split('\n').pop() };
}

/** The text-and-missing CSV, written once: seeded, so the same file every run. */
function messyCsv() {
  fs.mkdirSync(TMP, { recursive: true });
  const file = path.join(TMP, `messy-${ROWS}.csv`);
  if (fs.existsSync(file)) return file;
  let s = 12345;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const cities = Array.from({ length: 40 }, (_, i) => `city ${String.fromCharCode(65 + (i % 26))}${i}`);
  const kinds = ['sedan', 'hatchback', 'wagon', 'suv', 'van'];
  const fd = fs.openSync(`${file}.tmp`, 'w');
  fs.writeSync(fd, 'city,kind,x1,x2,x3,x4,x5,x6,x7,x8,y\n');
  for (let start = 0; start < ROWS; start += 10_000) {
    const lines = [];
    for (let i = start; i < Math.min(ROWS, start + 10_000); i++) {
      const cells = [cities[Math.floor(rnd() * cities.length)], kinds[Math.floor(rnd() * kinds.length)]];
      for (let j = 0; j < 8; j++) cells.push(String(Math.round(rnd() * 1e6) / 1e3));
      // 5% of the cells of the ten feature columns empty (a tenth of those written NA, as pandas reads both).
      for (let j = 0; j < 10; j++) if (rnd() < 0.05) cells[j] = rnd() < 0.1 ? 'NA' : '';
      cells.push(String(Math.round(rnd() * 1e5) / 1e3));
      lines.push(cells.join(','));
    }
    fs.writeSync(fd, `${lines.join('\n')}\n`);
  }
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** Friedman #1 as Arrow IPC and Parquet (float64 columns), written once from the CSV's rows. */
async function columnarFiles(csv) {
  const arrowFile = csv.replace(/\.csv$/, '.arrow');
  const parquetFile = csv.replace(/\.csv$/, '.parquet');
  if (fs.existsSync(arrowFile) && fs.existsSync(parquetFile)) return { arrowFile, parquetFile };
  const { loadData } = await load('data/load.js');
  const { data } = await loadData(csv);
  const arrow = await import('apache-arrow');
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const names = [...data.featureNames, data.targetName];
  const cols = names.map((_, j) => (j < data.featureNames.length ? data.x.slice(j * data.rows, (j + 1) * data.rows) : data.y.slice()));
  fs.writeFileSync(arrowFile, arrow.tableToIPC(arrow.tableFromArrays(Object.fromEntries(names.map((n, j) => [n, cols[j]]))), 'file'));
  fs.writeFileSync(parquetFile, Buffer.from(parquetWriteBuffer({ columnData: names.map((n, j) => ({ name: n, data: cols[j], type: 'DOUBLE' })) })));
  return { arrowFile, parquetFile };
}

const MiB = 2 ** 20;
const RUNS = 3;

/** The run with the median time (a failed or skipped one, if any, stands for all: it says why). */
function median(runs) {
  const bad = runs.find((r) => !(r.ms > 0));
  if (bad) return bad;
  return [...runs].sort((a, b) => a.ms - b.ms)[runs.length >> 1];
}
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

export async function run() {
  log('load: writing the text-and-missing CSV once');
  const messy = messyCsv();
  const bytes = fs.statSync(messy).size;
  // Three runs each, alternating (a shared machine's speed drifts within minutes), the median run of each reported.
  log('load: sweep and pandas.read_csv on the text-and-missing CSV, 3 runs each, alternating');
  const oursRuns = [];
  const pdRuns = [];
  for (let r = 0; r < RUNS; r++) {
    oursRuns.push(runChild(messy, 'y'));
    pdRuns.push(python(['readcsv', messy]));
  }
  const ours = median(oursRuns);
  const pd = median(pdRuns);
  const { file: friedman } = await csvFor(`friedman1:rows=${ROWS}`, { kind: 'holdout', testFraction: 0.2 });
  log('load: writing Friedman #1 as Arrow IPC and Parquet once');
  const { arrowFile, parquetFile } = await columnarFiles(friedman);
  const fromCsv = runChild(friedman, 'target');
  const fromArrow = runChild(arrowFile, 'target');
  const fromParquet = runChild(parquetFile, 'target');
  const pdFeather = python(['readfeather', arrowFile]);
  const pdParquet = python(['readparquet', parquetFile]);
  const columnar = ROWS * 11 * 8;
  const share = ours.ms && pd.ms ? pd.ms / ours.ms : NaN;
  const above = ours.maxRssBytes ? ours.maxRssBytes - ours.baselineBytes : NaN;
  const rssCell = (r) => (r.maxRssBytes ? `${(r.maxRssBytes / MiB).toFixed(0)} MiB (${((r.maxRssBytes - r.baselineBytes) / MiB).toFixed(0)} above baseline)` : '—');
  const pyRow = (label, r) => [pyCell(r, () => label).replace(/^not installed$/, `${label}: not installed`), pyCell(r, (x) => secs(x.ms)), pyCell(r, (x) => `${x.maxRssMB.toFixed(0)} MiB`)];
  const lines = [
    `### 1. CSV with two text columns and 5% missing cells: ${(bytes / MiB).toFixed(0)} MiB, ${ROWS.toLocaleString('en')} rows × 11 columns`,
    '',
    `The median of ${RUNS} runs each, alternating (ours: ${oursRuns.map((r) => (r.ms ? secs(r.ms) : '—')).join(', ')}; pandas: ${pdRuns.map((r) => (r.ms ? secs(r.ms) : '—')).join(', ')}). Columns city (40 values) and kind (5 values) are text; 5% of the ten feature columns' cells are empty or NA. Ours read them as ${(ours.kinds ?? []).filter((k) => k === 'categorical').length} categorical and ${(ours.kinds ?? []).filter((k) => k === 'numeric').length} numeric features, ${(ours.missing ?? 0).toLocaleString('en')} missing values kept.`,
    '',
    ...table(
      ['reader', 'time', 'MB/s', 'peak RSS'],
      [
        ['sweep loadData', ours.ms ? secs(ours.ms) : `error: ${ours.error}`, ours.ms ? (bytes / MiB / (ours.ms / 1000)).toFixed(1) : '—', rssCell(ours)],
        [pyCell(pd, (x) => `pandas ${x.pandas} read_csv`).replace(/^not installed$/, 'pandas read_csv: not installed'), pyCell(pd, (x) => secs(x.ms)), pyCell(pd, (x) => (bytes / MiB / (x.ms / 1000)).toFixed(1)), pyCell(pd, (x) => `${x.maxRssMB.toFixed(0)} MiB`)],
      ],
    ),
    '',
    `### 2. Friedman #1, ${ROWS.toLocaleString('en')} × 11 float64: Arrow IPC and Parquet beside the CSV path`,
    '',
    ...table(
      ['reader', 'time', 'peak RSS'],
      [
        ['sweep loadData, CSV', fromCsv.ms ? secs(fromCsv.ms) : `error: ${fromCsv.error}`, rssCell(fromCsv)],
        ['sweep loadData, Arrow IPC', fromArrow.ms ? secs(fromArrow.ms) : `error: ${fromArrow.error}`, rssCell(fromArrow)],
        ['sweep loadData, Parquet', fromParquet.ms ? secs(fromParquet.ms) : `error: ${fromParquet.error}`, rssCell(fromParquet)],
        pyRow('pandas read_feather', pdFeather),
        pyRow('pandas read_parquet', pdParquet),
      ],
    ),
    '',
    'pandas reads Arrow and Parquet through pyarrow; where it is missing (Debian ships python3-pandas without it) its rows say so.',
  ];
  const targets = [
    { name: 'text-and-missing CSV load ≥ 50% of pandas read_csv\'s speed', value: Number.isFinite(share) ? `${(share * 100).toFixed(0)}%` : pyCell(pd, () => '—'), pass: Number.isFinite(share) ? share >= 0.5 : null },
    { name: `its peak RSS above the process's baseline ≤ 2 × the columnar size (${(columnar / MiB).toFixed(0)} MiB) = ${((2 * columnar) / MiB).toFixed(0)} MiB`, value: Number.isFinite(above) ? `${(above / MiB).toFixed(0)} MiB` : '—', pass: Number.isFinite(above) ? above <= 2 * columnar : null },
  ];
  return { lines, targets };
}

if (process.argv[2] === '--child' && process.argv[1] === fileURLToPath(import.meta.url)) await child(process.argv[3], process.argv[4]);
