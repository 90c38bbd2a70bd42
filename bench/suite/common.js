/**
 * What the bench cases share: the Python side (Debian's /usr/bin/python3 with scikit-learn and pandas, never the
 * pyenv python on PATH), data written once as CSV in os.tmpdir() with our fold assignment beside it, `sweep compare`
 * as a library, and number formatting. A missing scikit-learn or pandas is a result ("not installed"), not a failure.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = new URL('../../dist/', import.meta.url);
export const load = (p) => import(new URL(p, DIST).href);
export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./python_side.py', import.meta.url));
export const TMP = path.join(os.tmpdir(), 'sweep-bench');

/** Run python_side.py (not sklearn.py: that name would shadow the package); {missing} when python or a package is absent, {error} when it fails. */
export function python(args) {
  if (!fs.existsSync(PYTHON)) return { missing: `${PYTHON} not found` };
  const timeout = Number(process.env.BENCH_PY_TIMEOUT ?? 600) * 1000;
  const res = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 1 << 24, timeout, killSignal: 'SIGKILL' });
  if (res.error?.code === 'ETIMEDOUT') return { error: `timed out after ${timeout / 1000} s` };
  if (res.signal) return { error: `killed by ${res.signal}` };
  if (res.status !== 0) return { error: (res.stderr || '').trim().split('\n').filter((l) => !/warn/i.test(l)).pop() ?? `exit ${res.status}` };
  try {
    return JSON.parse(res.stdout.trim().split('\n').pop());
  } catch {
    return { error: `unreadable output: ${res.stdout.slice(0, 200)}` };
  }
}

/** A data set written once as CSV (full precision: String(v) round-trips a double) plus its folds as raw uint8. */
export async function csvFor(spec, evaluation, seed = 42) {
  fs.mkdirSync(TMP, { recursive: true });
  const key = `${spec}-${JSON.stringify(evaluation)}-${seed}`.replace(/[^a-z0-9.=-]+/gi, '_');
  const file = path.join(TMP, `${key}.csv`);
  const foldsFile = path.join(TMP, `${key}.folds`);
  if (fs.existsSync(file) && fs.existsSync(foldsFile)) return { file, foldsFile };
  const { loadData } = await load('data/load.js');
  const { planFolds, testFoldOf } = await load('data/folds.js');
  const { resolveTask } = await load('data/task.js');
  // The task as `sweep run` decides it: a classification's folds are stratified and its target is class indices.
  const data = resolveTask((await loadData(spec, { seed })).data).data;
  const plan = planFolds(data, evaluation, seed);
  // The split that tests each row (a holdout's training rows: none, −1); PredefinedSplit wants -1 for "never a test row".
  const folds = Uint8Array.from(testFoldOf(plan), (f) => (f < 0 ? 255 : f));
  fs.writeFileSync(foldsFile, folds);
  const p = data.featureNames.length;
  const fd = fs.openSync(`${file}.tmp`, 'w');
  fs.writeSync(fd, [...data.featureNames, data.targetName].join(',') + '\n');
  const CHUNK = 10_000;
  for (let start = 0; start < data.rows; start += CHUNK) {
    const lines = [];
    for (let i = start; i < Math.min(data.rows, start + CHUNK); i++) {
      const row = new Array(p + 1);
      for (let j = 0; j < p; j++) row[j] = String(data.x[j * data.rows + i]);
      row[p] = String(data.y[i]);
      lines.push(row.join(','));
    }
    fs.writeSync(fd, lines.join('\n') + '\n');
  }
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  return { file, foldsFile };
}

/** `sweep compare` on the given options (each run its own child process). */
export async function compare(options) {
  const { compareStrategies } = await load('compare/compare.js');
  return compareStrategies({ seed: 42, ...options });
}

export function ms(v) {
  if (v === undefined || v === null || !Number.isFinite(v)) return '—';
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v >= 100 ? 0 : 1)} ms`;
}

export function meanSd(wall) {
  return Number.isFinite(wall.sd) ? `${ms(wall.mean)} ± ${ms(wall.sd)}` : ms(wall.mean);
}

export function mb(bytes) {
  return bytes === null || bytes === undefined ? '—' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** What a Python result shows in a cell: its figure, "not installed", or the error. */
export function pyCell(r, show) {
  if (r.missing) return 'not installed';
  if (r.error) return `error: ${r.error}`;
  return show(r);
}

export function ratio(a, b, digits = 2) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(digits)}×` : '—';
}

export function table(head, rows) {
  const row = (cells) => `| ${cells.join(' | ')} |`;
  return [row(head), row(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(row)];
}

export function log(msg) {
  process.stderr.write(`bench: ${msg}\n`);
}
