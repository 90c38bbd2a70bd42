/**
 * Random forest fit time and accuracy, ours vs scikit-learn, on Friedman #1 (noise 1, 10 features, 20% holdout):
 * 50 trees, maxDepth 12, defaults otherwise (max_features all, bootstrap). `node bench/run.js forest`.
 * Each of our runs is a child process (so its peak RSS is its own); "2 threads" splits the trees over two
 * worker_threads sharing the data (SharedArrayBuffer), each binning it once. sklearn runs through
 * /usr/bin/python3 on the same rows, passed as raw little-endian float64 in os.tmpdir() (exact, and a CSV of a
 * million rows would take longer to parse than to fit). Fit time includes binning, as sklearn's includes its
 * float32 conversion. Env: BENCH_ROWS=10000,100000 to choose sizes; BENCH_SKLEARN_MAX_ROWS (default 500000).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const DIST = new URL('../dist/', import.meta.url);
const load = (p) => import(new URL(p, DIST).href);
const SELF = fileURLToPath(import.meta.url);
const PARAMS = { numTrees: 50, maxDepth: 12 };
const PYTHON = '/usr/bin/python3';

async function friedman(rows) {
  const { makeFriedman1 } = await load('data/friedman.js');
  const { makeFolds, trainRows, testRows } = await load('data/folds.js');
  const data = makeFriedman1({ rows, noise: 1, features: 10, seed: 1 }, `friedman1:rows=${rows}`);
  const plan = makeFolds(rows, { kind: 'holdout', testFraction: 0.2 }, 1);
  return { data, plan, train: trainRows(plan, 0), test: testRows(plan, 0) };
}

/** Worker thread: grow the given trees on the shared data and send them back (buffers transferred). */
async function workerMain() {
  const { fromBuffer } = await load('data/dataset.js');
  const { forestOptions, prepareGrowInput, growTrees } = await load('models/forest.js');
  const { handle, train, seed, params, trees } = workerData;
  const data = fromBuffer(handle);
  const { options } = forestOptions(params, data.featureNames.length);
  const grown = growTrees(prepareGrowInput({ data, train, seed, partitions: 16, cache: new Map() }, options), trees);
  parentPort.postMessage(grown, grown.flatMap((t) => [t.feature.buffer, t.threshold.buffer, t.left.buffer, t.right.buffer, t.value.buffer, t.gain.buffer]));
}

