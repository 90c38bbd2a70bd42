/**
 * Running one (strategy, workers) measurement, two ways:
 * - `process` (the default): a child process (`node dist/compare/child.js`) prepares the same sweep from the same
 *   options (data, folds and configs are deterministic, and a fingerprint proves it) and executes it once; its
 *   `process.resourceUsage().maxRSS` is then the run's own peak, which a shared process cannot give (its high-water
 *   mark never goes down, so a later run could not show a lower peak).
 * - `in-process`: executeSweep on the one prepared sweep (for a Dataset given in memory); no peak RSS.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SweepError } from '../errors.js';
import type { SweepResult } from '../sweep/result.js';
import { executeSweep, type PreparedSweep, type SweepInput } from '../api/run.js';
import { baseId, gridId, sweepIdentity } from '../strategies/identity.js';
import type { StrategyName } from '../strategies/strategy.js';

export interface RunSpec {
  strategy: StrategyName;
  workers: number;
  /** A cluster URL (redis://…): the run is published to `sweep worker` processes instead of local threads. */
  cluster?: string;
}

export interface RunRecord {
  result: SweepResult;
  peakRssBytes: number | null;
}

/** What a child reads on stdin. */
export interface ChildRequest extends RunSpec {
  options: SweepInput;
  /** The parent's fingerprint of data, folds and configs: the child refuses to run on anything else. */
  fingerprint: string;
}

/** What a child writes on stdout (one JSON document). */
export type ChildReply = { ok: true; result: SweepResult; peakRssBytes: number } | { ok: false; message: string; code?: string; exitCode?: number };

/** SHA-1 of the features, target, fold assignment, configs, seed and partitions: equal inputs, equal runs. */
export function fingerprint(prep: PreparedSweep): string {
  // The sweep identity every other "same sweep?" check uses (strategies/identity.ts), plus what a child derives
  // on its own and must agree on: the grid, the folds and the ranking metric.
  const id = sweepIdentity(prep.data, prep.model, prep.folds.evaluation, prep.seed, prep.partitions, prep.udf);
  const h = createHash('sha256');
  h.update(JSON.stringify([baseId(id), gridId(prep.configs), prep.folds.count, prep.metric]));
  h.update(new Uint8Array(prep.folds.roles.buffer, prep.folds.roles.byteOffset, prep.folds.roles.byteLength));
  return h.digest('hex');
}

/** The options a child can be given: everything but callbacks, signals and in-memory data. */
export function serializableOptions(options: SweepInput): SweepInput {
  const { onProgress: _p, onWarning: _w, onNote: _n, signal: _s, strategy: _st, workers: _wk, ...rest } = options;
  if (typeof rest.data === 'object') throw new Error('a Dataset in memory cannot be sent to a child process; run in-process');
  return JSON.parse(JSON.stringify(rest)) as SweepInput;
}

export async function runInProcess(prep: PreparedSweep, spec: RunSpec, signal?: AbortSignal): Promise<RunRecord> {
  const result = await executeSweep(prep, { strategy: spec.strategy, workers: spec.workers, signal, ...clusterOption(spec.cluster) });
  return { result, peakRssBytes: null };
}

/** executeSweep's `cluster` option for a run on the cluster: a fresh sweep every time (no resume, nothing kept). */
export function clusterOption(url: string | undefined): { cluster?: { url: string } } {
  return url === undefined ? {} : { cluster: { url } };
}

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export function runInChild(request: ChildRequest, signal?: AbortSignal): Promise<RunRecord> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], { stdio: ['pipe', 'pipe', 'pipe'], signal });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code, sig) => {
      let reply: ChildReply | undefined;
      try {
        reply = JSON.parse(out) as ChildReply;
      } catch {
        const why = sig ? `killed by ${sig}` : `exit code ${code}`;
        reject(new Error(`compare: the run of ${request.strategy} with ${request.workers} workers failed (${why}): ${err.trim().split('\n').slice(-5).join('\n')}`));
        return;
      }
      if (reply.ok) resolve({ result: reply.result, peakRssBytes: reply.peakRssBytes });
      else if (reply.code !== undefined) reject(new SweepError(reply.message, { code: reply.code, exitCode: reply.exitCode ?? 1 }));
      else reject(new Error(`compare: the run of ${request.strategy} with ${request.workers} workers failed: ${reply.message}`));
    });
    child.stdin.end(JSON.stringify(request));
  });
}
