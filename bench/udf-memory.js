#!/usr/bin/env node
/**
 * The udf strategy's memory bound, measured: 200 configs on Friedman #1 with 100 000 rows, 2 workers. Groups
 * are made lazily (at most 2 × workers alive), so peak RSS should sit near data + window × group size, far
 * below the 200 × group size that holding every group (Spark's applyInPandas) would need.
 *   npm run build && node bench/udf-memory.js [--rows 100000] [--configs 200] [--workers 2] [--udf file.mjs]
 * Not part of the test suite: it takes a while and its numbers depend on the machine.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { loadData } from '../dist/data/load.js';
import { makeFolds } from '../dist/data/folds.js';
import { makeTasks } from '../dist/strategies/tasks.js';
import { createUdfStrategy } from '../dist/strategies/udf/udf.js';

const { values: opt } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    configs: { type: 'string', default: '200' },
    workers: { type: 'string', default: '2' },
    udf: { type: 'string' },
  },
});
const rows = Number(opt.rows);
const nConfigs = Number(opt.configs);
const workers = Number(opt.workers);
const MB = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;

const rss0 = process.memoryUsage().rss;
const { data } = await loadData(`friedman1:rows=${rows}`, { seed: 42 });
const folds = makeFolds(data.rows, { kind: 'holdout', testFraction: 0.2 }, 42);
// Cheap models, so the run measures the transport: one shallow tree per config (maxDepth × minSamplesLeaf).
const configs = Array.from({ length: nConfigs }, (_, k) => ({ numTrees: 1, maxDepth: 1 + (k % 4), minSamplesLeaf: 1 + Math.floor(k / 4), maxBins: 32 }));
const plan = { data, folds, model: 'rf', configs, tasks: makeTasks(configs.length, folds.count), seed: 42, partitions: 16, workers, retries: 0 };
globalThis.gc?.();
const rssData = process.memoryUsage().rss;

let peak = rssData;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);
let ok = 0;
let failed = 0;
const t0 = performance.now();
const stats = await createUdfStrategy({ module: opt.udf }).run(plan, {
  onOutcome: (o) => (o.status === 'ok' ? ok++ : failed++),
});
const wall = performance.now() - t0;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);

const dataBytes = data.x.byteLength + data.y.byteLength;
const lines = [
  `udf strategy memory bench: friedman1 ${rows} rows × ${data.featureNames.length} features, ${nConfigs} configs × ${folds.count} fold, ${workers} workers`,
  `tasks ok/failed           ${ok}/${failed}   wall ${(wall / 1000).toFixed(1)} s`,
  `dataset (Float64)         ${MB(dataBytes)}`,
  `group size (Arrow IPC)    ${MB(stats.groupBytes)}`,
  `groups made / peak alive  ${stats.groups} / ${stats.peakGroupsAlive} (window ${2 * workers})`,
  `bytes shipped to workers  ${MB(stats.bytesShipped)}`,
  `RSS at start              ${MB(rss0)}`,
  `RSS after loading data    ${MB(rssData)}`,
  `peak RSS during sweep     ${MB(peak)}  (+${MB(peak - rssData)} over the loaded data = ${((peak - rssData) / stats.groupBytes).toFixed(1)} × group size)`,
  `holding every group       ${MB(stats.groups * stats.groupBytes)} (${stats.groups} × group size), what an eager cross-join would need`,
];
console.log(lines.join('\n'));