/** Child process: one fit of ours, printed as JSON. */
async function childMain(rows, threads) {
  const { data, train, test } = await friedman(rows);
  const { randomForest, forestOptions, assembleForest, range } = await load('models/forest.js');
  const { shareDataset } = await load('data/dataset.js');
  const { r2 } = await load('eval/metrics.js');
  const t0 = performance.now();
  let model;
  if (threads === 1) model = randomForest.fit({ data, train, seed: 0, partitions: 16, cache: new Map() }, PARAMS);
  else {
    const handle = shareDataset(data);
    const all = range(PARAMS.numTrees);
    const parts = await Promise.all(
      Array.from({ length: threads }, (_, w) => {
        const trees = all.filter((t) => t % threads === w);
        const worker = new Worker(SELF, { workerData: { handle, train, seed: 0, params: PARAMS, trees } });
        return new Promise((resolve, reject) => {
          worker.once('message', (grown) => resolve({ trees, grown }));
          worker.once('error', reject);
        }).finally(() => worker.terminate());
      }),
    );
    const byTree = [];
    for (const p of parts) p.trees.forEach((t, k) => (byTree[t] = p.grown[k]));
    model = assembleForest(forestOptions(PARAMS, 10).params, data.featureNames, byTree);
  }
  const fitMs = performance.now() - t0;
  const t1 = performance.now();
  const pred = model.predict(data, test);
  const predictMs = performance.now() - t1;
  const truth = Float64Array.from(test, (i) => data.y[i]);
  console.log(JSON.stringify({ fitMs, predictMs, r2: r2(truth, pred), maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

function ours(rows, threads) {
  const res = spawnSync(process.execPath, [SELF, '--child', String(rows), String(threads)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (res.status !== 0) return { error: (res.stderr || '').trim().split('\n').pop() };
  return JSON.parse(res.stdout.trim().split('\n').pop());
}

const SKLEARN = `
import sys, json, time, resource
import numpy as np
try:
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.metrics import r2_score
except ImportError:
    print(json.dumps({"missing": True})); sys.exit(0)
path, rows, feats, n_jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
a = np.fromfile(path + ".f64", dtype="<f8")
X = np.ascontiguousarray(a[: rows * feats].reshape(feats, rows).T); y = a[rows * feats :]
test = np.fromfile(path + ".test", dtype=np.uint8) == 1
t0 = time.perf_counter()
m = RandomForestRegressor(n_estimators=50, max_depth=12, n_jobs=n_jobs, random_state=0).fit(X[~test], y[~test])
fit = time.perf_counter() - t0
print(json.dumps({"fitMs": fit * 1000, "r2": r2_score(y[test], m.predict(X[test])), "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

async function sklearn(rows, nJobs, file) {
  if (!fs.existsSync(PYTHON)) return { missing: true };
  const res = spawnSync(PYTHON, ['-c', SKLEARN, file, String(rows), '10', String(nJobs)], { encoding: 'utf8' });
  if (res.status !== 0) return { error: (res.stderr || '').trim().split('\n').pop() };
  return JSON.parse(res.stdout.trim().split('\n').pop());
}

async function writeData(rows) {
  const { data, plan } = await friedman(rows);
  const file = path.join(os.tmpdir(), `sweep-bench-friedman-${rows}`);
  fs.writeFileSync(`${file}.f64`, new Uint8Array(data.x.buffer, 0, 8 * rows * 11));
  fs.writeFileSync(`${file}.test`, plan.roles.slice(0, plan.rows)); // split 0's roles: 1 (TEST) for a test row, 0 for a training row
  return file;
}

const ms = (r) => (r.missing ? 'not installed' : r.error ? `error: ${r.error}` : r.fitMs === undefined ? '—' : r.fitMs >= 1000 ? `${(r.fitMs / 1000).toFixed(2)} s` : `${r.fitMs.toFixed(0)} ms`);
const num = (v, d) => (v === undefined ? '—' : v.toFixed(d));

export async function run() {
  const sizes = (process.env.BENCH_ROWS ?? '10000,100000,500000,1000000').split(',').map(Number);
  const skMax = Number(process.env.BENCH_SKLEARN_MAX_ROWS ?? 500_000);
  const lines = [
    '# Random forest: fit time and accuracy vs scikit-learn',
    '',
    `Friedman #1 (noise 1, 10 features, 20% holdout), 50 trees, maxDepth 12, other parameters default; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}.`,
    'Fit time includes binning. sklearn: RandomForestRegressor(n_estimators=50, max_depth=12) of /usr/bin/python3.',
    '',
    '| rows | ours 1 thread | ours 2 threads | sklearn n_jobs=1 | sklearn n_jobs=2 | speed-up (2 vs 2) | r2 ours | r2 sklearn | peak RSS ours 1t / sklearn 1 job |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  console.log(lines.join('\n'));
  for (const rows of sizes) {
    const o1 = ours(rows, 1);
    const o2 = ours(rows, 2);
    let s1 = {};
    let s2 = {};
    if (rows <= skMax) {
      const file = await writeData(rows);
      s1 = await sklearn(rows, 1, file);
      s2 = await sklearn(rows, 2, file);
      fs.rmSync(`${file}.f64`, { force: true });
      fs.rmSync(`${file}.test`, { force: true });
    }
    const speed = o2.fitMs && s2.fitMs ? `${(s2.fitMs / o2.fitMs).toFixed(1)}×` : '—';
    const rss = `${num(o1.maxRssMB, 0)} MB / ${s1.maxRssMB ? `${s1.maxRssMB.toFixed(0)} MB` : '—'}`;
    const line = `| ${rows.toLocaleString('en')} | ${ms(o1)} | ${ms(o2)} | ${rows <= skMax ? ms(s1) : 'skipped'} | ${rows <= skMax ? ms(s2) : 'skipped'} | ${speed} | ${num(o1.r2, 4)} | ${num(s1.r2, 4)} | ${rss} |`;
    lines.push(line);
    console.log(line);
  }
  fs.writeFileSync(new URL('./RESULTS-forest.md', import.meta.url), lines.join('\n') + '\n');
}

if (!isMainThread) await workerMain();
else if (process.argv[2] === '--child') await childMain(Number(process.argv[3]), Number(process.argv[4]));
else if (process.argv[1] === SELF) await run();
