/**
 * Running one group through its UDF — a user's module or a built-in model's — the same code wherever the group
 * is: a udf-strategy pool thread (udf-worker.ts) or a cluster worker's thread (cluster/pool-thread.ts). The
 * result is checked (finite numbers, the ranking metric present, at most MAX_METRIC_KEYS), a failure carries the
 * first stack frame in the user's file.
 */
import { performance } from 'node:perf_hooks';
import type * as arrow from 'apache-arrow';
import { toErrorRecord, type ErrorRecord } from '../../errors.js';
import type { ModelKind } from '../../models/model.js';
import type { Params } from '../../models/params.js';
import { getModel } from '../../models/registry.js';
import { evaluateGroup, type Evaluated, type GroupDataCache } from './builtin-udfs.js';
import { groupClasses } from './groups.js';
import { checkUdfResult } from './results.js';
import { udfContext, type Udf } from './types.js';
import { firstUserFrame } from './user-module.js';

/** What a group runs with: the module (absent: the built-in UDF of `model`) and the sweep's settings. */
export interface GroupRun {
  /** file: URL of the user's module. */
  moduleUrl?: string;
  model: ModelKind;
  dataName: string;
  features: readonly string[];
  target: string;
  seed: number;
  partitions: number;
  /** The ranking metric every result must contain. */
  metric: string;
}

const modules = new Map<string, Promise<Udf>>();

/** The module's default export, imported once per thread (a failed import is tried again next time). */
export function loadUdf(url: string): Promise<Udf> {
  let p = modules.get(url);
  if (!p) {
    p = import(url).then((m: { default?: unknown }) => {
      if (typeof m.default !== 'function') throw new Error('the UDF module has no default export function');
      return m.default as Udf;
    });
    modules.set(url, p);
    p.catch(() => modules.delete(url));
  }
  return p;
}

export async function evaluateUdfGroup(group: arrow.Table, key: { params: Params; fold: number }, run: GroupRun, cache: GroupDataCache): Promise<Evaluated> {
  const ctx = udfContext({ params: key.params, fold: key.fold, target: run.target, features: run.features, seed: run.seed, classes: groupClasses(group) });
  if (run.moduleUrl === undefined) {
    const out = evaluateGroup(getModel(run.model), group, { ...ctx, partitions: run.partitions, dataName: run.dataName }, cache);
    checkUdfResult(out.metrics, run.metric);
    return out;
  }
  const udf = await loadUdf(run.moduleUrl);
  const t0 = performance.now();
  const returned: unknown = await udf(group, ctx);
  const fitMs = performance.now() - t0;
  return { metrics: checkUdfResult(returned, run.metric), fitMs, predictMs: 0 };
}

/** A UDF's error as data, with the first stack frame in the user's module when there is one. */
export function udfErrorRecord(err: unknown, moduleUrl: string | undefined): ErrorRecord {
  if (!(err instanceof Error)) return { name: 'Error', message: `UDF threw ${typeof err === 'string' ? JSON.stringify(err) : String(err)}` };
  const rec = toErrorRecord(err);
  const frame = moduleUrl === undefined ? undefined : firstUserFrame(err, moduleUrl);
  if (frame) rec.frame = frame;
  return rec;
}
